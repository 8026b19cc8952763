import type { FastifyInstance } from 'fastify';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

const days = (n: number) => n * 24 * 60 * 60_000;
const startPassword = 'Start#2026x';
const password = 'Better#2026x';

/**
 * The second factor (AUTH-6), session hardening (AUTH-9) and password age (AUTH-3). MFA is required
 * here for health-admin only (MFA_REQUIRED_ROLES), so the demo accounts still sign in with a password.
 */
describe.each(engines)('two-step verification and sessions on %s', (engine) => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp(engine, { env: { MFA_REQUIRED_ROLES: 'health-admin', PASSWORD_MAX_AGE_DAYS: '90' } });
  });
  afterAll(() => t?.close());

  /** The 6-digit code of the secret at the fake clock's time, shifted by whole 30-second steps. */
  const codeAt = (secret: string, steps = 0) => generateSync({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) + steps * 30 });

  const login = (username: string, pw: string, code?: string) => t.anonymous().post('/api/auth/login', { username, password: pw, ...(code ? { code } : {}) });

  /** A signed-in client from a successful login answer. */
  function clientOf(res: Awaited<ReturnType<typeof login>>): Client {
    expect(res.statusCode, res.body).toBe(200);
    const c = t.anonymous();
    c.cookie = res.cookies.find((x) => x.name === 'ps_session')!.value;
    c.csrf = (res.json() as { csrfToken: string }).csrfToken;
    return c;
  }

  /** A new account with these roles whose first password change is done. */
  async function newAccount(roleCodes: string[]): Promise<{ id: string; username: string; client: Client }> {
    const admin = await t.login('admin');
    const unit = await t.deps.database.db.selectFrom('units').select('id').where('code', '=', 'SJY').executeTakeFirstOrThrow();
    const username = `mfa${++n}.user`;
    const res = await admin.post('/api/users', { username, displayName: `MFA ${n}`, unitId: unit.id, roleCodes, password: startPassword });
    expect(res.statusCode, res.body).toBe(201);
    const first = await t.login(username, startPassword);
    expect((await first.put('/api/auth/password', { currentPassword: startPassword, newPassword: password })).statusCode).toBe(204);
    return { id: (res.json() as { id: string }).id, username, client: first };
  }

  /** Enrols the client's account; returns the secret. The enrolment uses the current step. */
  async function enrol(client: Client): Promise<string> {
    const start = await client.post('/api/auth/mfa/enrolment', {});
    expect(start.statusCode, start.body).toBe(200);
    const { secret } = start.json() as { secret: string };
    const done = await client.post('/api/auth/mfa/enrolment/confirm', { code: codeAt(secret) });
    expect(done.statusCode, done.body).toBe(200);
    return secret;
  }

  /** The account signs in with the next step's code (a fresh one), after the clock moves on. */
  async function signInWithCode(username: string, secret: string): Promise<Client> {
    t.clock.advance(30_000);
    return clientOf(await login(username, password, codeAt(secret)));
  }

  const auditRows = (objectId: string) =>
    t.deps.database.db.selectFrom('audit_log').select(['action', 'result', 'changes', 'details']).where('object_id', '=', objectId).orderBy('seq').execute();

  it('enrols with a code, then asks for a code at every sign-in; the secret is encrypted at rest and never audited or logged', async () => {
    const u = await newAccount(['viewer']);
    expect((await u.client.get('/api/auth/me')).json().user.mfa).toEqual({ enrolled: false, required: false });
    const start = await u.client.post('/api/auth/mfa/enrolment', {});
    expect(start.statusCode).toBe(200);
    const { secret, uri } = start.json() as { secret: string; uri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(`otpauth://totp/Pacesetter:${u.username}?secret=${secret}&issuer=Pacesetter`);
    const stored = await t.deps.database.db.selectFrom('users').select(['totp_secret_enc', 'totp_enrolled_at']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(stored.totp_enrolled_at).toBeNull();
    expect(stored.totp_secret_enc!.toString('latin1')).not.toContain(secret);
    expect(stored.totp_secret_enc!.length).toBeGreaterThan(secret.length);

    const wrong = await u.client.post('/api/auth/mfa/enrolment/confirm', { code: codeAt(secret, 5) });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('MFA_INVALID');
    const code = codeAt(secret);
    const done = await u.client.post('/api/auth/mfa/enrolment/confirm', { code });
    expect(done.statusCode).toBe(200);
    expect(done.json().mfa).toEqual({ enrolled: true, required: false });
    expect((await u.client.post('/api/auth/mfa/enrolment', {})).json().error.code).toBe('MFA_ALREADY_ENROLLED');

    const noCode = await login(u.username, password);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe('MFA_REQUIRED');
    expect(noCode.cookies.find((c) => c.name === 'ps_session')).toBeUndefined();
    // The code that confirmed the enrolment is used up.
    const again = await login(u.username, password, code);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('MFA_INVALID');
    const c = await signInWithCode(u.username, secret);
    expect((await c.get('/api/auth/me')).json().user.mfa).toEqual({ enrolled: true, required: false });

    const rows = await auditRows(u.id);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['auth.mfa_enrol_start', 'auth.mfa_enrol']));
    expect(rows.filter((r) => r.action === 'auth.login' && r.result === 'failure').map((r) => (r.details as { reason: string }).reason)).toEqual(['mfa_required', 'mfa_replayed']);
    const everything = JSON.stringify(await t.deps.database.db.selectFrom('audit_log').selectAll().execute());
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(`"${code}"`);
    expect(t.logs.join('')).not.toContain(secret);
  });

  it('a code works once: the same code again is refused, also within its step', async () => {
    const u = await newAccount(['viewer']);
    const secret = await enrol(u.client);
    t.clock.advance(30_000);
    const code = codeAt(secret);
    expect((await login(u.username, password, code)).statusCode).toBe(200);
    const replay = await login(u.username, password, code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('MFA_INVALID');
    // The previous step's code is within the ±1 window but older than the one used: refused too.
    expect((await login(u.username, password, codeAt(secret, -1))).json().error.code).toBe('MFA_INVALID');
    // The next step's code (clock drift of one step) is accepted once.
    expect((await login(u.username, password, codeAt(secret, 1))).statusCode).toBe(200);
  });

  it('wrong codes count toward the lockout like wrong passwords: the 5th locks, then even a right code gets 423', async () => {
    const u = await newAccount(['viewer']);
    const secret = await enrol(u.client);
    t.clock.advance(30_000);
    const right = codeAt(secret);
    const wrongCode = right === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const res = await login(u.username, password, wrongCode);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('MFA_INVALID');
    }
    const fifth = await login(u.username, password, wrongCode);
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    expect((await login(u.username, password, right)).statusCode).toBe(423);
    const reasons = (await auditRows(u.id)).filter((r) => r.action === 'auth.login' && r.result === 'failure').map((r) => (r.details as { reason: string }).reason);
    expect(reasons.slice(0, 5)).toEqual(Array(5).fill('mfa_invalid'));
    expect((await auditRows(u.id)).some((r) => r.action === 'auth.lock')).toBe(true);
    t.clock.advance(days(1) / 24 / 2); // 30 minutes: the lock (15 min) is over
    expect((await login(u.username, password, codeAt(secret))).statusCode).toBe(200);
  });

  it('a role that requires the second factor gets a session good only for enrolling (403 MFA_ENROLMENT_REQUIRED) until it is set up', async () => {
    const u = await newAccount(['health-admin']);
    const me = await u.client.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.mfa).toEqual({ enrolled: false, required: true });
    for (const url of ['/api/auth/sessions', '/api/units']) {
      const res = await u.client.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('MFA_ENROLMENT_REQUIRED');
    }
    const secret = await enrol(u.client);
    expect((await u.client.get('/api/auth/sessions')).statusCode).toBe(200);
    expect((await u.client.get('/api/units')).statusCode).toBe(200);
    // Required: it cannot be turned off by its holder, even with a right code.
    t.clock.advance(30_000);
    const off = await u.client.post('/api/auth/mfa/disable', { code: codeAt(secret) });
    expect(off.statusCode).toBe(422);
    expect(off.json().error.code).toBe('MFA_REQUIRED_BY_ROLE');
    expect((await login(u.username, password)).json().error.code).toBe('MFA_REQUIRED');
  });

  it('a reset by the security administrator ends the sessions and forces a new enrolment; it never lets the account in without a second factor', async () => {
    const u = await newAccount(['health-admin']);
    const secret = await enrol(u.client);
    const session = await signInWithCode(u.username, secret);
    const security = await t.login('security');
    expect((await (await t.login('admin')).delete(`/api/users/${u.id}/mfa`)).statusCode).toBe(403);
    const ownId = (await security.get('/api/auth/me')).json().user.id as string;
    expect((await security.delete(`/api/users/${ownId}/mfa`)).json().error.code).toBe('CANNOT_CHANGE_SELF');

    const reset = await security.delete(`/api/users/${u.id}/mfa`);
    expect(reset.statusCode).toBe(204);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    const listed = ((await security.get('/api/users')).json().items as { id: string; mfaEnrolled: boolean }[]).find((x) => x.id === u.id)!;
    expect(listed.mfaEnrolled).toBe(false);
    const row = (await auditRows(u.id)).at(-1)!;
    expect(row).toMatchObject({ action: 'user.mfa_reset', changes: { mfaEnrolled: { old: true, new: false } }, details: { sessionsEnded: 2 } });

    // The password alone now opens a session that can do nothing but enrol again.
    const limited = clientOf(await login(u.username, password));
    expect((await limited.get('/api/units')).json().error.code).toBe('MFA_ENROLMENT_REQUIRED');
    const newSecret = await enrol(limited);
    expect(newSecret).not.toBe(secret);
    expect((await login(u.username, password)).json().error.code).toBe('MFA_REQUIRED');
    t.clock.advance(30_000);
    expect((await login(u.username, password, codeAt(secret))).json().error.code).toBe('MFA_INVALID');
  });

  it('an administrator password reset keeps the second factor: the new password still needs the code', async () => {
    const u = await newAccount(['viewer']);
    const secret = await enrol(u.client);
    const security = await t.login('security');
    const before = ((await security.get('/api/users')).json().items as { id: string; version: number }[]).find((x) => x.id === u.id)!;
    const reset = await security.post(`/api/users/${u.id}/reset-password`, { version: before.version, password: 'Reset#2026xy' });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().mfaEnrolled).toBe(true);
    const noCode = await login(u.username, 'Reset#2026xy');
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe('MFA_REQUIRED');
    t.clock.advance(30_000);
    const ok = await login(u.username, 'Reset#2026xy', codeAt(secret));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ mustChangePassword: true, mfa: { enrolled: true, required: false } });
  });

  it('the holder turns an optional second factor off with a current code', async () => {
    const u = await newAccount(['viewer']);
    const secret = await enrol(u.client);
    t.clock.advance(30_000);
    const wrong = await u.client.post('/api/auth/mfa/disable', { code: codeAt(secret, 3) });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('MFA_INVALID');
    const off = await u.client.post('/api/auth/mfa/disable', { code: codeAt(secret) });
    expect(off.statusCode).toBe(200);
    expect(off.json().mfa).toEqual({ enrolled: false, required: false });
    expect((await login(u.username, password)).statusCode).toBe(200);
    expect((await auditRows(u.id)).at(-1)).toMatchObject({ action: 'auth.mfa_disable', changes: { mfaEnrolled: { old: true, new: false } } });
  });

  it('session fixation: a session cookie carried into the sign-in is ended, and a new one is issued', async () => {
    const planted = await t.login('viewer');
    expect((await planted.get('/api/auth/me')).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: 'Demo#2020' }, headers: { cookie: `ps_session=${planted.cookie}` } });
    expect(res.statusCode).toBe(200);
    const fresh = res.cookies.find((c) => c.name === 'ps_session')!.value;
    expect(fresh).not.toBe(planted.cookie);
    const oldAnswer = await planted.get('/api/auth/me');
    expect(oldAnswer.statusCode).toBe(401);
    expect(oldAnswer.json().error.code).toBe('UNAUTHENTICATED');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `ps_session=${fresh}` } });
    expect(me.statusCode).toBe(200);
    // A made-up value is never adopted either.
    const madeUp = 'a'.repeat(43);
    const other = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: 'Demo#2020' }, headers: { cookie: `ps_session=${madeUp}` } });
    expect(other.cookies.find((c) => c.name === 'ps_session')!.value).not.toBe(madeUp);
  });

  describe('behind a TLS proxy (TRUST_PROXY)', () => {
    let proxied: FastifyInstance;
    beforeAll(async () => {
      proxied = await buildApp({ ...t.deps, config: { ...t.deps.config, trustProxy: true } }, { webDir: null, trustProxy: true });
      await proxied.ready();
    });
    afterAll(() => proxied?.close());
    const https = { 'x-forwarded-proto': 'https' };

    it('over HTTPS the cookie is __Host-ps_session with Secure, Path=/ and no Domain; over plain HTTP it stays ps_session without Secure', async () => {
      const res = await proxied.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: 'Demo#2020' }, headers: https });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.map((c) => c.name)).toEqual(['__Host-ps_session']);
      const cookie = res.cookies[0]!;
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, path: '/', sameSite: 'Strict' });
      expect(cookie.domain).toBeUndefined();
      expect(String(res.headers['set-cookie'])).toMatch(/^__Host-ps_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);

      const good = await proxied.inject({ method: 'GET', url: '/api/auth/me', headers: { ...https, cookie: `__Host-ps_session=${cookie.value}` } });
      expect(good.statusCode).toBe(200);
      // Over HTTPS the guard reads only the __Host- cookie; over HTTP only ps_session.
      expect((await proxied.inject({ method: 'GET', url: '/api/auth/me', headers: { ...https, cookie: `ps_session=${cookie.value}` } })).statusCode).toBe(401);
      expect((await proxied.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `__Host-ps_session=${cookie.value}` } })).statusCode).toBe(401);

      const plain = await proxied.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: 'Demo#2020' } });
      expect(plain.cookies.map((c) => [c.name, c.secure ?? false])).toEqual([['ps_session', false]]);

      const csrf = (res.json() as { csrfToken: string }).csrfToken;
      const out = await proxied.inject({ method: 'POST', url: '/api/auth/logout', headers: { ...https, cookie: `__Host-ps_session=${cookie.value}`, 'x-csrf-token': csrf } });
      expect(out.statusCode).toBe(204);
      expect(out.cookies.find((c) => c.name === '__Host-ps_session')).toMatchObject({ value: '', secure: true, path: '/' });
    });
  });

  it('stores passwords as argon2id m=19456,t=2,p=1', async () => {
    const row = await t.deps.database.db.selectFrom('users').select('password_hash').where('username', '=', 'viewer').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  // Last: it moves the clock past the password age of every account of this app.
  it('a password older than PASSWORD_MAX_AGE_DAYS must be changed: day 90 works, day 91 gives 403 PASSWORD_CHANGE_REQUIRED until changed', async () => {
    const u = await newAccount(['viewer']);
    t.clock.advance(days(90) - 60_000);
    const before = clientOf(await login(u.username, password));
    expect((await before.get('/api/auth/sessions')).statusCode).toBe(200);
    t.clock.advance(days(1));
    const after = clientOf(await login(u.username, password));
    expect((await after.get('/api/auth/me')).json().user.passwordExpired).toBe(true);
    const blocked = await after.get('/api/auth/sessions');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await after.put('/api/auth/password', { currentPassword: password, newPassword: 'Renewed#2026z' })).statusCode).toBe(204);
    expect((await after.get('/api/auth/sessions')).statusCode).toBe(200);
    expect((await after.get('/api/auth/me')).json().user.passwordExpired).toBe(false);
  });
});
