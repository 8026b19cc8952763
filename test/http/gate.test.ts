import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeviceInfo, GateEventRow, LookupResult, ScanResult } from '../../src/server/modules/gate/gate.schemas';
import { accessFixtures, validIdNumber, type AccessFixtures, type DeviceFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

// The test app's clock reads 2026-03-02T01:00:00Z: Monday 09:00 in Shanghai.
describe.each(engines)('the gate on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    access = await t.login('access');
  });
  afterAll(() => t?.close());

  const call = (device: DeviceFixture | string | null, method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method,
      url,
      headers: { ...headers, ...(device ? { authorization: `Bearer ${typeof device === 'string' ? device : device.token}` } : {}) },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  /** A gate: a restricted community (unless told), a checkpoint and a device, and a scanner bound to it. */
  async function gate(site: Parameters<AccessFixtures['gate']>[0] = {}, checkpoint: Parameters<AccessFixtures['gate']>[1] = {}) {
    const g = await f.gate({ accessLevel: 'restricted', ...site }, checkpoint);
    const scan = async (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ScanResult> => {
      const res = await call(g.device, 'POST', '/api/gate/scans', { checkpoint: g.checkpoint.code, direction: 'in', idempotencyKey: randomUUID(), ...body }, headers);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    return { ...g, scan };
  }
  /** A resident of the site with a pass for it (overrides for the pass). */
  async function resident(siteId: string, pass: Partial<Parameters<AccessFixtures['pass']>[0]> = {}, person: Parameters<AccessFixtures['person']>[0] = {}) {
    const p = await f.person({ name: '王小明', category: 'resident', siteId, ...person });
    const ps = await f.pass({ personId: p.id, siteIds: [siteId], ...pass });
    return { ...p, token: ps.token, passId: ps.id };
  }
  const errorOf = (res: LightMyRequestResponse) => [res.statusCode, (res.json() as { error: { code: string } }).error.code] as const;
  const eventCount = async (where: { key?: string; checkpointId?: string }) => {
    let q = t.deps.database.db.selectFrom('gate_events').select((eb) => eb.fn.countAll<string>().as('n'));
    if (where.key) q = q.where('idempotency_key', '=', where.key);
    if (where.checkpointId) q = q.where('checkpoint_id', '=', where.checkpointId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const casesOf = (personId: string) => t.deps.database.db.selectFrom('abnormal_cases').selectAll().where('person_id', '=', personId).execute();

  it('allows a resident with a valid pass, in plain words, with the name masked, and records the event', async () => {
    const g = await gate();
    const r = await resident(g.site.id);
    const key = randomUUID();
    const res = await g.scan({ token: r.token, idempotencyKey: key, temperatureC: 36.6 });
    expect(res).toMatchObject({ decision: 'allow', reason: null, message: '准许通行', person: { code: r.code, name: '王**', category: 'resident' }, vehicle: null, at: '2026-03-02T01:00:00.000Z', duplicate: false });
    const stored = await t.deps.database.db.selectFrom('gate_events').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ id: res.id, person_id: r.id, pass_id: r.passId, credential: 'pass', direction: 'in', decision: 'allow', reason: null, device_id: g.device.id, offline: false });
    expect(Number(stored.temperature_c)).toBe(36.6);
    // English when the device prefers it.
    expect((await g.scan({ token: r.token }, { 'accept-language': 'en-US,en;q=0.9' })).message).toBe('Allowed');
    // Out is allowed too.
    expect(await g.scan({ token: r.token, direction: 'out' })).toMatchObject({ decision: 'allow', reason: null });
  });

  it('NO_PASS: an unknown QR, or a resident without a pass of a restricted community; an open one lets them in', async () => {
    const g = await gate();
    expect(await g.scan({ token: 'not-a-real-token-at-all' })).toMatchObject({ decision: 'deny', reason: 'NO_PASS', message: '无通行证，请回家取证', person: null });
    const p = await f.person({ name: '李四', siteId: g.site.id });
    expect(await g.scan({ person: p.code })).toMatchObject({ decision: 'deny', reason: 'NO_PASS', person: { code: p.code, name: '李*', category: 'resident' } });
    expect((await g.scan({ person: p.code }, { 'accept-language': 'en' })).message).toBe('No pass: please fetch your pass');
    const open = await gate({ accessLevel: 'open' });
    expect(await open.scan({ person: p.code })).toMatchObject({ decision: 'allow', reason: null });
    // A plant needs a pass even when open.
    const plant = await gate({ kind: 'plant', accessLevel: 'open' });
    expect(await plant.scan({ person: p.code })).toMatchObject({ decision: 'deny', reason: 'NO_PASS' });
  });

  it('PASS_EXPIRED, PASS_SUSPENDED, PASS_REVOKED, WRONG_SITE', async () => {
    const g = await gate();
    const other = await f.site();
    const expired = await resident(g.site.id, { validFrom: '2025-01-01', validTo: '2026-03-01' });
    expect(await g.scan({ token: expired.token })).toMatchObject({ decision: 'deny', reason: 'PASS_EXPIRED', message: '通行证不在有效期内，请到管理处办理' });
    const notYet = await resident(g.site.id, { validFrom: '2026-03-03' });
    expect((await g.scan({ token: notYet.token })).reason).toBe('PASS_EXPIRED');
    const suspended = await resident(g.site.id, { status: 'suspended' });
    expect(await g.scan({ token: suspended.token })).toMatchObject({ decision: 'deny', reason: 'PASS_SUSPENDED', message: '通行证已暂停使用，请到管理处了解情况' });
    const revoked = await resident(g.site.id, { status: 'revoked' });
    expect(await g.scan({ token: revoked.token })).toMatchObject({ decision: 'deny', reason: 'PASS_REVOKED', message: '通行证已作废，禁止通行' });
    const elsewhere = await resident(other.id);
    expect(await g.scan({ token: elsewhere.token })).toMatchObject({ decision: 'deny', reason: 'WRONG_SITE', message: '不是本小区（厂区）的通行证', person: { code: elsewhere.code } });
  });

  it('a revocation applies at once: the next scan of the same pass is denied', async () => {
    const g = await gate();
    const r = await resident(g.site.id);
    expect((await g.scan({ token: r.token })).decision).toBe('allow');
    await t.deps.database.db.updateTable('passes').set({ status: 'revoked', status_reason: 'lost', status_changed_at: t.clock.now() }).where('id', '=', r.passId).execute();
    expect(await g.scan({ token: r.token })).toMatchObject({ decision: 'deny', reason: 'PASS_REVOKED' });
    // By person code the best pass is the revoked one too.
    expect((await g.scan({ person: r.code })).reason).toBe('PASS_REVOKED');
  });

  it('OUTSIDE_HOURS: the checkpoint is shut, or the pass window does not cover the time', async () => {
    const shut = await gate({}, { openingHours: [{ from: '10:00', to: '22:00' }] });
    const r = await resident(shut.site.id);
    expect(await shut.scan({ token: r.token })).toMatchObject({ decision: 'deny', reason: 'OUTSIDE_HOURS', message: '不在通行时段内，请在开放时间通行' });
    // Leaving is never refused for the hours.
    expect((await shut.scan({ token: r.token, direction: 'out' })).decision).toBe('allow');
    const night = await gate({}, { openingHours: [{ from: '22:00', to: '10:00' }] });
    expect((await night.scan({ token: (await resident(night.site.id)).token })).decision).toBe('allow');
    const g = await gate();
    const shift = await resident(g.site.id, { windows: [{ days: [1, 2, 3, 4, 5], from: '14:00', to: '22:00' }] });
    expect((await g.scan({ token: shift.token })).reason).toBe('OUTSIDE_HOURS');
    const morning = await resident(g.site.id, { windows: [{ days: [1], from: '07:30', to: '16:00' }] });
    expect((await g.scan({ token: morning.token })).decision).toBe('allow');
  });

  it('SITE_CLOSED: only essential pass holders enter a closed site', async () => {
    const g = await gate({ accessLevel: 'closed' });
    const plain = await resident(g.site.id);
    expect(await g.scan({ token: plain.token })).toMatchObject({ decision: 'deny', reason: 'SITE_CLOSED', message: '封闭管理中，仅限必要人员通行' });
    const essential = await resident(g.site.id, { essential: true });
    expect((await g.scan({ token: essential.token })).decision).toBe('allow');
  });

  it('FEVER: 37.3 denies and opens exactly one abnormal case; 37.2 allows; a resend opens no second case', async () => {
    const g = await gate();
    const r = await resident(g.site.id);
    expect((await g.scan({ token: r.token, temperatureC: 37.2 })).decision).toBe('allow');
    expect(await casesOf(r.id)).toEqual([]);
    const key = randomUUID();
    const hot = await g.scan({ token: r.token, temperatureC: 37.3, idempotencyKey: key });
    expect(hot).toMatchObject({ decision: 'deny', reason: 'FEVER', message: '体温异常（≥37.3℃），禁止进入，已登记异常情况' });
    const again = await g.scan({ token: r.token, temperatureC: 37.3, idempotencyKey: key });
    expect(again).toMatchObject({ id: hot.id, decision: 'deny', reason: 'FEVER', duplicate: true });
    const cases = await casesOf(r.id);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ source: 'gate', reason: 'FEVER', source_ref: hot.id, site_id: g.site.id, status: 'open' });
    expect(Number(cases[0]!.temperature_c)).toBe(37.3);
    expect(cases[0]!.opened_at.toISOString()).toBe('2026-03-02T01:00:00.000Z');
    // A fever on the way out is not a reason to keep anyone in.
    expect((await g.scan({ token: r.token, temperatureC: 38.5, direction: 'out' })).decision).toBe('allow');
    expect(await casesOf(r.id)).toHaveLength(1);
  });

  it('HEALTH_RED: a red status denies entry and opens an abnormal case', async () => {
    const g = await gate();
    const r = await resident(g.site.id);
    await f.healthStatus(r.id, 'red');
    const res = await g.scan({ token: r.token, temperatureC: 36.5 });
    expect(res).toMatchObject({ decision: 'deny', reason: 'HEALTH_RED', message: '健康状态为红色，禁止进入，已登记异常情况' });
    expect(await casesOf(r.id)).toMatchObject([{ reason: 'HEALTH_RED', source: 'gate', source_ref: res.id }]);
    await f.healthStatus(r.id, 'yellow');
    expect((await g.scan({ token: r.token })).decision).toBe('allow');
  });

  it('HOUSEHOLD_QUOTA: one member out per household in 2 days, in a restricted community', async () => {
    const g = await gate({ householdQuotaDays: 2, householdQuotaCount: 1 });
    const h = await f.household({ siteId: g.site.id });
    const a = await resident(g.site.id, {}, { householdId: h.id });
    const b = await resident(g.site.id, {}, { householdId: h.id });
    expect((await g.scan({ token: a.token, direction: 'out' })).decision).toBe('allow');
    // The same member may go out again; another member may not.
    expect((await g.scan({ token: a.token, direction: 'out' })).decision).toBe('allow');
    expect(await g.scan({ token: b.token, direction: 'out' })).toMatchObject({ decision: 'deny', reason: 'HOUSEHOLD_QUOTA', message: '本户外出名额已用完，请改日外出' });
    // Two days later the window has passed.
    t.clock.advance(2 * 86_400_000 + 60_000);
    try {
      expect((await g.scan({ token: b.token, direction: 'out' })).decision).toBe('allow');
    } finally {
      t.clock.set(new Date('2026-03-02T01:00:00Z'));
    }
  });

  it('BLOCKED: by person, by ID number (registered or not), for this site or all; removed or expired blocks do not count', async () => {
    const g = await gate();
    const r = await resident(g.site.id);
    await f.block({ personId: r.id, siteId: g.site.id });
    expect(await g.scan({ token: r.token })).toMatchObject({ decision: 'deny', reason: 'BLOCKED', message: '已列入禁止通行名单，禁止进入' });
    const byId = await resident(g.site.id);
    await f.block({ idNumber: byId.idNumber! });
    expect((await g.scan({ token: byId.token })).reason).toBe('BLOCKED');
    const stranger = validIdNumber(9001);
    await f.block({ idNumber: stranger, siteId: g.site.id });
    expect(await g.scan({ idNumber: stranger })).toMatchObject({ decision: 'deny', reason: 'BLOCKED', person: null });
    const lifted = await resident(g.site.id);
    await f.block({ personId: lifted.id, removed: true });
    await f.block({ personId: lifted.id, validTo: '2026-03-01' });
    await f.block({ personId: lifted.id, siteId: (await f.site()).id });
    expect((await g.scan({ token: lifted.token })).decision).toBe('allow');
    // Registered people are found by their ID number too.
    expect(await g.scan({ idNumber: lifted.idNumber!.toLowerCase() })).toMatchObject({ decision: 'allow', person: { code: lifted.code } });
  });

  it('VISITOR_NOT_APPROVED: a visitor needs an approved visit covering the time', async () => {
    const g = await gate({ accessLevel: 'open' });
    const v = await f.person({ name: '欧阳娜娜', category: 'visitor' });
    expect(await g.scan({ person: v.code })).toMatchObject({ decision: 'deny', reason: 'VISITOR_NOT_APPROVED', message: '访客未获预约批准，请联系被访人', person: { name: '欧阳**', category: 'visitor' } });
    await f.visit({ visitorPersonId: v.id, siteId: g.site.id, status: 'pending' });
    expect((await g.scan({ person: v.code })).reason).toBe('VISITOR_NOT_APPROVED');
    await f.visit({ visitorPersonId: v.id, siteId: g.site.id, startsAt: new Date('2026-03-02T02:00:00Z') }); // starts later
    expect((await g.scan({ person: v.code })).reason).toBe('VISITOR_NOT_APPROVED');
    await f.visit({ visitorPersonId: v.id, siteId: g.site.id });
    expect(await g.scan({ person: v.code })).toMatchObject({ decision: 'allow', reason: null });
  });

  it('a vehicle plate is answered masked, with its permission for the site', async () => {
    const g = await gate();
    const r = await resident(g.site.id);
    const vehicle = await t.deps.database.db.insertInto('vehicles').values({ plate: '晋A12345' }).returning('id').executeTakeFirstOrThrow();
    await t.deps.database.db.insertInto('vehicle_sites').values({ vehicle_id: vehicle.id, site_id: g.site.id }).execute();
    expect((await g.scan({ token: r.token, plate: '晋a 12345', disinfected: true })).vehicle).toEqual({ plate: '晋A1***5', permitted: true });
    expect((await g.scan({ token: r.token, plate: '晋B99999' })).vehicle).toEqual({ plate: '晋B9***9', permitted: false });
  });

  it('idempotency: the same key twice is one event and the same answer', async () => {
    const g = await gate();
    const r = await resident(g.site.id);
    const key = randomUUID();
    const first = await g.scan({ token: r.token, idempotencyKey: key });
    const second = await g.scan({ token: r.token, idempotencyKey: key, direction: 'out' });
    expect(second).toEqual({ ...first, duplicate: true });
    expect(await eventCount({ key })).toBe(1);
    // A key used at another checkpoint is not this scan's.
    const other = await gate();
    const res = await call(other.device, 'POST', '/api/gate/scans', { checkpoint: other.checkpoint.code, token: r.token, direction: 'in', idempotencyKey: key });
    expect(errorOf(res)).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('scans that arrive together share their statements, and each gets its own answer; the same key twice among them is one event', async () => {
    const g = await gate();
    const other = await gate({ accessLevel: 'open' });
    const valid = await resident(g.site.id);
    const revoked = await resident(g.site.id, { status: 'revoked' });
    const theirs = await resident(other.site.id);
    const key = randomUUID();
    const prepared = vi.spyOn(t.deps.database, 'prepared');
    const scans = [
      g.scan({ token: valid.token, idempotencyKey: key }),
      g.scan({ token: revoked.token }),
      g.scan({ token: theirs.token }),
      g.scan({ token: 'an-unknown-qr-code' }),
      other.scan({ token: theirs.token }),
      g.scan({ token: valid.token, idempotencyKey: key, direction: 'out' }),
      ...Array.from({ length: 24 }, () => g.scan({ token: valid.token, direction: 'out' })),
    ];
    const answers = await Promise.all(scans);
    const statements = prepared.mock.calls.map((c) => c[0]);
    prepared.mockRestore();
    expect(answers.slice(0, 5).map((a) => [a.decision, a.reason, a.person?.code ?? null])).toEqual([
      ['allow', null, valid.code],
      ['deny', 'PASS_REVOKED', revoked.code],
      ['deny', 'WRONG_SITE', theirs.code],
      ['deny', 'NO_PASS', null],
      ['allow', null, theirs.code],
    ]);
    expect(answers.filter((a) => a.duplicate)).toHaveLength(1);
    // The resend, whichever of the two came first, is the first's answer.
    const [first, resend] = answers[0]!.duplicate ? [answers[5]!, answers[0]!] : [answers[0]!, answers[5]!];
    expect(resend).toEqual({ ...first, duplicate: true });
    expect(await eventCount({ key })).toBe(1);
    expect(new Set(answers.slice(6).map((a) => a.id)).size).toBe(24);
    expect(await eventCount({ checkpointId: g.checkpoint.id })).toBe(4 + 24);
    expect(await eventCount({ checkpointId: other.checkpoint.id })).toBe(1);
    // 30 scans, far fewer lookups and inserts (one each when all arrive in the same turn).
    const lookups = statements.filter((n) => n === 'gate-subjects-token').length;
    const inserts = statements.filter((n) => n === 'gate-insert-events').length;
    expect(lookups).toBeGreaterThan(0);
    expect(lookups).toBeLessThan(10);
    expect(inserts).toBeLessThan(10);
  });

  it('refuses what is not a valid scan, and stores nothing', async () => {
    const g = await gate({ temperatureMode: 'required' });
    const r = await resident(g.site.id);
    const post = (body: Record<string, unknown>, device: DeviceFixture | string | null = g.device) =>
      call(device, 'POST', '/api/gate/scans', { checkpoint: g.checkpoint.code, direction: 'in', idempotencyKey: randomUUID(), token: r.token, ...body });
    expect(errorOf(await post({}))).toEqual([422, 'TEMPERATURE_REQUIRED']);
    expect((await g.scan({ token: r.token, direction: 'out' })).decision).toBe('allow'); // not on the way out
    expect((await g.scan({ token: r.token, temperatureC: 36.4 })).decision).toBe('allow');
    expect(errorOf(await post({ temperatureC: 36.5, scannedAt: '2026-03-02T01:06:00Z' }))).toEqual([422, 'SCANNED_AT_IN_FUTURE']);
    expect((await g.scan({ token: r.token, temperatureC: 36.5, scannedAt: '2026-03-02T01:04:00Z' })).at).toBe('2026-03-02T01:04:00.000Z');
    expect(errorOf(await post({ temperatureC: 36.5, person: r.code }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await post({ temperatureC: 36.5, token: undefined }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await post({ temperatureC: 29.9 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await post({ temperatureC: 36.5, idempotencyKey: 'short' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await eventCount({ checkpointId: g.checkpoint.id })).toBe(3);
  });

  it('401 without a device token, with an unknown one, with a revoked one, and with a session alone; 403 at another checkpoint', async () => {
    const g = await gate();
    const body = { checkpoint: g.checkpoint.code, token: 'whatever-token', direction: 'in', idempotencyKey: randomUUID() };
    expect(errorOf(await call(null, 'POST', '/api/gate/scans', body))).toEqual([401, 'DEVICE_TOKEN_INVALID']);
    expect(errorOf(await call('dev_unknown', 'POST', '/api/gate/scans', body))).toEqual([401, 'DEVICE_TOKEN_INVALID']);
    const guard = await t.login('guard');
    expect(errorOf(await guard.post('/api/gate/scans', body))).toEqual([401, 'DEVICE_TOKEN_INVALID']);
    const other = await gate();
    expect(errorOf(await call(g.device, 'POST', '/api/gate/scans', { ...body, checkpoint: other.checkpoint.code }))).toEqual([403, 'WRONG_CHECKPOINT']);
    expect((await call(g.device, 'GET', '/api/gate/device')).statusCode).toBe(200);
    const revoked = await access.post(`/api/devices/${g.device.id}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    for (const url of ['/api/gate/device', '/api/gate/snapshot']) expect(errorOf(await call(g.device, 'GET', url))).toEqual([401, 'DEVICE_TOKEN_INVALID']);
    expect(errorOf(await call(g.device, 'POST', '/api/gate/scans', body))).toEqual([401, 'DEVICE_TOKEN_INVALID']);
    // A device revoked behind the server's back (fixture) is refused too.
    const gone = await f.device({ checkpointId: other.checkpoint.id, revoked: true });
    expect(errorOf(await call(gone, 'GET', '/api/gate/device'))).toEqual([401, 'DEVICE_TOKEN_INVALID']);
  });

  it('a guard signed in beside the device is recorded as the guard of the event', async () => {
    const g = await gate();
    const r = await resident(g.site.id);
    const guard = await t.login('guard');
    const key = randomUUID();
    const res = await call(g.device, 'POST', '/api/gate/scans', { checkpoint: g.checkpoint.code, token: r.token, direction: 'in', idempotencyKey: key }, { cookie: `ps_session=${guard.cookie}` });
    expect(res.statusCode, res.body).toBe(200);
    const user = await t.deps.database.db.selectFrom('users').select('id').where('username', '=', 'guard').executeTakeFirstOrThrow();
    expect((await t.deps.database.db.selectFrom('gate_events').select('guard_user_id').where('idempotency_key', '=', key).executeTakeFirstOrThrow()).guard_user_id).toBe(user.id);
  });

  it('GET /api/gate/device: the device, its checkpoint and site, the public key, the server time; last seen is recorded', async () => {
    const g = await gate({ nameZh: '翠微小区', temperatureMode: 'required', householdQuotaDays: 3, householdQuotaCount: 2 }, { nameZh: '东门', openingHours: [{ from: '06:00', to: '22:00' }] });
    const res = await call(g.device, 'GET', '/api/gate/device');
    expect(res.statusCode, res.body).toBe(200);
    const info = res.json() as DeviceInfo;
    expect(info).toMatchObject({
      device: { id: g.device.id },
      checkpoint: { code: g.checkpoint.code, nameZh: '东门', openingHours: [{ from: '06:00', to: '22:00' }] },
      site: { code: g.site.code, nameZh: '翠微小区', kind: 'community', accessLevel: 'restricted', temperatureMode: 'required', feverThresholdC: 37.3, householdQuota: { days: 3, count: 2 } },
      serverTime: '2026-03-02T01:00:00.000Z',
    });
    expect(Buffer.from(info.publicKey, 'base64')).toHaveLength(32);
    const seen = await t.deps.database.db.selectFrom('devices').select('last_seen_at').where('id', '=', g.device.id).executeTakeFirstOrThrow();
    expect(seen.last_seen_at?.toISOString()).toBe('2026-03-02T01:00:00.000Z');
  });

  it('GET /api/gate/lookup: exact name and the last 4 of ID number or phone, names masked', async () => {
    const g = await gate();
    const a = await f.person({ name: '张伟', idNumber: validIdNumber(4242), phone: '13900001234' });
    const b = await f.person({ name: '张伟', idNumber: validIdNumber(4343), phone: '13900005678' });
    await f.person({ name: '张伟伟', phone: '13900001234' });
    const look = async (name: string, last4: string) => {
      const res = await call(g.device, 'GET', `/api/gate/lookup?name=${encodeURIComponent(name)}&last4=${last4}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as LookupResult).rows;
    };
    expect(await look('张伟', '1234')).toEqual([{ person: a.code, name: '张*', category: 'resident' }]);
    expect(await look('张伟', a.idNumber!.slice(-4).toLowerCase())).toEqual([{ person: a.code, name: '张*', category: 'resident' }]);
    expect((await look('张伟', b.idNumber!.slice(-4))).map((x) => x.person)).toContain(b.code);
    expect(await look('张', '1234')).toEqual([]);
    expect(await look('张伟', '0000')).toEqual([]);
    expect(errorOf(await call(g.device, 'GET', '/api/gate/lookup?name=x&last4=12'))).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('GET /api/gate/events lists a checkpoint’s day, masked, for access.read in scope', async () => {
    const g = await gate();
    const r = await resident(g.site.id, {}, { name: '赵六' });
    const allowed = await g.scan({ token: r.token, temperatureC: 36.8, plate: '晋A12345' });
    const denied = await g.scan({ token: 'unknown-token-000' });
    // Before 00:00 Shanghai on 2026-03-02 (yesterday there).
    await g.scan({ token: r.token, scannedAt: '2026-03-01T15:59:00Z', direction: 'out' });
    const res = await access.get(`/api/gate/events?checkpoint=${g.checkpoint.code}&date=2026-03-02`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = (res.json() as { rows: GateEventRow[] }).rows;
    expect(rows).toEqual([
      // The temperature is health data: null for the access administrator (no health.read).
      { id: allowed.id, at: '2026-03-02T01:00:00.000Z', direction: 'in', decision: 'allow', reason: null, person: { code: r.code, name: '赵*', category: 'resident' }, temperatureC: null, plate: '晋A1***5', offline: false },
      { id: denied.id, at: '2026-03-02T01:00:00.000Z', direction: 'in', decision: 'deny', reason: 'NO_PASS', person: null, temperatureC: null, plate: null, offline: false },
    ].sort((x, y) => (x.id < y.id ? -1 : 1)));
    const yesterday = (await access.get(`/api/gate/events?checkpoint=${g.checkpoint.code}&date=2026-03-01`)).json() as { rows: GateEventRow[] };
    expect(yesterday.rows.map((x) => x.at)).toEqual(['2026-03-01T15:59:00.000Z']);
    // Outside the scope (a DJ1 site for the WZBW access administrator) the checkpoint does not exist.
    const dj1 = await f.gate({ unitCode: 'DJ1' });
    expect(errorOf(await access.get(`/api/gate/events?checkpoint=${dj1.checkpoint.code}&date=2026-03-02`))).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect((await (await t.login('manager')).get(`/api/gate/events?checkpoint=${dj1.checkpoint.code}&date=2026-03-02`)).statusCode).toBe(200);
    // The guard (access.read, own unit WZBW) sees the gate's day; a clerk without access.read may not.
    expect(((await (await t.login('guard')).get(`/api/gate/events?checkpoint=${g.checkpoint.code}&date=2026-03-02`)).json() as { rows: unknown[] }).rows).toHaveLength(2);
    expect(errorOf(await (await t.login('clerk')).get(`/api/gate/events?checkpoint=${g.checkpoint.code}&date=2026-03-02`))).toEqual([403, 'FORBIDDEN']);
  });

  it('GET /api/gate/events: temperatures only for health.read; a unit leader and the group manager (access.read) get null', async () => {
    const g = await gate({ unitCode: 'DJ1' });
    const r = await resident(g.site.id, {}, { name: '孙七' });
    const hot = await g.scan({ token: r.token, temperatureC: 37.8 });
    expect(hot.decision).toBe('deny');
    const ok = await g.scan({ token: r.token, temperatureC: 36.6, direction: 'out' });
    const temperaturesFor = async (user: string) => {
      const res = await (await t.login(user)).get(`/api/gate/events?checkpoint=${g.checkpoint.code}&date=2026-03-02`);
      expect(res.statusCode, res.body).toBe(200);
      return Object.fromEntries((res.json() as { rows: GateEventRow[] }).rows.map((x) => [x.id, x.temperatureC]));
    };
    expect(await temperaturesFor('health')).toEqual({ [hot.id]: 37.8, [ok.id]: 36.6 });
    for (const user of ['leader', 'manager']) expect(await temperaturesFor(user), user).toEqual({ [hot.id]: null, [ok.id]: null });
  });
});
