import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataOf } from '../../src/server/crypto/personal-data';
import type { BlockEntry } from '../../src/server/modules/block-list/block-list.schemas';
import { accessFixtures, type AccessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import { bearerClient, createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

describe.each(engines)('block list on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  let guard: Client;
  let manager: Client;
  let site: SiteFixture;
  let other: SiteFixture;
  let foreign: SiteFixture;

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    access = await t.login('access');
    guard = await t.login('guard');
    manager = await t.login('manager');
    site = await f.site({ kind: 'plant', unitCode: 'WZBW' });
    other = await f.site({ unitCode: 'WZBW' });
    foreign = await f.site({ unitCode: 'YH1' });
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const errorOf = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error: { code: string } }).error?.code] as const;
  const rows = (res: { json(): unknown }) => (res.json() as { rows: BlockEntry[] }).rows;
  async function add(body: Record<string, unknown>): Promise<BlockEntry> {
    const res = await access.post('/api/block-list', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as BlockEntry;
  }

  it('blocks a registered person at one site: the name masked, the entry audited', async () => {
    const person = await f.person({ name: '欧阳明月', siteId: site.id });
    const entry = await add({ person: person.code, site: site.code, reason: '多次冲卡', validTo: '2026-06-30' });
    expect(entry).toMatchObject({
      person: { code: person.code, name: '欧阳**', category: 'resident' },
      byIdNumber: false,
      byPhone: false,
      site: { code: site.code },
      reason: '多次冲卡',
      validTo: '2026-06-30',
      active: true,
      createdAt: '2026-03-02T01:00:00.000Z',
      createdBy: 'access',
      removedAt: null,
    });
    const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'block-list.add').where('object_id', '=', entry.id).executeTakeFirstOrThrow();
    expect(log).toEqual({ actor_username: 'access', details: { person: person.code, byIdNumber: false, byPhone: false, site: site.code, reason: '多次冲卡', validTo: '2026-06-30' } });
    expect(JSON.stringify(log)).not.toContain('欧阳明月');
  });

  it('blocks an ID number and a phone at every site, keeping only blind indexes; the gate then refuses their holder', async () => {
    const pd = personalDataOf(t.deps.config);
    const person = await f.person({ name: '张三', siteId: site.id });
    const idNumber = person.idNumber!;
    const entry = await add({ idNumber: idNumber.toLowerCase(), phone: `+86 ${person.phone!}`, reason: '冒用证件' });
    expect(entry).toMatchObject({ person: null, byIdNumber: true, byPhone: true, site: null, validTo: null, active: true });
    expect(JSON.stringify(entry)).not.toContain(idNumber.slice(6, 14));
    const row = await db().selectFrom('block_list').selectAll().where('id', '=', entry.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ person_id: null, site_id: null, id_number_bidx: pd.blindIndex('people.id_number', idNumber), phone_bidx: pd.blindIndex('people.phone', person.phone!) });
    const log = JSON.stringify(await db().selectFrom('audit_log').select(['details', 'changes']).where('object_id', '=', entry.id).execute());
    expect(log).not.toContain(idNumber);
    expect(log).not.toContain(person.phone!);

    // The holder of a valid pass is refused at the gate by ID number (the entry names no person).
    const cp = await f.checkpoint({ siteId: site.id });
    const device = await f.device({ checkpointId: cp.id });
    const pass = await f.pass({ personId: person.id, siteIds: [site.id] });
    const scan = await bearerClient(t.app, device.token).post('/api/gate/scans', { checkpoint: cp.code, token: pass.token, direction: 'in', idempotencyKey: `blocked-${entry.id}` });
    expect(scan.json()).toMatchObject({ decision: 'deny', reason: 'BLOCKED' });
  });

  it('lists what applies at a site: its own entries and those for every site, within the scope', async () => {
    const here = await add({ person: (await f.person({ siteId: other.id })).code, site: other.code, reason: '此处' });
    const everywhere = await add({ phone: '13700000001', reason: '各处' });
    const elsewhere = await add({ phone: '13700000002', site: site.code, reason: '别处' });
    const outside = await f.block({ siteId: foreign.id, phone: '13700000003', reason: '外单位' });
    const atOther = rows(await access.get(`/api/block-list?site=${other.code}`)).map((e) => e.id);
    expect(atOther).toEqual(expect.arrayContaining([here.id, everywhere.id]));
    expect(atOther).not.toContain(elsewhere.id);
    expect(atOther).not.toContain(outside.id);
    // Without a site: every site in scope, and the company-wide entries; the YH1 site's entry only for the group.
    const all = rows(await access.get('/api/block-list')).map((e) => e.id);
    expect(all).toEqual(expect.arrayContaining([here.id, everywhere.id, elsewhere.id]));
    expect(all).not.toContain(outside.id);
    expect(rows(await guard.get('/api/block-list')).map((e) => e.id)).toEqual(expect.arrayContaining([here.id, everywhere.id]));
    expect(rows(await manager.get('/api/block-list')).map((e) => e.id)).toContain(outside.id);
    expect(errorOf(await access.get(`/api/block-list?site=${foreign.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
    // An entry past its last day is listed as no longer active.
    const expired = await f.block({ siteId: other.id, phone: '13700000004', validTo: '2026-03-01' });
    expect(rows(await access.get(`/api/block-list?site=${other.code}`)).find((e) => e.id === expired.id)).toMatchObject({ active: false, validTo: '2026-03-01' });
  });

  it('removes an entry with a reason, once; removed entries show only when asked for', async () => {
    const entry = await add({ phone: '13700000009', site: site.code, reason: '误报' });
    const removed = await access.post(`/api/block-list/${entry.id}/remove`, { reason: '核实无误，解除' });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ id: entry.id, active: false, removedAt: '2026-03-02T01:00:00.000Z', removedBy: 'access' });
    expect(errorOf(await access.post(`/api/block-list/${entry.id}/remove`, { reason: '再来' }))).toEqual([409, 'BLOCK_ALREADY_REMOVED']);
    expect(rows(await access.get(`/api/block-list?site=${site.code}`)).map((e) => e.id)).not.toContain(entry.id);
    expect(rows(await access.get(`/api/block-list?site=${site.code}&removed=true`)).map((e) => e.id)).toContain(entry.id);
    const log = await db().selectFrom('audit_log').select('details').where('action', '=', 'block-list.remove').where('object_id', '=', entry.id).execute();
    expect(log).toEqual([{ details: { person: null, site: site.code, reason: '核实无误，解除' } }]);
    const outside = await f.block({ siteId: foreign.id, phone: '13700000010' });
    expect(errorOf(await access.post(`/api/block-list/${outside.id}/remove`, { reason: '越权' }))).toEqual([404, 'BLOCK_NOT_FOUND']);
  });

  it('refuses entries without a target, in the past, with a bad phone, out of scope, and callers without access.write', async () => {
    expect(errorOf(await access.post('/api/block-list', { reason: '无对象' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await access.post('/api/block-list', { phone: '13700000011', reason: 'x', validTo: '2026-03-01' }))).toEqual([422, 'BLOCK_VALID_TO_PAST']);
    expect(errorOf(await access.post('/api/block-list', { phone: '12', reason: 'x' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await access.post('/api/block-list', { phone: '1x2y3z4', reason: 'x' }))).toEqual([422, 'PHONE_INVALID']);
    expect(errorOf(await access.post('/api/block-list', { phone: '13700000012', site: foreign.code, reason: 'x' }))).toEqual([404, 'SITE_NOT_FOUND']);
    const yh1 = (await db().selectFrom('units').select('id').where('code', '=', 'YH1').executeTakeFirstOrThrow()).id;
    const stranger = await f.person({ unitId: yh1, category: 'employee' });
    expect(errorOf(await access.post('/api/block-list', { person: stranger.code, reason: 'x' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await guard.post('/api/block-list', { phone: '13700000013', reason: 'x' }))).toEqual([403, 'FORBIDDEN']);
  });
});
