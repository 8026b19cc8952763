import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataOf } from '../../src/server/crypto/personal-data';
import { visitPassValidity } from '../../src/server/modules/visitors/visit-pass';
import type { Visit } from '../../src/server/modules/visitors/visitors.schemas';
import { accessFixtures, validIdNumber, type AccessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import { bearerClient, createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

describe('the pass of a visit', () => {
  it('covers the local dates, and within one day the hours from start (down) to end (up) on that weekday', () => {
    // 2026-03-02 is a Monday.
    expect(visitPassValidity(new Date('2026-03-02T10:00:30+08:00'), new Date('2026-03-02T16:30:20+08:00'))).toEqual({
      validFrom: '2026-03-02',
      validTo: '2026-03-02',
      windows: [{ days: [1], from: '10:00', to: '16:31' }],
    });
    // Ending at midnight stays on the one day; the window runs to the end of it (00:00).
    expect(visitPassValidity(new Date('2026-03-08T20:00:00+08:00'), new Date('2026-03-09T00:00:00+08:00'))).toEqual({
      validFrom: '2026-03-08',
      validTo: '2026-03-08',
      windows: [{ days: [7], from: '20:00', to: '00:00' }],
    });
    // Over several days: the dates alone bound it (UTC midnight is 08:00 in Shanghai).
    expect(visitPassValidity(new Date('2026-03-02T00:00:00Z'), new Date('2026-03-04T15:59:00Z'))).toEqual({ validFrom: '2026-03-02', validTo: '2026-03-04', windows: null });
  });
});

describe.each(engines)('visitors on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  let guard: Client;
  let manager: Client;
  let clerk: Client;
  let viewer: Client;
  let site: SiteFixture;
  let foreign: SiteFixture;
  const window = { startsAt: '2026-03-02T10:00:00+08:00', endsAt: '2026-03-02T16:30:00+08:00' };

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    access = await t.login('access');
    guard = await t.login('guard');
    manager = await t.login('manager');
    clerk = await t.login('clerk');
    viewer = await t.login('viewer');
    site = await f.site({ kind: 'plant', accessLevel: 'restricted', unitCode: 'WZBW' });
    foreign = await f.site({ kind: 'plant', unitCode: 'YH1' });
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const errorOf = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error: { code: string } }).error?.code] as const;
  async function create(client: Client, body: Record<string, unknown>): Promise<Visit> {
    const res = await client.post('/api/visits', { site: site.code, host: 'E0001', ...window, purpose: '设备检修', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Visit;
  }

  it('an access administrator registers a new visitor (encrypted, masked) and approves the visit: the visitor gets a pass for those hours at that site', async () => {
    const idNumber = validIdNumber(4242);
    const before = (await db().selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq ?? 0;
    const visit = await create(access, { visitor: { name: '王小明', idNumber, phone: '+86 139 1234 5678', sex: 'male' }, plate: '晋a 12345' });
    expect(visit).toMatchObject({
      status: 'pending',
      host: { code: 'E0001', name: '电解一厂厂长' },
      site: { code: site.code },
      startsAt: '2026-03-02T02:00:00.000Z',
      endsAt: '2026-03-02T08:30:00.000Z',
      purpose: '设备检修',
      plate: '晋A12345',
      passId: null,
      version: 1,
    });
    expect(visit.visitor).toEqual({ code: expect.stringMatching(/^V[0-9A-F]{10}$/), name: '王小明', category: 'visitor', idNumber: `3${'*'.repeat(15)}${idNumber.slice(-2)}`, phone: '139****5678' });

    // At rest: ciphertext and blind indexes, the visitor in the visit's site.
    const pd = personalDataOf(t.deps.config);
    const person = await db().selectFrom('people').selectAll().where('code', '=', visit.visitor.code).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ category: 'visitor', sex: 'male', id_type: 'resident-id', unit_id: null, site_id: site.id, id_number_bidx: pd.blindIndex('people.id_number', idNumber) });
    expect(person.id_number_enc!.includes(Buffer.from(idNumber))).toBe(false);
    expect(pd.decryptText('people.phone', person.phone_enc!)).toBe('13912345678');

    const approved = (await access.post(`/api/visits/${visit.id}/approve`, { note: '同意' })).json() as Visit;
    expect(approved).toMatchObject({ id: visit.id, status: 'approved', decisionNote: '同意', decidedAt: '2026-03-02T01:00:00.000Z', version: 2, passId: expect.any(String) });
    const pass = await db().selectFrom('passes').selectAll().where('id', '=', approved.passId!).executeTakeFirstOrThrow();
    expect(pass).toMatchObject({ person_id: person.id, visit_id: visit.id, valid_from: '2026-03-02', valid_to: '2026-03-02', windows: [{ days: [1], from: '10:00', to: '16:30' }], status: 'active', essential: false });
    const token = pd.decryptText('passes.token', pass.token_enc);
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(pass.token_hash).toBe(createHash('sha256').update(token, 'utf8').digest('hex'));
    expect(await db().selectFrom('pass_sites').select('site_id').where('pass_id', '=', pass.id).execute()).toEqual([{ site_id: site.id }]);

    // Audited, without the ID number, the phone or the token anywhere in the log.
    const log = await db().selectFrom('audit_log').select(['action', 'object_id', 'details', 'changes']).where('seq', '>', Number(before)).orderBy('seq').execute();
    expect(log.map((r) => r.action)).toEqual(['person.create', 'visit.create', 'pass.create', 'visit.approve']);
    expect(log[1]).toMatchObject({ object_id: visit.id, details: { visitor: visit.visitor.code, host: 'E0001', site: site.code } });
    const text = JSON.stringify(log);
    for (const secret of [idNumber, '13912345678', token, '王小明']) expect(text).not.toContain(secret);

    // The same ID number again is the same visitor (blind index), however it is typed.
    const again = await create(access, { visitor: { name: '王小明', idNumber: `${idNumber.slice(0, 6)} ${idNumber.slice(6).toLowerCase()}` } });
    expect(again.visitor.code).toBe(visit.visitor.code);
  });

  it('the approved pass lets the visitor through the gate inside the visit hours and not after', async () => {
    const visit = await create(access, { visitor: { name: '李四' } });
    const approved = (await access.post(`/api/visits/${visit.id}/approve`, {})).json() as Visit;
    const pass = await db().selectFrom('passes').select('token_enc').where('id', '=', approved.passId!).executeTakeFirstOrThrow();
    const token = personalDataOf(t.deps.config).decryptText('passes.token', pass.token_enc);
    const cp = await f.checkpoint({ siteId: site.id });
    const device = await f.device({ checkpointId: cp.id });
    const gate = bearerClient(t.app, device.token);
    const scan = async (at: string, key: string) => {
      t.clock.set(new Date(at));
      return gate.post('/api/gate/scans', { checkpoint: cp.code, token, direction: 'in', scannedAt: at, idempotencyKey: key });
    };
    try {
      const inside = await scan('2026-03-02T11:00:00+08:00', `visit-in-${visit.id}`);
      expect(inside.json()).toMatchObject({ decision: 'allow', reason: null, person: { code: visit.visitor.code, category: 'visitor' } });
      const late = await scan('2026-03-02T17:00:00+08:00', `visit-late-${visit.id}`);
      expect(late.json()).toMatchObject({ decision: 'deny', reason: 'OUTSIDE_HOURS' });
    } finally {
      t.clock.set(new Date('2026-03-02T01:00:00Z'));
    }
  });

  it('a host registers and decides their own visits without any access permission; others cannot', async () => {
    // The clerk (person E0002) has no access permission at all.
    const visit = await create(clerk, { host: 'E0002', visitor: { name: '赵六', phone: '13800138000' } });
    expect(visit).toMatchObject({ status: 'pending', host: { code: 'E0002' }, visitor: { name: '赵六', phone: '138****8000', idNumber: null } });
    // …but not on behalf of another host.
    expect(errorOf(await clerk.post('/api/visits', { site: site.code, host: 'E0001', visitor: { name: 'x' }, ...window }))).toEqual([403, 'FORBIDDEN']);
    // Someone who neither hosts nor reads the site does not see the visit at all.
    expect(errorOf(await viewer.post(`/api/visits/${visit.id}/approve`, {}))).toEqual([404, 'VISIT_NOT_FOUND']);
    expect(errorOf(await viewer.get(`/api/visits/${visit.id}`))).toEqual([404, 'VISIT_NOT_FOUND']);
    // Readers of the site see it but may not decide it.
    expect(errorOf(await guard.post(`/api/visits/${visit.id}/approve`, {}))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await manager.post(`/api/visits/${visit.id}/reject`, {}))).toEqual([403, 'FORBIDDEN']);
    const approved = (await clerk.post(`/api/visits/${visit.id}/approve`, {})).json() as Visit;
    expect(approved).toMatchObject({ status: 'approved', passId: expect.any(String) });
    expect(errorOf(await clerk.post(`/api/visits/${visit.id}/reject`, {}))).toEqual([409, 'VISIT_NOT_PENDING']);
    const mine = (await clerk.get('/api/visits')).json() as { rows: Visit[] };
    expect(mine.rows.map((v) => v.id)).toEqual([visit.id]);
  });

  it('rejects without issuing a pass; a rejected visit cannot be approved', async () => {
    const visit = await create(access, { visitor: { name: '钱七' } });
    const rejected = (await access.post(`/api/visits/${visit.id}/reject`, { note: '无事由' })).json() as Visit;
    expect(rejected).toMatchObject({ status: 'rejected', decisionNote: '无事由', passId: null });
    expect(await db().selectFrom('passes').select('id').where('visit_id', '=', visit.id).execute()).toEqual([]);
    expect(errorOf(await access.post(`/api/visits/${visit.id}/approve`, {}))).toEqual([409, 'VISIT_NOT_PENDING']);
    expect((await db().selectFrom('audit_log').select('changes').where('action', '=', 'visit.reject').where('object_id', '=', visit.id).executeTakeFirstOrThrow()).changes).toEqual({
      status: { old: 'pending', new: 'rejected' },
    });
  });

  it('checks the window, the ID number, the site scope and the people named', async () => {
    const body = { site: site.code, host: 'E0001', visitor: { name: '孙八' } };
    expect(errorOf(await access.post('/api/visits', { ...body, startsAt: window.endsAt, endsAt: window.startsAt }))).toEqual([422, 'VISIT_WINDOW_INVALID']);
    expect(errorOf(await access.post('/api/visits', { ...body, startsAt: '2026-03-02T10:00:00+08:00', endsAt: '2026-03-09T10:00:01+08:00' }))).toEqual([422, 'VISIT_TOO_LONG']);
    expect(errorOf(await access.post('/api/visits', { ...body, startsAt: '2026-03-01T10:00:00+08:00', endsAt: '2026-03-01T12:00:00+08:00' }))).toEqual([422, 'VISIT_IN_PAST']);
    const badId = `${validIdNumber(7).slice(0, 17)}${validIdNumber(7).endsWith('0') ? '1' : '0'}`;
    const bad = await access.post('/api/visits', { ...body, ...window, visitor: { name: '孙八', idNumber: badId } });
    expect(errorOf(bad)).toEqual([422, 'ID_NUMBER_INVALID']);
    expect(bad.body).not.toContain(badId);
    expect(errorOf(await access.post('/api/visits', { ...body, ...window, visitor: { name: '孙八', phone: '12' + '3'.repeat(3) } }))).toEqual([422, 'PHONE_INVALID']);
    expect(errorOf(await access.post('/api/visits', { ...body, ...window, site: foreign.code }))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(errorOf(await access.post('/api/visits', { ...body, ...window, host: 'NOBODY' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await access.post('/api/visits', { ...body, ...window, visitor: { code: 'E0001' } }))).toEqual([422, 'VISITOR_IS_HOST']);
    expect(errorOf(await access.post('/api/visits', { ...body, ...window, visitor: { code: 'E0003', name: 'x' } }))).toEqual([400, 'VALIDATION_FAILED']);
    // A registered person visits by code.
    const known = await create(access, { visitor: { code: 'E0003' } });
    expect(known.visitor).toMatchObject({ code: 'E0003', name: '集团经理', category: 'employee' });
  });

  it('lists by site, status and day within the scope', async () => {
    const other = await f.site({ unitCode: 'WZBW' });
    const tomorrow = await create(access, { site: other.code, visitor: { name: '周九' }, startsAt: '2026-03-03T09:00:00+08:00', endsAt: '2026-03-03T11:00:00+08:00' });
    const inForeign = await create(access, { visitor: { name: '吴十' } });
    const ids = (res: { json(): unknown }) => (res.json() as { rows: Visit[] }).rows.map((v) => v.id);
    expect(ids(await access.get(`/api/visits?site=${other.code}`))).toEqual([tomorrow.id]);
    expect(ids(await access.get(`/api/visits?date=2026-03-03`))).toEqual([tomorrow.id]);
    const pending = ids(await access.get(`/api/visits?site=${site.code}&status=pending`));
    expect(pending).toContain(inForeign.id);
    expect(pending).not.toContain(tomorrow.id);
    for (const v of (await access.get('/api/visits?status=approved')).json().rows as Visit[]) expect(v.status).toBe('approved');
    // The guard reads the WZBW sites' visits; the leader (DJ1) hosts E0001's visits and sees those only.
    expect(ids(await guard.get(`/api/visits?site=${other.code}`))).toEqual([tomorrow.id]);
    const leader = await t.login('leader');
    const leaderRows = (await leader.get('/api/visits')).json().rows as Visit[];
    expect(leaderRows.length).toBeGreaterThan(0);
    for (const v of leaderRows) expect(v.host.code).toBe('E0001');
    expect(ids(await leader.get('/api/visits?mine=true')).sort()).toEqual(leaderRows.map((v) => v.id).sort());
    // A visit at a site outside the scope stays hidden from the access administrator.
    const outside = await f.visit({ visitorPersonId: (await f.person({ category: 'visitor' })).id, siteId: foreign.id, status: 'pending' });
    expect(ids(await access.get('/api/visits'))).not.toContain(outside.id);
    expect(errorOf(await access.get(`/api/visits/${outside.id}`))).toEqual([404, 'VISIT_NOT_FOUND']);
    expect(ids(await manager.get('/api/visits'))).toContain(outside.id);
  });
});
