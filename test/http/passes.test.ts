import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataOf } from '../../src/server/crypto/personal-data';
import type { MyPasses, Pass, PassPage } from '../../src/server/modules/passes/passes.schemas';
import { accessFixtures, tokenHash, uniqueCode, type AccessFixtures, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

type Res = { statusCode: number; body: string; json(): unknown };
const errorOf = (res: Res) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;

/** Reads a QR code PNG back to its text, as a phone camera would. */
function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
}

describe.each(engines)('passes on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  let guard: Client;
  let leader: Client;
  let manager: Client;
  let viewer: Client;
  let north: SiteFixture;
  let plant: SiteFixture;
  let holder: PersonFixture;
  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    [access, guard, leader, manager, viewer] = await Promise.all([t.login('access'), t.login('guard'), t.login('leader'), t.login('manager'), t.login('viewer')]);
    north = await f.site({ nameZh: '翠溪北区', nameEn: 'Cuixi North' });
    plant = await f.site({ kind: 'plant', nameZh: '电解厂区', nameEn: null });
    holder = await f.person({ name: '欧阳修文', siteId: north.id });
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  async function issue(body: Record<string, unknown> = {}): Promise<Pass> {
    const res = await access.post('/api/passes', { person: holder.code, sites: [north.code], validFrom: '2026-03-01', validTo: '2026-12-31', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Pass;
  }

  it('issues a pass with sites, dates, windows; lists it by person and by site; the token is only hashed and sealed', async () => {
    const pass = await issue({ sites: [plant.code, north.code, north.code], windows: [{ days: [5, 1, 2, 3, 4], from: '07:30', to: '16:00' }], essential: true });
    expect(pass).toMatchObject({
      person: holder.code,
      personName: '欧阳**',
      sites: [
        { code: north.code, nameZh: '翠溪北区', nameEn: 'Cuixi North' },
        { code: plant.code, nameZh: '电解厂区', nameEn: null },
      ].sort((a, b) => a.code.localeCompare(b.code)),
      validFrom: '2026-03-01',
      validTo: '2026-12-31',
      windows: [{ days: [1, 2, 3, 4, 5], from: '07:30', to: '16:00' }],
      essential: true,
      status: 'active',
      statusReason: null,
      version: 1,
    });
    expect(pass.number).toBeGreaterThan(0);
    const raw = await db().selectFrom('passes').select(['token_hash', 'token_enc', 'created_by']).where('id', '=', pass.id).executeTakeFirstOrThrow();
    expect(raw.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const token = personalDataOf(t.deps.config).decryptText('passes.token', Buffer.from(raw.token_enc));
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(tokenHash(token)).toBe(raw.token_hash);
    expect(JSON.stringify(pass)).not.toContain(token);

    const byPerson = (await access.get(`/api/passes?person=${holder.code}`)).json() as PassPage;
    expect(byPerson).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect(byPerson.rows[0]).toEqual(pass);
    const bySite = (await guard.get(`/api/passes?site=${plant.code}&status=active`)).json() as PassPage;
    expect(bySite.rows.map((p) => p.id)).toEqual([pass.id]);
    expect(((await access.get(`/api/passes?site=${plant.code}&status=revoked`)).json() as PassPage).total).toBe(0);
    expect((await guard.get(`/api/passes/${pass.id}`)).json()).toEqual(pass);

    const audits = await db().selectFrom('audit_log').select(['changes', 'details', 'actor_username']).where('action', '=', 'pass.create').where('object_id', '=', pass.id).execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actor_username).toBe('access');
    expect(audits[0]!.changes).toMatchObject({ person: { new: holder.code }, essential: { new: true }, valid_to: { new: '2026-12-31' } });
    const everything = JSON.stringify(await db().selectFrom('audit_log').select(['changes', 'details']).execute());
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(raw.token_hash);
  });

  it('qr.png decodes to the token, whose SHA-256 is the stored token_hash', async () => {
    const pass = await issue();
    const res = await access.get(`/api/passes/${pass.id}/qr.png`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const png = PNG.sync.read(res.rawPayload);
    expect([png.width, png.height]).toEqual([320, 320]);
    const token = decodeQr(res.rawPayload);
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const stored = await db().selectFrom('passes').select('token_hash').where('id', '=', pass.id).executeTakeFirstOrThrow();
    expect(tokenHash(token!)).toBe(stored.token_hash);
    // The same pass always shows the same token (a card can be printed again); another pass another.
    expect(decodeQr((await guard.get(`/api/passes/${pass.id}/qr.png`)).rawPayload)).toBe(token);
    const other = await issue();
    expect(decodeQr((await access.get(`/api/passes/${other.id}/qr.png`)).rawPayload)).not.toBe(token);
    const views = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'pass.qr.view').where('object_id', '=', pass.id).orderBy('seq').execute();
    expect(views.map((v) => v.actor_username)).toEqual(['access', 'guard']);
    expect(JSON.stringify(views)).not.toContain(token!);
  });

  it('suspends, reactivates and revokes with reasons; revocation is final', async () => {
    const pass = await issue();
    const suspended = await access.post(`/api/passes/${pass.id}/suspend`, { reason: '外出隔离' });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json()).toMatchObject({ status: 'suspended', statusReason: '外出隔离', statusChangedAt: t.clock.now().toISOString(), version: 2 });
    expect(errorOf(await access.post(`/api/passes/${pass.id}/suspend`, { reason: 'again' }))).toEqual([409, 'PASS_NOT_ACTIVE']);
    expect(errorOf(await access.post(`/api/passes/${pass.id}/reactivate`, { version: 1 }))).toEqual([409, 'STALE_VERSION']);
    const back = await access.post(`/api/passes/${pass.id}/reactivate`, { version: 2 });
    expect(back.json()).toMatchObject({ status: 'active', statusReason: null, version: 3 });
    expect(errorOf(await access.post(`/api/passes/${pass.id}/reactivate`))).toEqual([409, 'PASS_NOT_SUSPENDED']);
    expect(errorOf(await access.post(`/api/passes/${pass.id}/revoke`, {}))).toEqual([400, 'VALIDATION_FAILED']);
    const revoked = await access.post(`/api/passes/${pass.id}/revoke`, { reason: '搬离小区' });
    expect(revoked.json()).toMatchObject({ status: 'revoked', statusReason: '搬离小区', version: 4 });
    // The database says so at once (the gate reads it on every scan).
    const row = await db().selectFrom('passes').select(['status', 'status_reason', 'status_changed_by']).where('id', '=', pass.id).executeTakeFirstOrThrow();
    const accessUser = await db().selectFrom('users').select('id').where('username', '=', 'access').executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'revoked', status_reason: '搬离小区', status_changed_by: accessUser.id });
    for (const action of ['reactivate', 'suspend', 'revoke']) {
      expect(errorOf(await access.post(`/api/passes/${pass.id}/${action}`, action === 'reactivate' ? {} : { reason: 'undo' })), action).toEqual([409, 'PASS_REVOKED']);
    }
    expect(((await access.get(`/api/passes/${pass.id}`)).json() as Pass).status).toBe('revoked');
    const trail = await db().selectFrom('audit_log').select(['action', 'changes', 'details']).where('object_id', '=', pass.id).where('action', 'like', 'pass.%').orderBy('seq').execute();
    expect(trail.map((a) => [a.action, a.changes, a.details])).toEqual([
      ['pass.create', expect.anything(), null],
      ['pass.suspend', { status: { old: 'active', new: 'suspended' } }, { reason: '外出隔离' }],
      ['pass.reactivate', { status: { old: 'suspended', new: 'active' } }, null],
      ['pass.revoke', { status: { old: 'active', new: 'revoked' } }, { reason: '搬离小区' }],
    ]);
  });

  it('refuses bad passes with stable codes', async () => {
    expect(errorOf(await access.post('/api/passes', { person: holder.code, sites: [north.code], validFrom: '2026-05-01', validTo: '2026-04-30' }))).toEqual([422, 'PASS_DATES_INVALID']);
    expect(errorOf(await access.post('/api/passes', { person: holder.code, sites: ['NOPE'], validFrom: '2026-05-01', validTo: '2026-05-30' }))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(errorOf(await access.post('/api/passes', { person: 'NOBODY', sites: [north.code], validFrom: '2026-05-01', validTo: '2026-05-30' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await access.post('/api/passes', { person: holder.code, sites: [], validFrom: '2026-05-01', validTo: '2026-05-30' }))).toEqual([400, 'VALIDATION_FAILED']);
    const badWindows = [[{ days: [8], from: '07:00', to: '08:00' }], [{ days: [1, 1], from: '07:00', to: '08:00' }], [{ days: [1], from: '07:00', to: '07:00' }], [{ days: [1], from: '7:00', to: '08:00' }]];
    for (const windows of badWindows) {
      expect(errorOf(await access.post('/api/passes', { person: holder.code, sites: [north.code], validFrom: '2026-05-01', validTo: '2026-05-30', windows })), JSON.stringify(windows)).toEqual([400, 'VALIDATION_FAILED']);
    }
    // A night shift runs past midnight.
    const night = await issue({ windows: [{ days: [6, 7], from: '22:00', to: '06:00' }] });
    expect(night.windows).toEqual([{ days: [6, 7], from: '22:00', to: '06:00' }]);
  });

  it('scope and permissions: reads need access.read within the scope, writes access.write', async () => {
    const pass = await issue();
    // The leader reads access control, but DJ1's subtree holds neither the holder nor the site.
    expect(errorOf(await leader.get(`/api/passes/${pass.id}`))).toEqual([404, 'PASS_NOT_FOUND']);
    expect(errorOf(await leader.get(`/api/passes?person=${holder.code}`))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await leader.get(`/api/passes?site=${north.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(((await leader.get('/api/passes')).json() as PassPage).rows.map((p) => p.id)).not.toContain(pass.id);
    expect(errorOf(await leader.get(`/api/passes/${pass.id}/qr.png`))).toEqual([404, 'PASS_NOT_FOUND']);
    // The group manager sees everything but changes nothing; guards only read; the viewer not even that.
    expect(((await manager.get('/api/passes?pageSize=500')).json() as PassPage).rows.map((p) => p.id)).toContain(pass.id);
    expect(errorOf(await manager.post(`/api/passes/${pass.id}/revoke`, { reason: 'x' }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await guard.post(`/api/passes/${pass.id}/suspend`, { reason: 'x' }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await guard.post('/api/passes', { person: holder.code, sites: [north.code], validFrom: '2026-05-01', validTo: '2026-05-30' }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await viewer.get('/api/passes'))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await viewer.get(`/api/passes/${pass.id}/qr.png`))).toEqual([403, 'FORBIDDEN']);
    // A pass for a site outside the access administrator's scope cannot be issued.
    const yh1Site = await f.site({ unitCode: 'YH1' });
    expect(errorOf(await access.post('/api/passes', { person: holder.code, sites: [north.code, yh1Site.code], validFrom: '2026-05-01', validTo: '2026-05-30' }))).toEqual([404, 'SITE_NOT_FOUND']);
  });

  it('the holder sees their own passes and QR codes (GET /api/my/passes), nobody else’s', async () => {
    const admin = await t.login('admin');
    const wzbw = (await db().selectFrom('units').select('id').where('code', '=', 'WZBW').executeTakeFirstOrThrow()).id;
    const username = `holder.${uniqueCode('u').toLowerCase()}`;
    const user = await admin.post('/api/users', { username, displayName: '住户', unitId: wzbw, roleCodes: ['viewer'], password: 'Start#2026x' });
    expect(user.statusCode, user.body).toBe(201);
    const me = await f.person({ name: '李白', siteId: north.id });
    const userId = (user.json() as { id: string }).id;
    await db().updateTable('people').set({ user_id: userId }).where('id', '=', me.id).execute();
    await db().updateTable('users').set({ must_change_password: false }).where('id', '=', userId).execute(); // a first sign-in would ask for a new password
    const mine = await issue({ person: me.code });
    await issue(); // someone else's

    const client = await t.login(username, 'Start#2026x');
    const res = (await client.get('/api/my/passes')).json() as MyPasses;
    expect(res.person).toEqual({ code: me.code, name: '李白' });
    expect(res.rows.map((p) => p.id)).toEqual([mine.id]);
    expect(res.rows[0]).toMatchObject({ personName: '李*', sites: [{ code: north.code }], status: 'active' });
    const qr = await client.get(`/api/passes/${mine.id}/qr.png`);
    expect(qr.statusCode).toBe(200);
    const stored = await db().selectFrom('passes').select('token_hash').where('id', '=', mine.id).executeTakeFirstOrThrow();
    expect(tokenHash(decodeQr(qr.rawPayload)!)).toBe(stored.token_hash);
    expect((await db().selectFrom('audit_log').select('details').where('action', '=', 'pass.qr.view').where('object_id', '=', mine.id).execute()).map((a) => a.details)).toEqual([{ holder: true }]);
    const someoneElses = ((await access.get(`/api/passes?person=${holder.code}`)).json() as PassPage).rows[0]!;
    expect(errorOf(await client.get(`/api/passes/${someoneElses.id}/qr.png`))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await client.get(`/api/passes/${mine.id}`))).toEqual([403, 'FORBIDDEN']);
    // Without a person record: no passes.
    expect((await viewer.get('/api/my/passes')).json()).toEqual({ person: null, rows: [] });
  });
});
