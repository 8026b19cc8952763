import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results, ResultRow, Scheme } from '../../src/server/modules/evaluations/evaluations.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

const plants = ['YH1', 'YH2', 'YH3'];
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

describe.each(engines)('evaluation (结果导向) on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    manager = await t.login('manager');
  });
  afterAll(() => t?.close());

  async function results(period: string, client = manager): Promise<Results> {
    const res = await client.get(`/api/evaluations/results?scheme=2020-ALUMINA&period=${period}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const rowOf = (r: Results, unit: string): ResultRow => r.rows.find((x) => x.unit === unit)!;
  const itemOf = (row: ResultRow, indicator: string) => row.items.find((i) => i.indicator === indicator)!;

  /** The raw monthly value of an indicator, read straight from the database. */
  async function raw(unit: string, indicator: string, period: string): Promise<number> {
    const r = await t.deps.database.db
      .selectFrom('measurements as m')
      .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
      .innerJoin('units as u', 'u.id', 'm.unit_id')
      .select(['m.value'])
      .where('u.code', '=', unit)
      .where('i.code', '=', indicator)
      .where('m.period', '=', period)
      .executeTakeFirstOrThrow();
    return Number(r.value);
  }
  async function setMeasurement(unit: string, indicator: string, period: string, set: { suspect?: boolean; value?: number }) {
    const db = t.deps.database.db;
    const u = await db.selectFrom('units').select('id').where('code', '=', unit).executeTakeFirstOrThrow();
    const i = await db.selectFrom('indicators').select('id').where('code', '=', indicator).executeTakeFirstOrThrow();
    await db.updateTable('measurements').set(set).where('unit_id', '=', u.id).where('indicator_id', '=', i.id).where('period', '=', period).execute();
  }

  it('lists the demo scheme with its units and items', async () => {
    const res = await manager.get('/api/evaluation-schemes');
    expect(res.statusCode, res.body).toBe(200);
    const scheme = (res.json() as { items: Scheme[] }).items.find((s) => s.code === '2020-ALUMINA')!;
    expect(scheme).toMatchObject({ nameZh: '氧化铝厂全要素对标考核', aggregation: 'arithmetic', units: plants, grading: { method: 'percentile', cuts: [0.2, 0.4, 0.6, 0.8] } });
    expect(scheme.items.map((i) => [i.indicator, i.method, i.weight])).toEqual([
      ['YH_POWER_KWH_T', 'efficacy', 30],
      ['YH_AO_OUT', 'add-deduct', 30],
      ['YH_WATER_T', 'five-tier', 20],
      ['YH_DIGEST_YIELD', 'pass-fail', 10],
      ['YH_STEAM_T_T', 'pass-fail', 10],
    ]);
  });

  it('scores February 2020 from the raw values: efficacy between the peer best and worst, output against plan, the weighted total', async () => {
    const r = await results('2020-02');
    expect(r).toMatchObject({ scheme: '2020-ALUMINA', period: '2020-02', status: 'draft', version: null, months: ['2020-02'] });
    expect(r.rows.map((x) => x.unit).sort()).toEqual(plants);

    // Power per tonne (lower is better): 满意值 the lowest of the three, 不允许值 the highest.
    const power = new Map<string, number>();
    for (const u of plants) power.set(u, round((await raw(u, 'YH_POWER_KWH', '2020-02')) / (await raw(u, 'YH_AO_OUT', '2020-02')), 1));
    const best = Math.min(...power.values());
    const worst = Math.max(...power.values());
    for (const u of plants) {
      const item = itemOf(rowOf(r, u), 'YH_POWER_KWH_T');
      expect(item.value).toBe(power.get(u));
      expect(item.score).toBe(round(60 + (40 * (power.get(u)! - worst)) / (best - worst), 2));
      expect(item.explanation).toMatchObject({ rule: 'efficacy', references: { satisfactory: best, impermissible: worst }, sources: { satisfactory: 'peer-best', impermissible: 'peer-worst' } });
    }

    // Output against its monthly target: 10 + (rate − 100) points, 0…15, out of 100 (× 10).
    const db = t.deps.database.db;
    const yh1 = rowOf(r, 'YH1');
    const target = await db
      .selectFrom('targets as t')
      .innerJoin('units as u', 'u.id', 't.unit_id')
      .innerJoin('indicators as i', 'i.id', 't.indicator_id')
      .select('t.target')
      .where('u.code', '=', 'YH1')
      .where('i.code', '=', 'YH_AO_OUT')
      .where('t.period', '=', '2020-02')
      .executeTakeFirstOrThrow();
    const rate = round(((await raw('YH1', 'YH_AO_OUT', '2020-02')) / Number(target.target)) * 100, 2);
    const points = Math.min(15, Math.max(0, 10 + (rate - 100)));
    expect(itemOf(yh1, 'YH_AO_OUT')).toMatchObject({ measure: 'completionRate', value: rate, score: round((points / 10) * 100, 2) });

    // Pass/fail: 溶出率 ≥ 86 % scores 100, else 0.
    for (const u of plants) expect(itemOf(rowOf(r, u), 'YH_DIGEST_YIELD').score).toBe((await raw(u, 'YH_DIGEST_YIELD', '2020-02')) >= 86 ? 100 : 0);

    // The total is the weighted mean of the printed item scores, rounded to 1 decimal.
    for (const row of r.rows) {
      const total = row.items.reduce((a, i) => a + i.weight * i.score!, 0) / row.items.reduce((a, i) => a + i.weight, 0);
      expect(row.score).toBe(round(total, 1));
      expect(row.items.every((i) => i.explanation !== null && i.explanation.arithmetic.length > 0)).toBe(true);
    }
  });

  it('ranks, grades and pays consistently with the scores', async () => {
    const r = await results('2020-02');
    const sorted = [...r.rows].sort((a, b) => b.score! - a.score!);
    expect(r.rows.map((x) => x.unit)).toEqual(sorted.map((x) => x.unit));
    expect(new Set(r.rows.map((x) => x.score)).size).toBe(3);
    expect(r.rows.map((x) => [x.rank, x.rankOf])).toEqual([[1, 3], [2, 3], [3, 3]]);
    // Quintiles: 0 of 3 better → A, 1 of 3 (0.33) → B, 2 of 3 (0.67) → D.
    expect(r.rows.map((x) => x.grade)).toEqual(['A', 'B', 'D']);
    for (const row of r.rows) {
      const expected = row.score! <= 60 ? 0.8 : row.score! >= 100 ? 1.2 : round(0.8 + ((row.score! - 60) / 40) * 0.4, 4);
      expect(row.payCoefficient).toBe(expected);
      expect(row.vetoed).toBe(false);
    }
  });

  it('leaves suspect data out: the value disappears from the item and the total waits for it', async () => {
    const before = rowOf(await results('2020-02'), 'YH3');
    expect(itemOf(before, 'YH_STEAM_T_T').value).not.toBeNull();
    await setMeasurement('YH3', 'YH_STEAM_T', '2020-02', { suspect: true });
    try {
      const after = await results('2020-02');
      const row = rowOf(after, 'YH3');
      expect(itemOf(row, 'YH_STEAM_T_T')).toMatchObject({ value: null, score: null, explanation: null, problem: 'NO_VALUE' });
      expect(row).toMatchObject({ score: null, rank: null, grade: null, payCoefficient: null, missing: ['YH_STEAM_T_T'] });
      // The two others are ranked between themselves.
      expect(after.rows.filter((x) => x.rank !== null).map((x) => x.rankOf)).toEqual([2, 2]);
    } finally {
      await setMeasurement('YH3', 'YH_STEAM_T', '2020-02', { suspect: false });
    }
  });

  it('a veto zeroes a unit with its reason, keeps the unvetoed score, ranks it last with E; a veto needs a reason', async () => {
    const before = rowOf(await results('2020-01'), 'YH2');
    expect(before.score).not.toBeNull();
    const noReason = await manager.post('/api/evaluations/vetoes', { scheme: '2020-ALUMINA', unit: 'YH2', period: '2020-01', reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    const res = await manager.post('/api/evaluations/vetoes', { scheme: '2020-ALUMINA', unit: 'YH2', period: '2020-01', reason: '重大安全事故' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ scheme: '2020-ALUMINA', unit: 'YH2', period: '2020-01', reason: '重大安全事故' });
    const r = await results('2020-01');
    const row = rowOf(r, 'YH2');
    expect(row).toMatchObject({ score: 0, unvetoedScore: before.score, vetoed: true, vetoReasons: ['重大安全事故'], rank: 3, grade: 'E', payCoefficient: 0.8 });
    expect(r.rows.at(-1)!.unit).toBe('YH2');
    // A month's veto also zeroes its quarter; the reason names the month.
    expect(rowOf(await results('2020-Q1'), 'YH2')).toMatchObject({ vetoed: true, vetoReasons: ['重大安全事故（2020-01）'] });
    const logged = await t.deps.database.db.selectFrom('audit_log').select(['action', 'object_id']).where('action', '=', 'evaluation.veto').execute();
    expect(logged).toEqual([{ action: 'evaluation.veto', object_id: '2020-ALUMINA/2020-01' }]);
  });

  it('publishing freezes the results; a second publication is version 2 and names whose score changed', async () => {
    const draft = await results('2020-02');
    const first = await manager.post('/api/evaluations/publish', { scheme: '2020-ALUMINA', period: '2020-02' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ scheme: '2020-ALUMINA', period: '2020-02', version: 1, previousVersion: null, changes: [] });
    const published = await results('2020-02');
    expect(published).toMatchObject({ status: 'published', version: 1 });
    expect(published.rows).toEqual(draft.rows);

    // More output for YH1 after publication: the published rows do not move.
    const output = await raw('YH1', 'YH_AO_OUT', '2020-02');
    await setMeasurement('YH1', 'YH_AO_OUT', '2020-02', { value: Math.round(output * 0.9) });
    expect((await results('2020-02')).rows).toEqual(draft.rows);

    const second = await manager.post('/api/evaluations/publish', { scheme: '2020-ALUMINA', period: '2020-02' });
    expect(second.statusCode, second.body).toBe(201);
    const body = second.json() as { version: number; previousVersion: number; changes: { unit: string; old: number; new: number }[] };
    expect(body).toMatchObject({ version: 2, previousVersion: 1 });
    const yh1 = body.changes.find((c) => c.unit === 'YH1')!;
    expect(yh1.old).toBe(rowOf(draft, 'YH1').score);
    expect(yh1.new).toBeLessThan(yh1.old);
    const now = await results('2020-02');
    expect(now).toMatchObject({ status: 'published', version: 2 });
    expect(rowOf(now, 'YH1').score).toBe(yh1.new);
    expect(await t.deps.database.db.selectFrom('audit_log').select('object_id').where('action', '=', 'evaluation.publish').execute()).toHaveLength(2);
  });

  it("limits rows to the caller's data scope; only managers publish and veto", async () => {
    const leader = await t.login('leader');
    const r = await results('2020-02', leader);
    expect(r.rows).toEqual([]);
    expect((await leader.post('/api/evaluations/publish', { scheme: '2020-ALUMINA', period: '2020-03' })).statusCode).toBe(403);
    expect((await leader.post('/api/evaluations/vetoes', { scheme: '2020-ALUMINA', unit: 'YH1', period: '2020-03', reason: 'x' })).statusCode).toBe(403);
  });

  it('answers unknown schemes, periods and units with clear codes', async () => {
    const unknown = await manager.get('/api/evaluations/results?scheme=NOPE&period=2020-02');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'SCHEME_NOT_FOUND' } });
    const badPeriod = await manager.get('/api/evaluations/results?scheme=2020-ALUMINA&period=2020-13');
    expect(badPeriod.statusCode).toBe(422);
    expect(badPeriod.json()).toMatchObject({ error: { code: 'PERIOD_INVALID', details: { field: 'period' } } });
    const notInScheme = await manager.post('/api/evaluations/vetoes', { scheme: '2020-ALUMINA', unit: 'DJ1', period: '2020-02', reason: '不在方案内' });
    expect(notInScheme.statusCode).toBe(404);
    expect(notInScheme.json()).toMatchObject({ error: { code: 'UNIT_NOT_FOUND' } });
    // A scheme that cannot score says which field is wrong.
    await t.deps.database.db.updateTable('evaluation_schemes').set({ grading: JSON.stringify({ method: 'percentile', cuts: [0.8, 0.6, 0.4, 0.2] }) }).where('code', '=', '2020-ALUMINA').execute();
    const broken = await manager.get('/api/evaluations/results?scheme=2020-ALUMINA&period=2020-03');
    expect(broken.statusCode).toBe(422);
    expect(broken.json()).toMatchObject({ error: { code: 'SCORING_INVALID', details: { field: 'grading.cuts[1]' } } });
  });
});
