import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayEnd } from '../../src/domain/energy/anomaly-detect';
import { demoEnergyAnomalyRule, demoEnergyFaults } from '../../src/server/demo/demo-energy';
import { systemContext } from '../../src/server/context';
import type { AnomalyRow } from '../../src/server/modules/energy/anomalies.schemas';
import { detectEnergyAnomalies } from '../../src/server/modules/energy/anomalies.service';
import { findUnitByCode } from '../../src/server/modules/units/units.repository';
import { createUserRecord } from '../../src/server/modules/users/users.service';
import type { WarningRule } from '../../src/server/modules/warnings/warnings.schemas';
import { createTestApp, demoPassword, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

type Rows = { rows: AnomalyRow[] };

/** Energy anomalies over the small demo: the compressed-air leak in 电解一厂 and nothing else; the stuck water meter of 第二氧化铝厂 as a data-quality warning. */
describe.each(engines)('energy anomalies (%s)', (engine) => {
  let t: TestApp;
  let manager: Client;
  let leader: Client;
  const counts = async () => {
    const { db } = t.deps.database;
    const n = async (table: 'warnings' | 'problems' | 'notifications') => (await db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
    return { warnings: await n('warnings'), problems: await n('problems'), notifications: await n('notifications') };
  };
  const leak = async (): Promise<AnomalyRow> => {
    const res = await manager.get('/api/energy/anomalies?unit=DJ1&state=firing');
    expect(res.statusCode, res.body).toBe(200);
    const row = (res.json() as Rows).rows.find((r) => r.rule === 'EN_DRIFT' && r.meter === demoEnergyAnomalyRule.meter);
    expect(row).toBeDefined();
    return row!;
  };
  const addRule = (meter: string, params: Record<string, unknown> = {}) => manager.post('/api/warning-rules', { indicator: 'DL_AIR_T', code: 'EN_DRIFT', params: { meter, ...params } });

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { PACESETTER_DEMO_ENERGY: 'small' } });
    // The seeding queued every day; computing them runs the feeds and the warnings scan (with the detection).
    await t.app.energyQueue.settle();
    await t.app.energyQueue.idle();
    await detectEnergyAnomalies(t.deps, t.clock.now());
    manager = await t.login('manager');
    leader = await t.login('leader');
  }, 240_000);
  afterAll(() => t?.close());

  it('the demo leak fires EN_DRIFT for 电解一厂 with an accepted baseline, the CUSUM crossing in the first days of February 2020', async () => {
    const row = await leak();
    expect(row).toMatchObject({ unit: 'DJ1', unitName: '电解一厂', indicator: 'DL_AIR_T', meter: 'DJ1-AIR-MAIN', carrier: 'air', rule: 'EN_DRIFT', state: 'firing' });
    const b = row.evidence.baseline!;
    expect(b.r2).toBeGreaterThanOrEqual(0.75);
    expect([b.from, b.to]).toEqual(['2019-12-07', '2020-01-31']);
    expect(b.a).toBeGreaterThan(0);
    // Points from the baseline's first day to the last complete day; no CUSUM during the baseline.
    expect(row.evidence.points[0]!.day).toBe('2019-12-07');
    expect(row.evidence.points.at(-1)!.day).toBe('2020-03-01');
    expect(row.evidence.points.filter((p) => p.day <= '2020-01-31').every((p) => p.cusum === null && p.expected !== null)).toBe(true);
    const threshold = row.evidence.threshold!;
    expect(threshold).toBeGreaterThan(0);
    const crossing = row.evidence.points.find((p) => p.cusum !== null && p.cusum > threshold)!;
    const leakDay = demoEnergyFaults.leak.from.slice(0, 10);
    expect(crossing.day >= leakDay && crossing.day <= '2020-02-05').toBe(true);
    expect(row.since).toBe(new Date(dayEnd(crossing.day)).toISOString());
    // The CUSUM stays below the threshold every day before the leak.
    expect(row.evidence.points.filter((p) => p.day < leakDay).every((p) => p.cusum === null || p.cusum <= threshold)).toBe(true);
    // February's use per tonne is well above January's expected use.
    const feb = row.evidence.points.filter((p) => p.day >= '2020-02-01' && p.consumption !== null && p.expected !== null);
    expect(feb.reduce((s, p) => s + p.consumption!, 0) / feb.reduce((s, p) => s + p.expected!, 0)).toBeGreaterThan(1.05);
    expect(row.evidence.limits).toBeNull();
    expect(row.summary).toContain('压缩空气');
    expect(row.summary).toContain(crossing.day);

    const one = await manager.get(`/api/energy/anomalies/${row.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(row);
  });

  it('raises one problem for the unit and sends the warning notice to its leader, with a link to the evidence', async () => {
    const row = await leak();
    expect(row.problemId).not.toBeNull();
    const { db } = t.deps.database;
    const problem = await db.selectFrom('problems').selectAll().where('id', '=', row.problemId!).executeTakeFirstOrThrow();
    expect(problem).toMatchObject({ source: 'warning', warning_id: row.id, status: 'open', severity: 'high', gap_period: '2020-03' });
    expect(problem.cause_key).toMatch(/:EN_DRIFT:DJ1-AIR-MAIN$/);
    expect(problem.title).toContain('电解一厂');
    const dj1 = (await findUnitByCode(db, 'DJ1'))!;
    expect(problem.unit_id).toBe(dj1.id);

    const res = await leader.get('/api/notifications');
    expect(res.statusCode, res.body).toBe(200);
    const items = JSON.stringify(res.json());
    expect(items).toContain(`/energy/anomalies?id=${row.id}`);
    const notes = await db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['u.username', 'n.title', 'n.link', 'n.kind']).where('n.kind', '=', 'warning.energy').where('n.title', 'like', '%EN_DRIFT%').execute();
    expect(notes).toEqual([{ username: 'leader', kind: 'warning.energy', link: `/energy/anomalies?id=${row.id}`, title: expect.stringContaining('预警通报') }]);
  });

  it('a re-scan duplicates neither the warning, the problem nor the notifications', async () => {
    const before = await counts();
    const scan = await manager.post('/api/warnings/scan');
    expect(scan.statusCode, scan.body).toBe(200);
    expect(scan.json()).toMatchObject({ notified: 0 });
    await detectEnergyAnomalies(t.deps, t.clock.now());
    expect(await counts()).toEqual(before);
    expect((await leak()).state).toBe('firing');
  });

  it('no EN_DRIFT fires for a meter without a fault; a baseline with R² below 0.75 is stated in the facts and checks nothing', async () => {
    const ok = await addRule('DJ1-AIR-01', { baselineFrom: '2019-12-07' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((ok.json() as WarningRule).params).toEqual({ meter: 'DJ1-AIR-01', baselineFrom: '2019-12-07', baselineDays: 56, k: 0.5, h: 5, minR2: 0.75 });
    const weak = await addRule('DJ1-AIR-02', { baselineFrom: '2019-11-01', minR2: 0.9 });
    expect(weak.statusCode, weak.body).toBe(201);
    await manager.post('/api/warnings/scan');
    const { db } = t.deps.database;
    const rows = await db
      .selectFrom('warnings as w')
      .innerJoin('warning_rules as r', 'r.id', 'w.rule_id')
      .select(['w.id', 'w.state', 'w.facts', sql<string>`r.params ->> 'meter'`.as('meter')])
      .where('r.code', '=', 'EN_DRIFT')
      .execute();
    const quiet = rows.find((r) => r.meter === 'DJ1-AIR-01')!;
    expect(quiet.state).toBe('inactive');
    expect((quiet.facts as { baseline: { accepted: boolean } }).baseline.accepted).toBe(true);
    const noBaseline = rows.find((r) => r.meter === 'DJ1-AIR-02')!;
    expect(noBaseline.state).toBe('inactive');
    expect(noBaseline.facts).toMatchObject({ baseline: { accepted: false, reasons: ['LOW_R2'] }, crossedOn: null, threshold: null });
    const firing = (await manager.get('/api/energy/anomalies?state=firing')).json() as Rows;
    expect(firing.rows.filter((r) => r.rule !== 'EN_QUALITY').map((r) => r.meter)).toEqual(['DJ1-AIR-MAIN']);
    // Inactive anomalies are readable by id, with the reason in the summary and no baseline in the evidence.
    const one = (await manager.get(`/api/energy/anomalies/${noBaseline.id}`)).json() as AnomalyRow;
    expect(one).toMatchObject({ state: 'inactive', meter: 'DJ1-AIR-02', evidence: { baseline: null, threshold: null } });
    expect(one.summary).toContain('未建立 ISO 50006 基准');
    expect(one.evidence.points.every((p) => p.cusum === null && p.expected === null)).toBe(true);
  });

  it('the rules editor validates the parameters per code and the meter', async () => {
    const noMeter = await manager.post('/api/warning-rules', { indicator: 'DL_AIR_T', code: 'EN_DRIFT', params: {} });
    expect(noMeter.statusCode).toBe(400);
    expect(noMeter.json().error.code).toBe('VALIDATION_FAILED');
    const badR2 = await addRule('DJ1-AIR-03', { minR2: 1.5 });
    expect(badR2.statusCode).toBe(400);
    const unknown = await addRule('NO-SUCH-METER');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'WARNING_RULE_INVALID', details: { meter: 'NO-SUCH-METER' } });
    const otherUnit = await manager.post('/api/warning-rules', { indicator: 'DL_AIR_T', unit: 'DL', code: 'EN_CHART', params: { meter: 'DJ1-AIR-03' } });
    expect(otherUnit.statusCode).toBe(422);
    const chart = await manager.post('/api/warning-rules', { indicator: 'DL_AIR_T', code: 'EN_CHART', params: { meter: 'DJ1-AIR-03', baselineFrom: '2019-12-07' }, enabled: false });
    expect(chart.statusCode, chart.body).toBe(201);
    expect(chart.json()).toMatchObject({ code: 'EN_CHART', params: { meter: 'DJ1-AIR-03', rules: ['WE1', 'WE2'], baselineDays: 56 }, definition: expect.stringContaining('per tonne') });
    const audits = await t.deps.database.db.selectFrom('audit_log').select('action').where('action', '=', 'warning_rule.create').execute();
    expect(audits.length).toBeGreaterThanOrEqual(3);
  });

  it('a user of another unit sees no anomaly of 电解一厂 (empty list, 404 by id)', async () => {
    const row = await leak();
    const { db } = t.deps.database;
    const yh1 = (await findUnitByCode(db, 'YH1'))!;
    await db.transaction().execute((trx) => createUserRecord(trx, t.deps, systemContext('test'), { username: 'yh1.leader', displayName: '氧化铝一厂厂长', unitId: yh1.id, roleCodes: ['unit-leader'], password: demoPassword, mustChangePassword: false }));
    const other = await t.login('yh1.leader');
    const list = await other.get('/api/energy/anomalies');
    expect(list.statusCode).toBe(200);
    expect((list.json() as Rows).rows).toEqual([]);
    const one = await other.get(`/api/energy/anomalies/${row.id}`);
    expect(one.statusCode).toBe(404);
    expect(one.json().error.code).toBe('ANOMALY_NOT_FOUND');
    expect((await other.get('/api/energy/anomalies?unit=DJ1')).statusCode).toBe(404);
    // The leader of 电解一厂 sees it.
    expect(((await leader.get('/api/energy/anomalies')).json() as Rows).rows.map((r) => r.id)).toContain(row.id);
  });

  // ---- EN_QUALITY: the stuck water meter YH2-W-03 (2020-02-20 08:00 … 02-22 08:00) -----------------

  const stuckDays = ['2020-02-20', '2020-02-21', '2020-02-22'];
  const quality = async (state?: string): Promise<AnomalyRow> => {
    const res = await manager.get(`/api/energy/anomalies?unit=YH2${state ? `&state=${state}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = (res.json() as Rows).rows.filter((r) => r.rule === 'EN_QUALITY');
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  it('EN_QUALITY fires for 第二氧化铝厂 from the first stuck day of YH2-W-03, naming the meter, its days and the fault', async () => {
    expect(demoEnergyFaults.stuck.meter).toBe('YH2-W-03');
    const row = await quality('firing');
    expect(row).toMatchObject({ unit: 'YH2', unitName: '第二氧化铝厂', indicator: 'YH_POWER_KWH', meter: null, carrier: 'water', rule: 'EN_QUALITY', state: 'firing', problemId: null });
    expect(row.evidence).toEqual({ baseline: null, points: [], threshold: null, limits: null, meters: [{ meter: 'YH2-W-03', meterName: expect.any(String), carrier: 'water', days: stuckDays, findings: ['EQ_STUCK'] }], window: { from: '2020-01-31', to: '2020-03-01' } });
    // Hold 1: fires at the end of the first faulty day (Asia/Shanghai).
    expect(row.since).toBe(new Date(dayEnd('2020-02-20')).toISOString());
    expect(row.summary).toBe('第二氧化铝厂 1 块表 3 个可疑日待确认：YH2-W-03（读数停滞 EQ_STUCK，2020-02-20…2020-02-22）');
    const { db } = t.deps.database;
    const w = await db.selectFrom('warnings').select(['facts', 'state']).where('id', '=', row.id).executeTakeFirstOrThrow();
    // Evaluated as of the last day with data (2020-03-01), not the clock: the 31 days up to it.
    expect(w.facts).toMatchObject({ rule: 'EN_QUALITY', unitCode: 'YH2', lookbackDays: 31, window: { from: '2020-01-31', to: '2020-03-01' }, faultyDays: 3, meters: [{ meter: 'YH2-W-03', days: stuckDays, findings: ['EQ_STUCK'] }] });
    // Data-quality warnings raise no problem.
    expect(await db.selectFrom('problems').select('id').where('warning_id', '=', row.id).execute()).toEqual([]);
    expect(await db.selectFrom('problems').select('id').where('cause_key', 'like', '%EN_QUALITY%').execute()).toEqual([]);
    const one = await manager.get(`/api/energy/anomalies/${row.id}`);
    expect(one.json()).toEqual(row);
  });

  it('sends the EN_QUALITY notice to the nearest unit leaders of 第二氧化铝厂 — there are none, so to the group managers', async () => {
    const row = await quality('firing');
    const { db } = t.deps.database;
    const yh2 = (await findUnitByCode(db, 'YH2'))!;
    const yh2Leaders = await db.selectFrom('user_roles as r').innerJoin('users as u', 'u.id', 'r.user_id').select('u.username').where('r.role_code', '=', 'unit-leader').where('u.unit_id', '=', yh2.id).execute();
    expect(yh2Leaders).toEqual([]);
    const notes = await db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['u.username', 'n.title', 'n.link', 'n.body']).where('n.link', '=', `/energy/anomalies?id=${row.id}`).execute();
    expect(notes).toEqual([{ username: 'manager', title: '预警通报：第二氧化铝厂能源数据质量异常（EN_QUALITY）', link: `/energy/anomalies?id=${row.id}`, body: row.summary }]);
    // The leader of 电解一厂 gets none of it.
    expect(JSON.stringify((await leader.get('/api/notifications')).json())).not.toContain(row.id);
  });

  it('an EN_QUALITY rule needs a unit (422) and takes lookbackDays 1…92 (default 31)', async () => {
    const noUnit = await manager.post('/api/warning-rules', { indicator: 'YH_POWER_KWH', code: 'EN_QUALITY', params: {} });
    expect(noUnit.statusCode, noUnit.body).toBe(422);
    expect(noUnit.json().error).toMatchObject({ code: 'WARNING_RULE_INVALID', details: { code: 'EN_QUALITY' } });
    const tooLong = await manager.post('/api/warning-rules', { indicator: 'YH_POWER_KWH', unit: 'YH2', code: 'EN_QUALITY', params: { lookbackDays: 93 } });
    expect(tooLong.statusCode).toBe(400);
    const extra = await manager.post('/api/warning-rules', { indicator: 'YH_POWER_KWH', unit: 'YH2', code: 'EN_QUALITY', params: { meter: 'YH2-W-03' } });
    expect(extra.statusCode).toBe(400);
    const ok = await manager.post('/api/warning-rules', { indicator: 'YH_POWER_KWH', unit: 'YH2', code: 'EN_QUALITY', enabled: false });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ code: 'EN_QUALITY', unit: 'YH2', params: { lookbackDays: 31 }, enabled: false, definition: expect.stringContaining('not confirmed') });
  });

  it('confirming the suspect days resolves the EN_QUALITY warning at the next scan, without a new notice', async () => {
    const row = await quality('firing');
    // A statistician of 第二氧化铝厂 confirms (measurement.enter; the group manager only reads).
    const { db } = t.deps.database;
    const yh2 = (await findUnitByCode(db, 'YH2'))!;
    await db.transaction().execute((trx) => createUserRecord(trx, t.deps, systemContext('test'), { username: 'yh2.clerk', displayName: '第二氧化铝厂统计员', unitId: yh2.id, roleCodes: ['unit-clerk'], password: demoPassword, mustChangePassword: false }));
    const clerk = await t.login('yh2.clerk');
    expect((await manager.post(`/api/energy/daily/YH2-W-03/${stuckDays[0]}/confirm`, { reason: 'x' })).statusCode).toBe(403);
    const before = await counts();
    const energyBefore = (await db.selectFrom('notifications').select(['id', 'title', 'link', 'dedupe_key', 'user_id']).where('kind', '=', 'warning.energy').execute());
    for (const day of stuckDays) {
      const res = await clerk.post(`/api/energy/daily/YH2-W-03/${day}/confirm`, { reason: '表计停滞期间用水已核实' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ meter: 'YH2-W-03', day, suspect: false, confirmed: true });
    }
    const scan = await manager.post('/api/warnings/scan');
    expect(scan.statusCode, scan.body).toBe(200);
    const now = t.clock.now().toISOString();
    const after = await quality('resolved');
    expect(after).toMatchObject({ id: row.id, state: 'resolved', since: now, problemId: null, evidence: { meters: [] } });
    expect(after.summary).toBe('第二氧化铝厂可疑数据均已确认或更正（2020-01-31…2020-03-01）');
    const w = await db.selectFrom('warnings').select(['resolved_at', 'facts']).where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(w.resolved_at?.toISOString()).toBe(now);
    expect(w.facts).toMatchObject({ faultyDays: 0, meters: [] });
    expect(await db.selectFrom('audit_log').select('object_id').where('action', '=', 'energy.day.confirm').orderBy('object_id').execute()).toEqual(stuckDays.map((d) => ({ object_id: `YH2-W-03/${d}` })));
    expect((await counts()).problems).toBe(before.problems);
    // No new warning notice (the confirmed month may bring other notices, e.g. of the monthly figures).
    const energyNotes = async () => (await db.selectFrom('notifications').select(['id', 'title', 'link', 'dedupe_key', 'user_id']).where('kind', '=', 'warning.energy').execute());
    expect(await energyNotes()).toEqual(energyBefore);
    // Another scan leaves it resolved, as it was.
    await manager.post('/api/warnings/scan');
    expect(await quality('resolved')).toEqual(after);
  });
});
