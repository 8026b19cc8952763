import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyBriefingJob } from '../../src/server/jobs/daily-briefing';
import { computeBriefing, computeBriefingRange } from '../../src/server/modules/health-briefing/briefing.figures';
import type { Briefing, BriefingHistory } from '../../src/server/modules/health-briefing/briefing.schemas';
import { storeIncidentBriefings } from '../../src/server/modules/health-briefing/briefing.service';
import { incidentById } from '../../src/server/modules/health-incidents/incident';
import { accessFixtures, uniqueCode, type CheckpointFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { wzbwHealthAdmin } from '../helpers/users';

/** An Asia/Shanghai wall-clock time as an instant. */
const local = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);

/**
 * One incident from 2020-01-24 over a WZBW community (S) and a YH1 plant (S2, gate fever threshold
 * 37.5), with data on 01-24, 01-25 and 01-26; the figures of 2020-01-25 are checked by hand.
 *   S: A B C D E H I (residents), V (visitor: not covered); S2: F G.
 */
describe.each(engines)('daily briefing on %s', (engine) => {
  let t: TestApp;
  let health: Client;
  let grid: Client;
  let manager: Client;
  let incidentId: string;
  let S: SiteFixture;
  let S2: SiteFixture;
  const p: Record<string, string> = {};

  const db = () => t.deps.database.db;
  const errorOf = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;
  async function daily(client: Client, query: string): Promise<Briefing> {
    const res = await client.get(`/api/health/briefings/daily?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Briefing;
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    t.clock.set(local('2020-01-27', '09:00'));
    const f = accessFixtures(t.deps);
    health = await wzbwHealthAdmin(t);
    grid = await t.login('grid');
    manager = await t.login('manager');
    S = await f.site({ unitCode: 'WZBW' });
    S2 = await f.site({ unitCode: 'YH1', kind: 'plant', feverThresholdC: 37.5 });
    const S3 = await f.site({ unitCode: 'WZBW' }); // not in the incident
    const cp = await f.checkpoint({ siteId: S.id });
    const cp2 = await f.checkpoint({ siteId: S2.id });
    const cp3 = await f.checkpoint({ siteId: S3.id });
    for (const k of ['A', 'B', 'C', 'D', 'E', 'H', 'I']) p[k] = (await f.person({ siteId: S.id })).id;
    for (const k of ['F', 'G']) p[k] = (await f.person({ siteId: S2.id })).id;
    p.V = (await f.person({ siteId: S.id, category: 'visitor' })).id;

    incidentId = (await db().insertInto('health_incidents').values({ name: '测试疫情', start_date: '2020-01-24' }).returning('id').executeTakeFirstOrThrow()).id;
    await db().insertInto('health_incident_sites').values([{ incident_id: incidentId, site_id: S.id }, { incident_id: incidentId, site_id: S2.id }]).execute();

    const declarations: [string, string, number][] = [
      ['A', '2020-01-24', 36.5], ['B', '2020-01-24', 37.3],
      ['A', '2020-01-25', 37.2], ['B', '2020-01-25', 36.8], ['C', '2020-01-25', 37.3], ['F', '2020-01-25', 38.0],
      ['A', '2020-01-26', 39.0],
    ];
    await db().insertInto('health_declarations').values(declarations.map(([k, date, temperature_c]) => ({ incident_id: incidentId, person_id: p[k]!, date, temperature_c, status: 'green' }))).execute();

    const gate = (c: CheckpointFixture, person: string | null, direction: 'in' | 'out', at: Date, temperature_c: number | null, deny = false) => ({
      idempotency_key: `brief-${randomUUID()}`, checkpoint_id: c.id, site_id: c.siteId, person_id: person === null ? null : p[person]!,
      credential: person === null ? 'none' : 'person', direction, decision: deny ? 'deny' : 'allow', reason: deny ? 'NO_PASS' : null, temperature_c, at,
    });
    await db().insertInto('gate_events').values([
      gate(cp, 'A', 'out', local('2020-01-24', '09:00'), null),
      gate(cp, 'A', 'in', local('2020-01-25', '10:00'), 37.2),
      gate(cp, 'D', 'in', local('2020-01-25', '11:00'), 37.5),
      gate(cp, 'C', 'out', local('2020-01-25', '12:00'), 37.4),
      gate(cp, null, 'in', local('2020-01-25', '13:00'), null, true),
      gate(cp, 'B', 'in', local('2020-01-25', '23:30'), 36.5),
      gate(cp, 'B', 'out', local('2020-01-26', '00:30'), 36.5),
      gate(cp2, 'G', 'in', local('2020-01-25', '09:00'), 37.4), // below S2's 37.5
      gate(cp3, 'V', 'in', local('2020-01-25', '09:00'), 38.5), // another site, someone not covered
    ]).execute();

    const kase = (k: string, opened: Date, closed: Date | null, incident: string | null = incidentId) => ({
      person_id: p[k]!, source: 'declaration', reason: 'FEVER', opened_at: opened, incident_id: incident, status: closed ? 'closed' : 'open', closed_at: closed,
    });
    await db().insertInto('abnormal_cases').values([
      kase('B', local('2020-01-24', '10:00'), local('2020-01-25', '15:00')),
      kase('C', local('2020-01-25', '09:00'), null),
      kase('D', local('2020-01-25', '11:00'), local('2020-01-26', '10:00')),
      kase('F', local('2020-01-25', '08:00'), local('2020-01-25', '20:00')),
      kase('A', local('2020-01-26', '10:00'), null),
      kase('G', local('2020-01-25', '09:00'), null, null), // no incident
    ]).execute();

    await db().insertInto('exposures').values({ incident_id: incidentId, source_person_id: p.C!, contact_person_id: p.E!, date: '2020-01-24', type: 'household' }).execute();
    const quarantine = async (k: string, start: string, status = 'active', released: Date | null = null) =>
      (await db().insertInto('quarantines').values({ incident_id: incidentId, person_id: p[k]!, start_date: start, planned_end: '2020-02-07', status, released_at: released }).returning('id').executeTakeFirstOrThrow()).id;
    const qe = await quarantine('E', '2020-01-25');
    const qh = await quarantine('H', '2020-01-24', 'released', local('2020-01-25', '14:00'));
    const qi = await quarantine('I', '2020-01-25', 'cancelled');
    const slot = (q: string, date: string, s: number, temperature_c: number | null, cancelled = false) => ({
      quarantine_id: q, date, slot: s, cancelled, temperature_c, done_at: temperature_c === null ? null : local(date, s === 1 ? '09:00' : '17:00'),
    });
    await db().insertInto('quarantine_follow_ups').values([
      slot(qe, '2020-01-25', 1, 37.3), slot(qe, '2020-01-25', 2, null), slot(qe, '2020-01-26', 1, null), slot(qe, '2020-01-26', 2, null),
      slot(qh, '2020-01-24', 1, 36.5), slot(qh, '2020-01-24', 2, 36.6), slot(qh, '2020-01-25', 1, 36.4), slot(qh, '2020-01-25', 2, null, true),
      slot(qi, '2020-01-25', 1, 36.6),
    ]).execute();

    const trips: [Date, string[]][] = [[local('2020-01-24', '20:00'), ['B']], [local('2020-01-25', '10:00'), ['C', 'D']], [local('2020-01-25', '23:59'), ['E']], [local('2020-01-26', '08:00'), ['A']]];
    for (const [at, people] of trips) {
      const trip = await db().insertInto('transfers').values({ incident_id: incidentId, at, vehicle: '救护车1', driver: '司机', from_place: '小区', to_place: '医院' }).returning('id').executeTakeFirstOrThrow();
      await db().insertInto('transfer_people').values(people.map((k) => ({ transfer_id: trip.id, person_id: p[k]! }))).execute();
    }

    const supply = await db().insertInto('supplies').values({ code: uniqueCode('MASK'), name_zh: '医用口罩', name_en: 'Masks', unit_label: '只', kind: 'mask' }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('supply_movements').values([
      { supply_id: supply.id, date: '2020-01-20', kind: 'in', quantity: 1000 },
      { supply_id: supply.id, date: '2020-01-25', kind: 'out', quantity: 200 },
      { supply_id: supply.id, date: '2020-01-25', kind: 'adjust', quantity: -0.5 },
      { supply_id: supply.id, date: '2020-01-26', kind: 'out', quantity: 100 },
    ]).execute();
    await db().insertInto('donations').values([
      { donor: '甲', amount: '2000.00', date: '2020-01-24', incident_id: incidentId },
      { donor: '乙', amount: '1000.50', date: '2020-01-25', incident_id: incidentId },
      { donor: '丙', amount: '300', date: '2020-01-25', incident_id: null },
      { donor: '丁', amount: '500', date: '2020-01-26', incident_id: incidentId },
      { donor: '戊', amount: '50', date: '2020-01-20', incident_id: null }, // before the incident
    ]).execute();
  });
  afterAll(() => t?.close());

  it('gives the hand-checked figures of 2020-01-25 with the running totals since 2020-01-24', async () => {
    const b = await daily(health, 'date=2020-01-25');
    expect(b).toMatchObject({
      date: '2020-01-25',
      declarationsDue: 9,
      declarationsDone: 4,
      fevers: 4, // C (37.3 declared, 37.4 at the gate), F (38.0), D (37.5 at the gate), E (37.3 at a follow-up)
      abnormalOpened: 3,
      abnormalOpen: 2,
      abnormalClosed: 2,
      inQuarantine: 1,
      contactsUnderFollowUp: 1,
      followUpsDue: 3,
      followUpsDone: 2,
      transfers: { trips: 2, personTrips: 3, tripsTotal: 3, personTripsTotal: 4 },
      gate: { entries: 4, exits: 1, denied: 1 },
      incident: { id: incidentId, name: '测试疫情', startDate: '2020-01-24', status: 'active' },
      totals: { declarationsDone: 6, fevers: 5, abnormalOpened: 4, abnormalClosed: 2, quarantined: 2, contacts: 1, followUpsDue: 5, followUpsDone: 4, gate: { entries: 4, exits: 2, denied: 1 } },
      donations: { count: 2, amount: '1300.50', countTotal: 3, amountTotal: '3300.50' },
      generatedAt: '2020-01-27T01:00:00.000Z',
      stored: false,
    });
    expect(b.supplies).toEqual([{ code: expect.stringMatching(/^MASK-/), nameZh: '医用口罩', nameEn: 'Masks', unitLabel: '只', stock: '799.50' }]);
    expect(b.series).toEqual([
      { date: '2020-01-24', declarationsDone: 2, fevers: 1, abnormalOpen: 1, inQuarantine: 1 },
      { date: '2020-01-25', declarationsDone: 4, fevers: 4, abnormalOpen: 2, inQuarantine: 1 },
    ]);
    // The next day moves on: a case opened and one closed, one trip, a late-night exit.
    const next = await daily(health, 'date=2020-01-26');
    expect(next).toMatchObject({ declarationsDone: 1, fevers: 1, abnormalOpened: 1, abnormalClosed: 1, abnormalOpen: 2, transfers: { trips: 1, personTrips: 1, tripsTotal: 4, personTripsTotal: 5 }, gate: { entries: 0, exits: 1, denied: 0 } });
    expect(next.donations).toEqual({ count: 1, amount: '500.00', countTotal: 4, amountTotal: '3800.50' });
    expect(next.supplies[0]!.stock).toBe('699.50');
    expect(next.series).toHaveLength(3);
  });

  it('lists sites and units within the caller scope; the headline stays whole-incident', async () => {
    const whole = await db().transaction().execute(async (trx) => computeBriefing(trx, await incidentById(trx, incidentId), '2020-01-25'));
    const s = { declarationsDue: 7, declarationsDone: 3, fevers: 3, abnormalOpened: 2, abnormalOpen: 2, inQuarantine: 1 };
    const s2 = { declarationsDue: 2, declarationsDone: 1, fevers: 1, abnormalOpened: 1, abnormalOpen: 0, inQuarantine: 0 };
    expect(whole.bySite).toEqual([
      { site: S.code, nameZh: `测试小区${S.code}`, nameEn: `Test site ${S.code}`, kind: 'community', unit: 'WZBW', ...s, gate: { entries: 3, exits: 1, denied: 1 } },
      { site: S2.code, nameZh: `测试小区${S2.code}`, nameEn: `Test site ${S2.code}`, kind: 'plant', unit: 'YH1', ...s2, gate: { entries: 1, exits: 0, denied: 0 } },
    ].sort((a, b) => a.site.localeCompare(b.site)));
    const unitOf = (x: typeof s) => ({ declarationsDue: x.declarationsDue, declarationsDone: x.declarationsDone, fevers: x.fevers, abnormalOpen: x.abnormalOpen, inQuarantine: x.inQuarantine });
    expect(whole.byUnit).toEqual([
      { unit: 'WZBW', nameZh: '武装保卫部', nameEn: 'Security & Armed Protection Department', ...unitOf(s) },
      { unit: 'YH1', nameZh: '第一氧化铝厂', nameEn: 'No.1 Alumina Plant', ...unitOf(s2) },
    ]);
    for (const client of [health, grid]) {
      const b = await daily(client, 'date=2020-01-25');
      expect(b.bySite.map((x) => x.site)).toEqual([S.code]);
      expect(b.byUnit.map((x) => x.unit)).toEqual(['WZBW']);
      expect(b.fevers).toBe(4);
    }
  });

  it('counts a fever at exactly the threshold and not one just below', async () => {
    const fevers = (b: { fevers: number; totals: { fevers: number } }) => [b.fevers, b.totals.fevers];
    expect(fevers(await daily(health, 'date=2020-01-24'))).toEqual([1, 1]); // B declared exactly 37.3
    // A declared 37.2 and was measured 37.2 at the gate on 01-25: one tenth more makes a fever.
    const raised = await db()
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('health_declarations').set({ temperature_c: 37.3 }).where('person_id', '=', p.A!).where('date', '=', '2020-01-25').execute();
        const b = await computeBriefing(trx, await incidentById(trx, incidentId), '2020-01-25');
        throw Object.assign(new Error('rollback'), { b });
      })
      .catch((e: { b?: Briefing }) => e.b);
    expect(raised && fevers(raised)).toEqual([5, 6]);
    expect(fevers(await daily(health, 'date=2020-01-25'))).toEqual([4, 5]);
  });

  it('computes a range of days as each day alone (running totals, series, places), reading each table once', async () => {
    const { range, days, empty } = await db()
      .transaction()
      .execute(async (trx) => {
        const incident = await incidentById(trx, incidentId);
        return {
          range: await computeBriefingRange(trx, incident, '2020-01-25', '2020-01-26'),
          days: [await computeBriefing(trx, incident, '2020-01-25'), await computeBriefing(trx, incident, '2020-01-26')],
          empty: await computeBriefingRange(trx, incident, '2020-01-26', '2020-01-25'),
        };
      });
    expect(range).toEqual(days);
    expect(range.map((b) => [b.date, b.declarationsDone, b.totals.declarationsDone, b.abnormalOpen, b.series.length])).toEqual([
      ['2020-01-25', 4, 6, 2, 2],
      ['2020-01-26', 1, 7, 2, 3],
    ]);
    expect(empty).toEqual([]);
  });

  it('refuses days outside the incident and callers without health.read', async () => {
    expect(errorOf(await health.get('/api/health/briefings/daily?date=2020-01-23'))).toEqual([422, 'BRIEFING_DATE']);
    expect(errorOf(await health.get('/api/health/briefings/daily?date=2020-01-28'))).toEqual([422, 'BRIEFING_DATE']);
    expect(errorOf(await health.get('/api/health/briefings/daily?date=2020-02-30'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await health.get(`/api/health/briefings/daily?incident=${randomUUID()}`))).toEqual([404, 'INCIDENT_NOT_FOUND']);
    expect((await manager.get('/api/health/briefings/daily')).statusCode).toBe(403);
    // By default: yesterday of the active incident.
    expect((await daily(health, '')).date).toBe('2020-01-26');
  });

  it('exports the briefing as xlsx: headline with day and running total, by site, by unit', async () => {
    const res = await health.get('/api/health/briefings/daily.xlsx?date=2020-01-25');
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toBe('attachment; filename="pacesetter-briefing-2020-01-25.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['日报 Briefing', '按小区 By site', '按单位 By unit', '物资 Supplies', '趋势 Series']);
    const headline = wb.getWorksheet('日报 Briefing')!;
    const rows = new Map<string, unknown[]>();
    headline.eachRow((row) => rows.set(String(row.getCell(2).value), [row.getCell(3).value, row.getCell(4).value]));
    expect(rows.get('Declarations done')).toEqual([4, 6]);
    expect(rows.get('People with a fever')).toEqual([4, 5]);
    expect(rows.get('Declarations due')).toEqual([9, null]);
    expect(rows.get('Transfer person-trips')).toEqual([3, 4]);
    expect(rows.get('Donated amount (yuan)')).toEqual(['1300.50', '3300.50']);
    expect(headline.getRow(2).getCell(1).value).toBe('事件');
    const sites = wb.getWorksheet('按小区 By site')!;
    expect(sites.rowCount).toBe(2); // the health administrator's scope: S only
    expect(sites.getRow(2).values).toEqual([undefined, S.code, `测试小区${S.code}`, `Test site ${S.code}`, '小区 community', 7, 3, 3, 2, 2, 1, 3, 1, 1]);
    expect(wb.getWorksheet('按单位 By unit')!.getRow(2).values).toEqual([undefined, 'WZBW', '武装保卫部', 'Security & Armed Protection Department', 7, 3, 3, 2, 1]);
  });

  it('the job stores yesterday once and tells each health reader once', async () => {
    const at = local('2020-01-27', '07:00');
    const first = await dailyBriefingJob.run(t.deps, at);
    expect(first).toMatchObject({ stored: true, incident: incidentId, date: '2020-01-26' });
    expect(first.notified).toBeGreaterThanOrEqual(2);
    const again = await dailyBriefingJob.run(t.deps, at);
    expect(again).toMatchObject({ stored: true, date: '2020-01-26', notified: 0 });
    const rows = await db().selectFrom('health_briefings').select(['date', 'figures', 'generated_at']).where('incident_id', '=', incidentId).execute();
    expect(rows.map((r) => r.date)).toEqual(['2020-01-26']);
    expect(rows[0]!.figures).toMatchObject({ date: '2020-01-26', declarationsDone: 1, transfers: { tripsTotal: 4 }, generatedAt: at.toISOString() });
    const notes = await db()
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select(['u.username', 'n.link', 'n.title'])
      .where('n.kind', '=', 'health.briefing')
      .execute();
    expect(notes.filter((n) => n.username === 'health')).toEqual([{ username: 'health', link: '/health/briefing?date=2020-01-26', title: '碰头会日报 2020-01-26' }]);
    expect(notes.filter((n) => n.username === 'grid')).toHaveLength(1);
    expect(notes.filter((n) => n.username === 'manager')).toHaveLength(0);
    expect(notes).toHaveLength(first.notified as number);
    const audits = await db().selectFrom('audit_log').select('details').where('action', '=', 'health.briefing.store').orderBy('seq').execute();
    expect(audits.map((a) => a.details)).toEqual([{ date: '2020-01-26', notified: first.notified }, { date: '2020-01-26', notified: 0 }]);
    const history = (await health.get('/api/health/briefings')).json() as BriefingHistory;
    expect(history.rows).toEqual([expect.objectContaining({ date: '2020-01-26', declarationsDone: 1, abnormalOpen: 2, transfers: { trips: 1, personTrips: 1, tripsTotal: 4, personTripsTotal: 5 } })]);
  });

  it('after the purge the stored briefing is returned unchanged', async () => {
    await db().updateTable('health_incidents').set({ status: 'closed', closed_at: local('2020-01-26', '18:00') }).where('id', '=', incidentId).execute();
    const before = await daily(health, `date=2020-01-25&incident=${incidentId}`);
    expect(before).toMatchObject({ stored: false, incident: { status: 'closed' } });
    const kept = await db().transaction().execute(async (trx) => storeIncidentBriefings(trx, t.deps, await incidentById(trx, incidentId)));
    expect(kept).toEqual({ stored: 3, from: '2020-01-24', to: '2020-01-26' });

    // What the purge deletes (the incident's personal rows), then the incident is purged.
    await db().transaction().execute(async (trx) => {
      const trips = trx.selectFrom('transfers').select('id').where('incident_id', '=', incidentId);
      const quarantines = trx.selectFrom('quarantines').select('id').where('incident_id', '=', incidentId);
      await trx.deleteFrom('transfer_people').where('transfer_id', 'in', trips).execute();
      await trx.deleteFrom('quarantine_follow_ups').where('quarantine_id', 'in', quarantines).execute();
      await trx.deleteFrom('quarantines').where('incident_id', '=', incidentId).execute();
      await trx.deleteFrom('exposures').where('incident_id', '=', incidentId).execute();
      await trx.deleteFrom('abnormal_cases').where('incident_id', '=', incidentId).execute();
      await trx.deleteFrom('health_declarations').where('incident_id', '=', incidentId).execute();
      await trx.updateTable('health_incidents').set({ status: 'purged', purged_at: t.clock.now() }).where('id', '=', incidentId).execute();
    });
    const gone = await db().transaction().execute(async (trx) => computeBriefing(trx, await incidentById(trx, incidentId), '2020-01-25'));
    expect(gone).toMatchObject({ declarationsDone: 0, fevers: 2, abnormalOpened: 0, transfers: { personTrips: 0 } }); // only gate fevers are left

    const after = await daily(health, `date=2020-01-25&incident=${incidentId}`);
    const { generatedAt: _g1, stored: _s1, incident: _i1, ...figuresBefore } = before;
    const { generatedAt, stored, incident, ...figuresAfter } = after;
    expect(figuresAfter).toEqual(figuresBefore);
    expect({ stored, status: incident.status, generatedAt }).toEqual({ stored: true, status: 'purged', generatedAt: '2020-01-27T01:00:00.000Z' });
    // Default: the last closed incident, its last day.
    expect(await daily(health, '')).toMatchObject({ date: '2020-01-26', stored: true, declarationsDone: 1 });
    expect(errorOf(await health.get(`/api/health/briefings/daily?date=2020-01-27&incident=${incidentId}`))).toEqual([404, 'BRIEFING_NOT_STORED']);
    const xlsx = await health.get(`/api/health/briefings/daily.xlsx?date=2020-01-25&incident=${incidentId}`);
    expect(xlsx.statusCode).toBe(200);
    expect(((await health.get('/api/health/briefings')).json() as BriefingHistory).rows.map((r) => r.date)).toEqual(['2020-01-24', '2020-01-25', '2020-01-26']);
  });
});
