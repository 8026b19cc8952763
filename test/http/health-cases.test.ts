import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseCard, CaseLedger } from '../../src/server/modules/health-cases/cases.schemas';
import { accessFixtures, uniqueCode, type AccessFixtures, type CheckpointFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

type Res = { statusCode: number; body: string; json(): unknown };
const errorOf = (res: Res) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;

describe.each(engines)('abnormal cases on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let health: Client;
  let grid: Client;
  let leader: Client;
  /** A health administrator of DJ1: health.read, but WZBW people are outside the scope. */
  let dj1Health: Client;
  let site: SiteFixture;
  let ledgerSite: SiteFixture;
  let gate: CheckpointFixture;
  let incidentId: string;

  const db = () => t.deps.database.db;
  const dj1Password = 'Start#2026x';
  let dj1Username = '';
  async function moveTo(at: string): Promise<void> {
    t.clock.set(new Date(at));
    health = await t.login('health');
    grid = await t.login('grid');
    leader = await t.login('leader');
    if (dj1Username) dj1Health = await t.login(dj1Username, dj1Password);
  }
  const card = async (id: string, client = health) => {
    const res = await client.get(`/api/health/cases/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CaseCard;
  };
  const ledger = async (query: string) => {
    const res = await health.get(`/api/health/cases?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CaseLedger;
  };
  const statusOf = async (personId: string) => (await db().selectFrom('health_statuses').select(['status', 'rule']).where('person_id', '=', personId).executeTakeFirst()) ?? null;
  async function insertCase(personId: string, openedAt: string, o: { reason?: string; classification?: string; closedAt?: string; incident?: string | null } = {}): Promise<string> {
    const row = await db()
      .insertInto('abnormal_cases')
      .values({
        person_id: personId, incident_id: o.incident === undefined ? incidentId : o.incident, source: 'gate', reason: o.reason ?? 'FEVER', opened_at: new Date(openedAt), classification: o.classification ?? 'unclassified',
        status: o.closedAt ? 'closed' : 'open', closed_at: o.closedAt ? new Date(o.closedAt) : null, outcome: o.closedAt ? 'recovered' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  async function gateEvent(personId: string, at: string, o: { temperatureC?: number; decision?: 'allow' | 'deny'; reason?: string | null } = {}): Promise<void> {
    await db()
      .insertInto('gate_events')
      .values({
        idempotency_key: `case-${randomUUID()}`, checkpoint_id: gate.id, site_id: site.id, person_id: personId, credential: 'person', direction: 'in',
        decision: o.decision ?? 'allow', reason: o.reason ?? null, temperature_c: o.temperatureC ?? null, at: new Date(at),
      })
      .execute();
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    site = await f.site({ unitCode: 'WZBW' });
    ledgerSite = await f.site({ unitCode: 'WZBW' });
    gate = await f.checkpoint({ siteId: site.id });
    const admin = await t.login('admin');
    const dj1 = (await db().selectFrom('units').select('id').where('code', '=', 'DJ1').executeTakeFirstOrThrow()).id;
    dj1Username = `dj1.health.${uniqueCode('u').toLowerCase()}`;
    const user = await admin.post('/api/users', { username: dj1Username, displayName: '电解一厂防疫', unitId: dj1, roleCodes: ['health-admin'], password: dj1Password });
    expect(user.statusCode, user.body).toBe(201);
    await db().updateTable('users').set({ must_change_password: false }).where('id', '=', (user.json() as { id: string }).id).execute();
    await moveTo('2020-01-24T02:00:00Z'); // 10:00 in Shanghai
    const incident = await db().insertInto('health_incidents').values({ name: '新冠肺炎疫情', start_date: '2020-01-20' }).returning('id').executeTakeFirstOrThrow();
    incidentId = incident.id;
    await db().insertInto('health_incident_sites').values([{ incident_id: incidentId, site_id: site.id }, { incident_id: incidentId, site_id: ledgerSite.id }]).execute();
  });
  afterAll(() => t?.close());

  it('opens a case by hand in the active incident; a second cause goes on the open case’s card', async () => {
    const person = await f.person({ siteId: site.id, name: '赵六' });
    const res = await health.post('/api/health/cases', { person: person.code, reason: 'FEVER', temperatureC: 38.2, note: '自述发热' });
    expect(res.statusCode, res.body).toBe(201);
    const opened = res.json() as { id: string; number: number; opened: boolean };
    expect(opened.opened).toBe(true);
    const row = await db().selectFrom('abnormal_cases').selectAll().where('id', '=', opened.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ incident_id: incidentId, source: 'manual', reason: 'FEVER', temperature_c: '38.2', site_id: site.id, status: 'open', classification: 'unclassified', note: '自述发热' });
    const again = await health.post('/api/health/cases', { person: person.code, reason: 'SYMPTOMS', classification: 'suspected' });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual({ id: opened.id, number: opened.number, opened: false });
    const c = await card(opened.id);
    expect(c.case.classification).toBe('suspected');
    expect(c.timeline.map((e) => e.kind)).toEqual(['opened', 'follow-up', 'classified']);
    expect(c.timeline[1]).toMatchObject({ kind: 'follow-up', condition: 'manual: SYMPTOMS', by: 'health' });
    expect(await statusOf(person.id)).toEqual({ status: 'red', rule: 'RED_SUSPECTED' });
    const actions = await db().selectFrom('audit_log').select(['action', 'details']).where('object_id', '=', opened.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['health.case.open', 'health.case.note', 'health.case.classify']);
    expect(JSON.stringify(actions)).not.toContain('自述发热');
    expect(errorOf(await health.post('/api/health/cases', { person: person.code, reason: 'FEVER', temperatureC: 38.25 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await grid.post('/api/health/cases', { person: person.code, reason: 'FEVER' }))).toEqual([403, 'FORBIDDEN']);
  });

  it('lists the ledger with filters, totals and daily opened/closed/open counts by Shanghai day', async () => {
    const a = await f.person({ siteId: ledgerSite.id, name: '欧阳明月' });
    const b = await f.person({ siteId: ledgerSite.id });
    const c = await f.person({ siteId: ledgerSite.id });
    const d = await f.person({ siteId: ledgerSite.id });
    const l1 = await insertCase(a.id, '2020-01-21T02:00:00Z', { closedAt: '2020-01-23T03:00:00Z' });
    const l2 = await insertCase(b.id, '2020-01-22T02:00:00Z', { reason: 'CONTACT', classification: 'confirmed' });
    const l3 = await insertCase(c.id, '2020-01-22T04:00:00Z', { reason: 'SYMPTOMS' });
    const l4 = await insertCase(d.id, '2020-01-23T15:30:00Z'); // 23:30 on the 23rd in Shanghai
    const outside = await insertCase(d.id, '2020-01-19T02:00:00Z', { incident: null, closedAt: '2020-01-19T05:00:00Z' });

    const all = await ledger(`site=${ledgerSite.code}&from=2020-01-20&to=2020-01-24`);
    expect(all.rows.map((r) => r.id)).toEqual([l4, l3, l2, l1]);
    expect(all.total).toBe(4);
    expect(all.totals).toEqual({ cases: 4, open: 3, closed: 1, byClassification: { unclassified: 3, suspected: 0, confirmed: 1, excluded: 0 } });
    expect(all.period).toEqual({ from: '2020-01-20', to: '2020-01-24' });
    expect(all.daily).toEqual([
      { date: '2020-01-20', opened: 0, closed: 0, open: 0 },
      { date: '2020-01-21', opened: 1, closed: 0, open: 1 },
      { date: '2020-01-22', opened: 2, closed: 0, open: 3 },
      { date: '2020-01-23', opened: 1, closed: 1, open: 3 },
      { date: '2020-01-24', opened: 0, closed: 0, open: 3 },
    ]);
    expect(all.rows.at(-1)).toMatchObject({ person: { code: a.code, name: '欧阳**', category: 'resident' }, site: { code: ledgerSite.code }, status: 'closed', outcome: 'recovered', closedAt: '2020-01-23T03:00:00.000Z', inQuarantine: false });

    const ids = async (q: string) => (await ledger(`site=${ledgerSite.code}&${q}`)).rows.map((r) => r.id);
    expect(await ids('status=closed')).toEqual([l1]);
    expect(await ids('reason=CONTACT')).toEqual([l2]);
    expect(await ids('classification=confirmed')).toEqual([l2]);
    expect(await ids('from=2020-01-23')).toEqual([l4]);
    expect(await ids('to=2020-01-22')).toEqual([l3, l2, l1]);
    expect(await ids(`q=${a.code}`)).toEqual([l1]);
    // The default is the active incident; 'all' adds the case opened before it.
    expect(await ids('incident=all')).toEqual([l4, l3, l2, l1, outside]);
    const page = await ledger(`site=${ledgerSite.code}&pageSize=2&page=2`);
    expect([page.rows.map((r) => r.id), page.total, page.totals.cases]).toEqual([[l2, l1], 4, 4]);
    // Without a period: from the incident's start to today.
    expect((await ledger(`site=${ledgerSite.code}`)).period).toEqual({ from: '2020-01-20', to: '2020-01-24' });
    // Status does not change the daily counts, only the rows.
    expect((await ledger(`site=${ledgerSite.code}&status=closed&from=2020-01-20&to=2020-01-24`)).daily).toEqual(all.daily);

    expect(errorOf(await health.get('/api/health/cases?from=2020-01-24&to=2020-01-20'))).toEqual([422, 'PERIOD_INVALID']);
    expect(errorOf(await health.get('/api/health/cases?from=2019-01-01&to=2020-01-20'))).toEqual([422, 'PERIOD_TOO_LONG']);
    expect(errorOf(await health.get('/api/health/cases?pageSize=201'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await health.get(`/api/health/cases?incident=${randomUUID()}`))).toEqual([404, 'INCIDENT_NOT_FOUND']);
    // Scope: a DJ1 health administrator sees none of the WZBW cases and no WZBW site.
    const dj1 = await dj1Health.get('/api/health/cases');
    expect((dj1.json() as CaseLedger).rows.map((r) => r.id)).not.toContain(l1);
    expect(errorOf(await dj1Health.get(`/api/health/cases?site=${ledgerSite.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(errorOf(await leader.get('/api/health/cases'))).toEqual([403, 'FORBIDDEN']);
  });

  it('keeps the tracking card: gate events, follow-ups, classification and closure in time order', async () => {
    const person = await f.person({ siteId: site.id, name: '钱七' });
    await gateEvent(person.id, '2020-01-22T01:00:00Z'); // two days before: not on the card
    await gateEvent(person.id, '2020-01-24T01:30:00Z', { temperatureC: 37.8, decision: 'deny', reason: 'FEVER' });
    const opened = (await health.post('/api/health/cases', { person: person.code, reason: 'FEVER', temperatureC: 37.8 })).json() as { id: string };
    t.clock.advance(5 * 60_000);
    const fu = await grid.post(`/api/health/cases/${opened.id}/follow-ups`, { temperatureC: 37.5, condition: '咳嗽', action: '居家观察' });
    expect(fu.statusCode, fu.body).toBe(201);
    expect(fu.json()).toMatchObject({ caseId: opened.id, temperatureC: 37.5, fever: true, at: '2020-01-24T02:05:00.000Z' });
    const normal = await grid.post(`/api/health/cases/${opened.id}/follow-ups`, { at: '2020-01-24T02:03:00+00:00', temperatureC: 37.2, condition: '无不适' });
    expect(normal.json()).toMatchObject({ fever: false });
    expect(errorOf(await grid.post(`/api/health/cases/${opened.id}/follow-ups`, { at: '2020-01-25T02:00:00Z', condition: '未来' }))).toEqual([422, 'FOLLOW_UP_FUTURE']);
    expect(errorOf(await grid.post(`/api/health/cases/${opened.id}/follow-ups`, { at: '2020-01-23T02:00:00Z', condition: '之前' }))).toEqual([422, 'FOLLOW_UP_BEFORE_OPEN']);
    t.clock.advance(5 * 60_000);

    expect(errorOf(await health.post(`/api/health/cases/${opened.id}/classify`, { classification: 'suspected', note: '旧版本', version: 9 }))).toEqual([409, 'STALE_VERSION']);
    const classified = await health.post(`/api/health/cases/${opened.id}/classify`, { classification: 'suspected', note: '核酸待检', version: 1 });
    expect(classified.statusCode, classified.body).toBe(200);
    expect(await statusOf(person.id)).toEqual({ status: 'red', rule: 'RED_SUSPECTED' });
    const log = await db().selectFrom('audit_log').select('details').where('action', '=', 'health.case.classify').where('object_id', '=', opened.id).executeTakeFirstOrThrow();
    expect(log.details).toMatchObject({ from: 'unclassified', to: 'suspected' });
    expect(JSON.stringify(log.details)).not.toContain('核酸待检');

    const c = await card(opened.id);
    expect(c.case).toMatchObject({ id: opened.id, classification: 'suspected', status: 'open', version: 2, feverThresholdC: 37.3, openedBy: 'health', incident: { id: incidentId, name: '新冠肺炎疫情' }, lastFollowUpAt: '2020-01-24T02:05:00.000Z' });
    expect(c.person).toMatchObject({ code: person.code, name: '钱*', site: { code: site.code }, status: { colour: 'red', rule: 'RED_SUSPECTED' } });
    expect(c.timeline.map((e) => e.kind)).toEqual(['gate', 'opened', 'follow-up', 'follow-up', 'classified']);
    expect(c.timeline[0]).toEqual({ kind: 'gate', at: '2020-01-24T01:30:00.000Z', checkpoint: { code: gate.code, nameZh: `卡口${gate.code}` }, direction: 'in', decision: 'deny', reason: 'FEVER', temperatureC: 37.8 });
    expect(c.timeline[3]).toEqual({ kind: 'follow-up', at: '2020-01-24T02:05:00.000Z', by: 'grid', temperatureC: 37.5, fever: true, condition: '咳嗽', action: '居家观察' });
    expect(c.timeline[4]).toEqual({ kind: 'classified', at: '2020-01-24T02:10:00.000Z', by: 'health', from: 'unclassified', to: 'suspected', note: '核酸待检' });
    expect(errorOf(await health.post(`/api/health/cases/${opened.id}/classify`, { classification: 'suspected', note: '再次', version: 2 }))).toEqual([422, 'CLASSIFICATION_UNCHANGED']);

    t.clock.advance(5 * 60_000);
    const closed = await health.post(`/api/health/cases/${opened.id}/close`, { outcome: 'excluded', note: '核酸阴性，排除', version: 2 });
    expect(closed.statusCode, closed.body).toBe(200);
    const after = closed.json() as CaseCard;
    expect(after.case).toMatchObject({ status: 'closed', outcome: 'excluded', closedAt: '2020-01-24T02:15:00.000Z', closedBy: 'health', closureNote: '核酸阴性，排除', version: 3 });
    expect(after.timeline.at(-1)).toEqual({ kind: 'closed', at: '2020-01-24T02:15:00.000Z', by: 'health', outcome: 'excluded', note: '核酸阴性，排除' });
    // No longer a suspected case: the gate's fever today still makes them yellow.
    expect(await statusOf(person.id)).toEqual({ status: 'yellow', rule: 'YELLOW_FEVER' });
    expect(errorOf(await health.post(`/api/health/cases/${opened.id}/close`, { outcome: 'other', note: '再次', version: 3 }))).toEqual([422, 'CASE_CLOSED']);
    expect(errorOf(await grid.post(`/api/health/cases/${opened.id}/follow-ups`, { condition: '关闭后' }))).toEqual([422, 'CASE_CLOSED']);
    expect((await db().selectFrom('audit_log').select('details').where('action', '=', 'health.case.close').where('object_id', '=', opened.id).executeTakeFirstOrThrow()).details).toEqual({ number: after.case.number, outcome: 'excluded' });

    // Scope: 404 for the DJ1 health administrator, 403 for the leader (no health permission).
    expect(errorOf(await dj1Health.get(`/api/health/cases/${opened.id}`))).toEqual([404, 'CASE_NOT_FOUND']);
    expect(errorOf(await dj1Health.post('/api/health/cases', { person: person.code, reason: 'OTHER' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await leader.get(`/api/health/cases/${opened.id}`))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await health.get(`/api/health/cases/${randomUUID()}`))).toEqual([404, 'CASE_NOT_FOUND']);
  });

  it('exports the ledger masked by default; in full only with personal.unmask and a reason, audited', async () => {
    const exportSite = await f.site({ unitCode: 'WZBW' });
    const person = await f.person({ siteId: exportSite.id, name: '欧阳明月', phone: '13912345678' });
    await insertCase(person.id, '2020-01-23T02:00:00Z', { reason: 'CONTACT' });
    const sheetOf = async (res: { rawPayload: Buffer }) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return wb.worksheets;
    };

    const masked = await health.get(`/api/health/cases/export.xlsx?site=${exportSite.code}`);
    expect(masked.statusCode, masked.body).toBe(200);
    expect(masked.headers['content-type']).toContain('spreadsheetml');
    const [cases, daily] = await sheetOf(masked);
    expect(cases!.getRow(1).getCell(3).value).toBe('姓名');
    expect([cases!.getRow(2).getCell(2).value, cases!.getRow(2).getCell(3).value, cases!.getRow(2).getCell(5).value, cases!.getRow(2).getCell(8).value]).toEqual([person.code, '欧阳**', '139****5678', '密切接触者']);
    expect(daily!.getRow(5).values).toEqual([undefined, '2020-01-23', 1, 0, 1]);
    expect((await db().selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'health.case.export').orderBy('seq', 'desc').executeTakeFirstOrThrow()).details).toMatchObject({ filters: { site: exportSite.code }, rows: 1 });

    expect(errorOf(await grid.get(`/api/health/cases/export.xlsx?site=${exportSite.code}&unmask=true&unmaskReason=${encodeURIComponent('流调核对')}`))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await health.get(`/api/health/cases/export.xlsx?site=${exportSite.code}&unmask=true&unmaskReason=ab`))).toEqual([422, 'REASON_REQUIRED']);
    const full = await health.get(`/api/health/cases/export.xlsx?site=${exportSite.code}&unmask=true&unmaskReason=${encodeURIComponent('流调核对密接')}`);
    expect(full.statusCode, full.body).toBe(200);
    const [fullCases] = await sheetOf(full);
    expect([fullCases!.getRow(2).getCell(3).value, fullCases!.getRow(2).getCell(5).value]).toEqual(['欧阳明月', '13912345678']);
    const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'health.case.export.unmasked').executeTakeFirstOrThrow();
    expect(log).toEqual({ actor_username: 'health', details: { filters: { site: exportSite.code }, rows: 1, reason: '流调核对密接' } });
    expect(JSON.stringify(log)).not.toContain('13912345678');
  });
});
