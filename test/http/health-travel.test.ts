import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataOf } from '../../src/server/crypto/personal-data';
import type { RiskAreaView } from '../../src/server/modules/health-travel/risk-areas.schemas';
import type { ScreeningView } from '../../src/server/modules/health-travel/screenings.schemas';
import type { SubmitTravelResult, TravelHistory } from '../../src/server/modules/health-travel/travel.schemas';
import { accessFixtures, type AccessFixtures, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { multipartBody } from './route-matrix';
import { wzbwHealthAdmin } from '../helpers/users';

type Decided = ScreeningView & { caseId: string | null; quarantineId: string | null };
type Res = { statusCode: number; body: string; json(): unknown };

// Travel histories, risk areas and returning-staff screening (issue 7, task D1). The fake clock
// stands at 2026-03-02 09:00 Asia/Shanghai; the incident's look-back is the default 15 days.
describe.each(engines)('travel, risk areas and screening on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let health: Client;
  let grid: Client;
  let manager: Client;
  let leader: Client;
  let viewer: Client;
  let site: SiteFixture;
  let foreignSite: SiteFixture;
  let incidentId: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    health = await wzbwHealthAdmin(t);
    grid = await t.login('grid');
    manager = await t.login('manager');
    leader = await t.login('leader');
    viewer = await t.login('viewer');
    site = await f.site({ unitCode: 'WZBW' });
    foreignSite = await f.site({ unitCode: 'YH1' });
    const db = t.deps.database.db;
    const active = await db.selectFrom('health_incidents').select('id').where('status', '=', 'active').executeTakeFirst();
    incidentId = active?.id ?? (await db.insertInto('health_incidents').values({ name: '测试疫情', start_date: '2026-01-20' }).returning('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('health_incident_sites').values([site, foreignSite].map((s) => ({ incident_id: incidentId, site_id: s.id }))).execute();
    const area = await health.post('/api/health/risk-areas', { region: '湖北省', level: 'high', validFrom: '2026-01-20', source: '国家卫健委' });
    expect(area.statusCode, area.body).toBe(201);
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const codeOf = (res: Res) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;
  const wuhan = (o: Record<string, unknown> = {}) => ({ region: '湖北省武汉市江汉区', address: '江汉路100号3单元', fromDate: '2026-02-24', toDate: '2026-02-27', transport: 'train', transportNo: 'G1234', ...o });
  const hangzhou = (o: Record<string, unknown> = {}) => ({ region: '浙江省杭州市西湖区', fromDate: '2026-02-27', toDate: '2026-03-01', transport: 'car', ...o });
  const resident = (o: Parameters<AccessFixtures['person']>[0] = {}) => f.person({ siteId: site.id, ...o });
  async function submit(client: Client, person: string, stays: unknown[]): Promise<SubmitTravelResult> {
    const res = await client.post('/api/health/travel', { person, stays });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as SubmitTravelResult;
  }
  const statusOf = (personId: string) => db().selectFrom('health_statuses').select(['status', 'rule']).where('person_id', '=', personId).executeTakeFirst();
  async function screening(id: string): Promise<ScreeningView> {
    const res = await health.get('/api/health/screenings?status=all');
    const row = (res.json() as { rows: ScreeningView[] }).rows.find((r) => r.id === id);
    if (!row) throw new Error(`screening ${id} not listed`);
    return row;
  }
  async function upload(client: Client, filename: string, content: string | Buffer) {
    const form = multipartBody({ file: { filename, content } });
    return t.app.inject({ method: 'POST', url: '/api/health/risk-areas/import', payload: form.payload, headers: { 'content-type': form.contentType, cookie: `ps_session=${client.cookie}`, 'x-csrf-token': client.csrf! } });
  }
  const areaCount = async () => Number((await db().selectFrom('risk_areas').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('a stay in 湖北省武汉市 with 湖北省 a high-risk area: red by RED_HIGH_RISK_TRAVEL, a pending screening with the match, audited by counts', async () => {
    const person = await resident({ name: '李明' });
    const out = await submit(grid, person.code, [wuhan()]);
    expect(out.rows).toEqual([
      expect.objectContaining({ region: '湖北省武汉市江汉区', address: '江汉路***', fromDate: '2026-02-24', toDate: '2026-02-27', transport: 'train', transportNo: 'G1234', riskMatches: [{ region: '湖北省', level: 'high', daysAgo: 3 }] }),
    ]);
    expect(await statusOf(person.id)).toEqual({ status: 'red', rule: 'RED_HIGH_RISK_TRAVEL' });

    const list = (await health.get(`/api/health/screenings?q=${person.code}`)).json() as { rows: ScreeningView[]; counts: Record<string, number> };
    expect(list.rows).toHaveLength(1);
    expect(list.rows[0]).toMatchObject({
      id: out.screeningId,
      person: { code: person.code, name: '李*', site: { code: site.code } },
      returnDate: '2026-02-27',
      status: 'pending',
      items: [{ travelRecordId: out.rows[0]!.id, region: '湖北省武汉市江汉区', transport: 'train', transportNo: 'G1234', riskMatches: [{ region: '湖北省', level: 'high', daysAgo: 3 }], checked: false, note: null }],
      reviewer: null,
      decidedAt: null,
      version: 1,
    });
    expect(list.counts).toEqual({ pending: 1, cleared: 0, observe: 0, isolate: 0 });

    const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'health.travel.add').where('object_id', '=', person.id).executeTakeFirstOrThrow();
    expect(log).toEqual({ actor_username: 'grid', details: { person: person.code, stays: 1, withAddress: 1, screeningId: out.screeningId, onBehalf: true } });
    expect(JSON.stringify(log)).not.toMatch(/湖北|江汉/);
  });

  it('keeps the address encrypted at rest, in full for the person themself and masked for everyone else', async () => {
    const viewerId = (await db().selectFrom('users').select('id').where('username', '=', 'viewer').executeTakeFirstOrThrow()).id;
    const household = await f.household({ siteId: site.id });
    const self = await resident({ name: '王芳', householdId: household.id });
    const relative = await resident({ name: '王大爷', householdId: household.id });
    await db().updateTable('people').set({ user_id: viewerId }).where('id', '=', self.id).execute();

    const own = await submit(viewer, self.code, [wuhan({ address: '武汉市江汉区花楼街8号' })]);
    expect(own.rows[0]!.address).toBe('武汉市江汉区花楼街8号');
    const stored = await db().selectFrom('travel_records').select(['address_enc', 'incident_id', 'created_by']).where('id', '=', own.rows[0]!.id).executeTakeFirstOrThrow();
    expect(stored.incident_id).toBe(incidentId);
    expect(stored.created_by).toBe(viewerId);
    expect(stored.address_enc!.toString('utf8')).not.toContain('花楼街');
    expect(personalDataOf(t.deps.config).decryptText('travel_records.address', stored.address_enc!)).toBe('武汉市江汉区花楼街8号');

    const mine = (await viewer.get('/api/health/travel/mine')).json() as TravelHistory;
    expect(mine).toMatchObject({ person: { code: self.code, name: '王芳' }, lookbackDays: 15, rows: [{ address: '武汉市江汉区花楼街8号', riskMatches: [{ region: '湖北省', level: 'high', daysAgo: 3 }] }] });
    const seen = (await health.get(`/api/health/travel?person=${self.code}`)).json() as TravelHistory;
    expect(seen).toMatchObject({ person: { code: self.code, name: '王*' }, rows: [{ id: own.rows[0]!.id, address: '武汉市***' }] });
    expect(JSON.stringify(seen)).not.toContain('花楼街');

    // A household member fills in the itinerary of an elderly relative.
    const forRelative = await submit(viewer, relative.code, [hangzhou({ address: '西湖区文三路1号' })]);
    expect(forRelative.rows[0]).toMatchObject({ address: '西湖区***', riskMatches: [] });
    // The grid worker has no person record of their own.
    expect((await grid.get('/api/health/travel/mine')).json()).toEqual({ person: null, lookbackDays: 15, rows: [] });
  });

  it('refuses 404 PERSON_NOT_FOUND to whoever is neither the person, their household nor health staff in scope', async () => {
    const person = await resident();
    const foreign = await f.person({ siteId: foreignSite.id });
    for (const [client, code] of [[manager, person.code], [leader, person.code], [viewer, person.code], [grid, foreign.code], [health, foreign.code], [health, 'NO-SUCH-PERSON']] as const) {
      expect(codeOf(await client.post('/api/health/travel', { person: code, stays: [hangzhou()] }))).toEqual([404, 'PERSON_NOT_FOUND']);
    }
    expect(codeOf(await health.get(`/api/health/travel?person=${foreign.code}`))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(codeOf(await manager.get(`/api/health/travel?person=${person.code}`))).toEqual([403, 'FORBIDDEN']);
    const stay = (await submit(health, person.code, [hangzhou()])).rows[0]!;
    expect(codeOf(await manager.delete(`/api/health/travel/${stay.id}`))).toEqual([404, 'TRAVEL_NOT_FOUND']);
    expect(codeOf(await viewer.delete(`/api/health/travel/${stay.id}`))).toEqual([404, 'TRAVEL_NOT_FOUND']);
    expect(await db().selectFrom('travel_records').select('id').where('person_id', '=', foreign.id).execute()).toEqual([]);
  });

  it('takes stays that ended exactly 15 days ago and refuses 16 days ago, in the future or reversed, storing none of a refused submission', async () => {
    const person = await resident();
    const first = await submit(health, person.code, [hangzhou({ fromDate: '2026-02-10', toDate: '2026-02-15' })]);
    expect(first.rows[0]!.toDate).toBe('2026-02-15');
    const refused = await health.post('/api/health/travel', { person: person.code, stays: [hangzhou({ fromDate: '2026-02-20', toDate: '2026-02-21' }), hangzhou({ fromDate: '2026-02-10', toDate: '2026-02-14' })] });
    expect(codeOf(refused)).toEqual([422, 'STAY_OUTSIDE_LOOKBACK']);
    expect((refused.json() as { error: { details: unknown } }).error.details).toEqual({ index: 1 });
    expect(codeOf(await health.post('/api/health/travel', { person: person.code, stays: [hangzhou({ fromDate: '2026-03-03', toDate: '2026-03-05' })] }))).toEqual([422, 'STAY_IN_FUTURE']);
    expect(codeOf(await health.post('/api/health/travel', { person: person.code, stays: [hangzhou({ fromDate: '2026-02-25', toDate: '2026-02-24' })] }))).toEqual([422, 'STAY_DATES_REVERSED']);
    expect(codeOf(await health.post('/api/health/travel', { person: person.code, stays: [] }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(codeOf(await health.post('/api/health/travel', { person: person.code, stays: [hangzhou({ transport: 'rocket' })] }))).toEqual([400, 'VALIDATION_FAILED']);
    const stored = await db().selectFrom('travel_records').select(['from_date', 'to_date']).where('person_id', '=', person.id).execute();
    expect(stored).toEqual([{ from_date: '2026-02-10', to_date: '2026-02-15' }]);
  });

  it('checks the itinerary item by item: decide refused until all are checked; isolate opens a case and a home quarantine from the last risk day', async () => {
    const person = await resident({ name: '赵强' });
    const out = await submit(grid, person.code, [wuhan()]);
    // A second submission lands on the same pending screening and moves its return day.
    const more = await submit(grid, person.code, [hangzhou()]);
    expect(more.screeningId).toBe(out.screeningId);
    let s = await screening(out.screeningId);
    expect(s).toMatchObject({ returnDate: '2026-03-01', version: 2 });
    expect(s.items.map((i) => [i.region, i.checked, i.riskMatches.length])).toEqual([['湖北省武汉市江汉区', false, 1], ['浙江省杭州市西湖区', false, 0]]);

    const decide = (version: number, status = 'isolate') => health.post(`/api/health/screenings/${s.id}/decide`, { status, note: '武汉返回', version });
    const unchecked = await decide(s.version);
    expect(codeOf(unchecked)).toEqual([422, 'SCREENING_UNCHECKED']);
    expect((unchecked.json() as { error: { details: unknown } }).error.details).toEqual({ unchecked: [out.rows[0]!.id, more.rows[0]!.id] });

    const check = await health.post(`/api/health/screenings/${s.id}/items/${out.rows[0]!.id}`, { checked: true, note: '核实车票' });
    expect(check.statusCode, check.body).toBe(200);
    s = check.json() as ScreeningView;
    expect(s.items.map((i) => [i.checked, i.note])).toEqual([[true, '核实车票'], [false, null]]);
    expect(codeOf(await decide(s.version))).toEqual([422, 'SCREENING_UNCHECKED']);
    expect(codeOf(await grid.post(`/api/health/screenings/${s.id}/items/${more.rows[0]!.id}`, { checked: true }))).toEqual([403, 'FORBIDDEN']);
    s = (await health.post(`/api/health/screenings/${s.id}/items/${more.rows[0]!.id}`, { checked: true })).json() as ScreeningView;
    expect(codeOf(await decide(s.version - 1))).toEqual([409, 'STALE_VERSION']);

    const res = await decide(s.version);
    expect(res.statusCode, res.body).toBe(200);
    const decided = res.json() as Decided;
    expect(decided).toMatchObject({ status: 'isolate', reviewer: 'health-wzbw', note: '武汉返回', decidedAt: '2026-03-02T01:00:00.000Z', version: s.version + 1 });
    const quarantine = await db().selectFrom('quarantines').selectAll().where('id', '=', decided.quarantineId!).executeTakeFirstOrThrow();
    expect(quarantine).toMatchObject({ person_id: person.id, incident_id: incidentId, place: 'home', status: 'active', last_exposure: '2026-02-27', start_date: '2026-02-28', planned_end: '2026-03-13' });
    const kase = await db().selectFrom('abnormal_cases').selectAll().where('id', '=', decided.caseId!).executeTakeFirstOrThrow();
    expect(kase).toMatchObject({ person_id: person.id, incident_id: incidentId, source: 'screening', reason: 'RISK_TRAVEL', source_ref: s.id, status: 'open', site_id: site.id });
    expect(await statusOf(person.id)).toEqual({ status: 'red', rule: 'RED_QUARANTINE' });
    const log = await db().selectFrom('audit_log').select('details').where('action', '=', 'health.screening.decide').where('object_id', '=', s.id).executeTakeFirstOrThrow();
    expect(log.details).toEqual({ status: 'isolate', items: 2, caseId: decided.caseId, quarantineId: decided.quarantineId });

    // Decided: nothing on it changes any more.
    expect(codeOf(await decide(decided.version))).toEqual([409, 'SCREENING_DECIDED']);
    expect(codeOf(await health.post(`/api/health/screenings/${s.id}/items/${out.rows[0]!.id}`, { checked: false }))).toEqual([409, 'SCREENING_DECIDED']);
    expect(codeOf(await grid.delete(`/api/health/travel/${out.rows[0]!.id}`))).toEqual([409, 'SCREENING_DECIDED']);
    const isolated = (await health.get(`/api/health/screenings?status=isolate&site=${site.code}`)).json() as { rows: ScreeningView[] };
    expect(isolated.rows.map((r) => r.id)).toContain(s.id);
    expect(isolated.rows.every((r) => r.status === 'isolate')).toBe(true);
  });

  it('observe opens a case without a quarantine; cleared opens nothing', async () => {
    const observed = await resident();
    const cleared = await resident();
    for (const [person, status] of [[observed, 'observe'], [cleared, 'cleared']] as const) {
      const out = await submit(health, person.code, [hangzhou()]);
      const checked = (await health.post(`/api/health/screenings/${out.screeningId}/items/${out.rows[0]!.id}`, { checked: true })).json() as ScreeningView;
      const res = await health.post(`/api/health/screenings/${out.screeningId}/decide`, { status, version: checked.version });
      expect(res.statusCode, res.body).toBe(200);
      const decided = res.json() as Decided;
      expect(decided).toMatchObject({ status, quarantineId: null });
      expect(decided.caseId !== null).toBe(status === 'observe');
      const cases = await db().selectFrom('abnormal_cases').select(['source', 'reason']).where('person_id', '=', person.id).execute();
      expect(cases).toEqual(status === 'observe' ? [{ source: 'screening', reason: 'RISK_TRAVEL' }] : []);
      expect(await db().selectFrom('quarantines').select('id').where('person_id', '=', person.id).execute()).toEqual([]);
    }
  });

  it('starts a screening by hand with the stays of the look-back; a second one for the same day is a conflict; a deleted stay leaves it', async () => {
    const person = await resident();
    const out = await submit(health, person.code, [hangzhou({ fromDate: '2026-02-20', toDate: '2026-02-22' }), hangzhou({ fromDate: '2026-02-23', toDate: '2026-02-25' })]);
    const res = await health.post('/api/health/screenings', { person: person.code, returnDate: '2026-03-02' });
    expect(res.statusCode, res.body).toBe(201);
    const manual = res.json() as ScreeningView;
    expect(manual).toMatchObject({ returnDate: '2026-03-02', status: 'pending', version: 1 });
    expect(manual.items.map((i) => i.travelRecordId)).toEqual(out.rows.map((r) => r.id));
    expect(codeOf(await health.post('/api/health/screenings', { person: person.code, returnDate: '2026-03-02' }))).toEqual([409, 'SCREENING_EXISTS']);
    expect(codeOf(await grid.post('/api/health/screenings', { person: person.code, returnDate: '2026-03-01' }))).toEqual([403, 'FORBIDDEN']);

    const del = await health.delete(`/api/health/travel/${out.rows[0]!.id}`);
    expect(del.statusCode, del.body).toBe(200);
    expect((await screening(manual.id)).items.map((i) => i.travelRecordId)).toEqual([out.rows[1]!.id]);
    expect((await screening(out.screeningId)).items.map((i) => i.travelRecordId)).toEqual([out.rows[1]!.id]);
    expect(await db().selectFrom('travel_records').select('id').where('id', '=', out.rows[0]!.id).execute()).toEqual([]);
    expect(codeOf(await health.delete(`/api/health/travel/${out.rows[0]!.id}`))).toEqual([404, 'TRAVEL_NOT_FOUND']);
  });

  it('risk areas: entered, changed with their version, ended; the statuses of people who stayed there follow', async () => {
    const person = await resident();
    await submit(health, person.code, [{ region: '广东省深圳市南山区', fromDate: '2026-02-25', toDate: '2026-02-28', transport: 'plane', transportNo: 'CZ3101' }]);
    expect((await statusOf(person.id))?.status).toBe('green');
    const created = await health.post('/api/health/risk-areas', { region: '广东省深圳市', level: 'medium', validFrom: '2026-02-01' });
    expect(created.statusCode, created.body).toBe(201);
    const area = created.json() as RiskAreaView;
    expect(area).toMatchObject({ region: '广东省深圳市', level: 'medium', validFrom: '2026-02-01', validTo: null, source: null, active: true, version: 1 });
    expect(await statusOf(person.id)).toEqual({ status: 'yellow', rule: 'YELLOW_RISK_TRAVEL' });

    const put = (body: Record<string, unknown>) => health.put(`/api/health/risk-areas/${area.id}`, { region: '广东省深圳市', level: 'high', validFrom: '2026-02-01', validTo: null, source: '广东省卫健委', ...body });
    const raised = await put({ version: 1 });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json()).toMatchObject({ level: 'high', source: '广东省卫健委', version: 2 });
    expect(await statusOf(person.id)).toEqual({ status: 'red', rule: 'RED_HIGH_RISK_TRAVEL' });
    expect(codeOf(await put({ version: 1 }))).toEqual([409, 'STALE_VERSION']);
    expect(codeOf(await put({ version: 2, validTo: '2026-01-01' }))).toEqual([422, 'RISK_AREA_DATES']);
    expect(codeOf(await grid.post('/api/health/risk-areas', { region: '广东省', level: 'low', validFrom: '2026-02-01' }))).toEqual([403, 'FORBIDDEN']);

    // Ended before the stay began: it no longer matches.
    const ended = await health.post(`/api/health/risk-areas/${area.id}/end`, { validTo: '2026-02-20' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ validTo: '2026-02-20', active: false, version: 3 });
    expect(await statusOf(person.id)).toEqual({ status: 'green', rule: 'DEFAULT_GREEN' });
    const inactive = (await grid.get('/api/health/risk-areas?active=false')).json() as { rows: RiskAreaView[] };
    expect(inactive.rows.map((r) => r.id)).toContain(area.id);
    const active = (await grid.get('/api/health/risk-areas?active=true')).json() as { rows: RiskAreaView[] };
    expect(active.rows.map((r) => r.id)).not.toContain(area.id);
    expect(active.rows.every((r) => r.active)).toBe(true);
    expect(codeOf(await health.post('/api/health/risk-areas/00000000-0000-4000-8000-000000000000/end', { validTo: '2026-02-20' }))).toEqual([404, 'RISK_AREA_NOT_FOUND']);
  });

  it('imports all or nothing: every bad cell reported by row and column as headed, nothing stored', async () => {
    const before = await areaCount();
    const csv = ['地区,等级,生效日期,失效日期,来源', '河南省信阳市,高,2026-02-01,,河南省卫健委', '河南省驻马店市,极高,2026-02-01,,', '安徽省合肥市,中,2026/02/30,,', '江西省南昌市,低,2026-02-10,2026-02-01,'].join('\r\n');
    const res = await upload(health, '风险地区.csv', csv);
    expect(codeOf(res)).toEqual([422, 'IMPORT_INVALID']);
    const details = (res.json() as { error: { details: { row: number; column: string; message: string }[] } }).error.details;
    expect(details.map((d) => [d.row, d.column])).toEqual([[3, '等级'], [4, '生效日期'], [5, '失效日期']]);
    expect(details[0]!.message).toContain('极高');
    expect(await areaCount()).toBe(before);

    const missing = await upload(health, 'areas.csv', 'region,valid_from\n河南省,2026-02-01');
    expect(codeOf(missing)).toEqual([422, 'IMPORT_INVALID']);
    expect((missing.json() as { error: { details: { row: number; column: string }[] } }).error.details).toEqual([expect.objectContaining({ row: 1, column: 'level' })]);
    expect(codeOf(await upload(grid, 'areas.csv', csv))).toEqual([403, 'FORBIDDEN']);
    expect(await areaCount()).toBe(before);
  });

  it('imports a GBK CSV with Chinese headers and 高/中/低, and an xlsx with English headers; statuses follow', async () => {
    const person = await resident();
    await submit(health, person.code, [{ region: '黑龙江省哈尔滨市道里区', fromDate: '2026-02-26', toDate: '2026-02-28', transport: 'bus' }]);
    const before = await areaCount();
    const gbk = iconv.encode(['地区,等级,生效日期,失效日期,来源', '黑龙江省哈尔滨市,中,2026-02-01,,黑龙江省卫健委', '吉林省长春市,低,2026年2月3日,2026-03-31,', '辽宁省沈阳市,高,2026/2/5,,'].join('\r\n'), 'gbk');
    const res = await upload(health, '风险地区.csv', gbk);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ inserted: 3 });
    const rows = await db().selectFrom('risk_areas').select(['region', 'level', 'valid_from', 'valid_to', 'source']).where('region', 'in', ['黑龙江省哈尔滨市', '吉林省长春市', '辽宁省沈阳市']).orderBy('region').execute();
    expect(rows).toEqual([
      { region: '吉林省长春市', level: 'low', valid_from: '2026-02-03', valid_to: '2026-03-31', source: null },
      { region: '辽宁省沈阳市', level: 'high', valid_from: '2026-02-05', valid_to: null, source: null },
      { region: '黑龙江省哈尔滨市', level: 'medium', valid_from: '2026-02-01', valid_to: null, source: '黑龙江省卫健委' },
    ]);
    expect(await statusOf(person.id)).toEqual({ status: 'yellow', rule: 'YELLOW_RISK_TRAVEL' });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('areas');
    ws.addRow(['region', 'level', 'valid_from', 'valid_to', 'source']);
    ws.addRow(['四川省成都市', 'Medium', new Date(Date.UTC(2026, 1, 10)), null, 'NHC']);
    ws.getCell('C2').numFmt = 'yyyy-mm-dd';
    const xlsx = await upload(health, 'areas.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect(xlsx.json()).toEqual({ inserted: 1 });
    expect(await db().selectFrom('risk_areas').select(['level', 'valid_from', 'source']).where('region', '=', '四川省成都市').execute()).toEqual([{ level: 'medium', valid_from: '2026-02-10', source: 'NHC' }]);
    expect(await areaCount()).toBe(before + 4);
    const log = await db().selectFrom('audit_log').select('details').where('action', '=', 'health.risk-area.import').orderBy('seq').execute();
    expect(log.map((l) => l.details)).toEqual([
      { file: '风险地区.csv', inserted: 3, levels: { high: 1, medium: 1, low: 1 }, refreshed: 1 },
      { file: 'areas.xlsx', inserted: 1, levels: { high: 0, medium: 1, low: 0 }, refreshed: 0 },
    ]);
  });

  it('needs an active incident covering the person to take stays', async () => {
    const uncovered = await f.person({ unitId: (await db().selectFrom('units').select('id').where('code', '=', 'WZBW').executeTakeFirstOrThrow()).id });
    expect(codeOf(await health.post('/api/health/travel', { person: uncovered.code, stays: [hangzhou()] }))).toEqual([422, 'PERSON_NOT_COVERED']);
    const person: PersonFixture = await resident();
    await db().updateTable('health_incidents').set({ status: 'closed', closed_at: t.clock.now() }).where('id', '=', incidentId).execute();
    expect(codeOf(await health.post('/api/health/travel', { person: person.code, stays: [hangzhou()] }))).toEqual([422, 'NO_ACTIVE_INCIDENT']);
    expect((await health.get('/api/health/screenings')).json()).toEqual({ rows: [], counts: { pending: 0, cleared: 0, observe: 0, isolate: 0 } });
    const old = (await health.get(`/api/health/screenings?status=all&incident=${incidentId}`)).json() as { rows: ScreeningView[] };
    expect(old.rows.length).toBeGreaterThan(5);
  });
});
