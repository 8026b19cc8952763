import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoPassword, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

const minutes = (n: number) => n * 60_000;

describe.each(engines)('authentication on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t?.close());

  async function auditActions(objectId?: string) {
    const q = t.deps.database.db.selectFrom('audit_log').select(['action', 'result', 'details', 'actor_username']).orderBy('seq');
    return (objectId ? q.where('object_id', '=', objectId) : q).execute();
  }

  it('signs in, returns the user, and sets an HttpOnly SameSite=Strict cookie', async () => {
    const res = await t.anonymous().post('/api/auth/login', { username: 'leader', password: demoPassword });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'leader', unitCode: 'DJ1', roles: [{ code: 'unit-leader', scope: 'subtree' }], locale: 'zh-CN', mustChangePassword: false });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = res.cookies.find((c) => c.name === 'ps_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const rows = await auditActions();
    expect(rows.at(-1)).toMatchObject({ action: 'auth.login', result: 'success', actor_username: 'leader' });
  });

  it('wrong credentials give 401 INVALID_CREDENTIALS, the same for unknown users, and are audited', async () => {
    const wrong = await t.anonymous().post('/api/auth/login', { username: 'viewer', password: 'Nope#12345' });
    const unknown = await t.anonymous().post('/api/auth/login', { username: 'nobody', password: 'Nope#12345' });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    const rows = await auditActions();
    expect(rows.slice(-2).map((r) => [r.action, r.result])).toEqual([
      ['auth.login', 'failure'],
      ['auth.login', 'failure'],
    ]);
  });

  it('locks after 5 failures in 15 minutes, refuses even the right password with 423, and unlocks after 15 minutes', async () => {
    const anon = t.anonymous();
    for (let i = 1; i <= 4; i++) {
      const res = await anon.post('/api/auth/login', { username: 'manager', password: `Wrong#${i}abc` });
      expect(res.statusCode).toBe(401);
    }
    const fifth = await anon.post('/api/auth/login', { username: 'manager', password: 'Wrong#5abc' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    const right = await anon.post('/api/auth/login', { username: 'manager', password: demoPassword });
    expect(right.statusCode).toBe(423);
    expect(new Date(right.json().error.details.lockedUntil).getTime()).toBe(t.clock.now().getTime() + minutes(15));
    t.clock.advance(minutes(14));
    expect((await anon.post('/api/auth/login', { username: 'manager', password: demoPassword })).statusCode).toBe(423);
    t.clock.advance(minutes(1) + 1000);
    expect((await anon.post('/api/auth/login', { username: 'manager', password: demoPassword })).statusCode).toBe(200);
  });

  it('failures spread over more than 15 minutes do not lock', async () => {
    const anon = t.anonymous();
    for (let i = 0; i < 6; i++) {
      expect((await anon.post('/api/auth/login', { username: 'viewer', password: 'Wrong#pass1' })).statusCode).toBe(401);
      t.clock.advance(minutes(4));
    }
  });

  it('ends a session after 30 idle minutes and after 12 hours in all', async () => {
    const c = await t.login('viewer');
    t.clock.advance(minutes(29));
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(minutes(31));
    const idle = await c.get('/api/auth/me');
    expect(idle.statusCode).toBe(401);
    expect(idle.json().error.code).toBe('SESSION_EXPIRED');

    const d = await t.login('viewer');
    for (let i = 0; i < 24; i++) {
      t.clock.advance(minutes(29));
      expect((await d.get('/api/auth/me')).statusCode).toBe(200);
    }
    t.clock.advance(minutes(29));
    expect((await d.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('logout ends the session on the server: the old cookie no longer works', async () => {
    const c = await t.login('viewer');
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    const after = await c.get('/api/auth/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('changes through a cookie session need the CSRF token', async () => {
    const c = await t.login('admin');
    const res = await c.request('PUT', '/api/auth/locale', { locale: 'en-US' }, { 'x-csrf-token': 'forged' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID');
    expect((await c.put('/api/auth/locale', { locale: 'en-US' })).statusCode).toBe(204);
    expect((await c.get('/api/auth/me')).json().user.locale).toBe('en-US');
  });

  it('a user created by an admin must change the password first; the change ends other sessions', async () => {
    const admin = await t.login('admin');
    const units = (await admin.get('/api/units')).json().items as { id: string; code: string }[];
    const created = await admin.post('/api/users', { username: 'wang.li', displayName: '王力', unitId: units.find((u) => u.code === 'YH1')!.id, roleCodes: ['unit-clerk'], password: 'Start#2026x' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: 'wang.li', mustChangePassword: true, roleCodes: ['unit-clerk'] });

    const first = await t.login('wang.li', 'Start#2026x');
    const second = await t.login('wang.li', 'Start#2026x');
    const me = await first.get('/api/auth/me');
    expect(me.json().user.mustChangePassword).toBe(true);
    const blocked = await first.get('/api/units');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const weak = await first.put('/api/auth/password', { currentPassword: 'Start#2026x', newPassword: 'wangli123' });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error).toMatchObject({ code: 'PASSWORD_POLICY', details: { violations: ['too_few_classes'] } });
    const wrong = await first.put('/api/auth/password', { currentPassword: 'nope', newPassword: 'Better#2026x' });
    expect(wrong.json().error.code).toBe('WRONG_PASSWORD');

    expect((await first.put('/api/auth/password', { currentPassword: 'Start#2026x', newPassword: 'Better#2026x' })).statusCode).toBe(204);
    expect((await first.get('/api/units')).statusCode).toBe(200);
    expect((await second.get('/api/auth/me')).statusCode).toBe(401);
    const rows = await t.deps.database.db.selectFrom('audit_log').select(['action', 'changes', 'details']).where('action', 'in', ['user.create', 'auth.password_change']).execute();
    expect(JSON.stringify(rows)).not.toContain('Start#2026x');
    expect(JSON.stringify(rows)).not.toContain('Better#2026x');
  });

  it('disabling an account ends its live sessions; it can no longer sign in', async () => {
    const admin = await t.login('admin');
    const units = (await admin.get('/api/units')).json().items as { id: string; code: string }[];
    const u = (await admin.post('/api/users', { username: 'zhao', displayName: '赵', unitId: units[0]!.id, roleCodes: ['viewer'], password: 'Start#2026x' })).json();
    const zhao = await t.login('zhao', 'Start#2026x');
    const security = await t.login('security');
    const disabled = await security.post(`/api/users/${u.id}/disable`, { version: u.version });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().status).toBe('disabled');
    expect((await zhao.get('/api/auth/me')).statusCode).toBe(401);
    const again = await t.anonymous().post('/api/auth/login', { username: 'zhao', password: 'Start#2026x' });
    expect(again.statusCode).toBe(403);
    expect(again.json().error.code).toBe('ACCOUNT_DISABLED');
  });

  it('lists my sessions and ends one of them', async () => {
    const a = await t.login('auditor');
    const b = await t.login('auditor');
    const list = (await a.get('/api/auth/sessions')).json().items as { id: string; current: boolean }[];
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const other = list.find((s) => !s.current)!;
    expect((await a.delete(`/api/auth/sessions/${other.id}`)).statusCode).toBe(204);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('the session cookie never appears in the logs', async () => {
    const c = await t.login('viewer');
    await c.get('/api/units');
    expect(t.logs.join('\n')).not.toContain(c.cookie!);
    expect(t.logs.join('\n')).not.toContain(demoPassword);
  });
});

describe('per-IP login throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { demo: true, env: { LOGIN_IP_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t?.close());

  it('answers 429 RATE_LIMITED after the per-minute limit of sign-in attempts from one address', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await t.anonymous().post('/api/auth/login', { username: 'x', password: 'y' })).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    const res = await t.anonymous().post('/api/auth/login', { username: 'admin', password: demoPassword });
    expect(res.json().error.code).toBe('RATE_LIMITED');
    expect(res.headers['retry-after']).toBeDefined();
  });
});
