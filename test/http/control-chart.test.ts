import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlChart } from '../../src/server/modules/warnings/control-chart.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

/**
 * Canned series of a fresh indicator: a 2019 baseline alternating 10, 11 (mean 10.5, MR̄ 1, so
 * UCL = 10.5 + 2.66 = 13.16 and LCL = 7.84), then 2020: YH1 reaches 13.2 in February (beyond the
 * UCL: WE1), YH2 only 13.15 (inside: no WE1) and a suspect 50 in March that the rules never read.
 */
const baseline = Array.from({ length: 12 }, (_, i) => [`2019-${String(i + 1).padStart(2, '0')}`, i % 2 === 0 ? 10 : 11] as const);
const series = {
  YH1: [...baseline, ['2020-01', 12], ['2020-02', 13.2], ['2020-03', 10]] as const,
  YH2: [...baseline, ['2020-01', 12], ['2020-02', 13.15], ['2020-03', 50]] as const,
};

describe.each(engines)('control charts on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    manager = await t.login('manager');
    const made = await manager.post('/api/indicators', { code: 'CC_TEST', nameZh: '控制图测试', nameEn: 'Control chart test', category: 'energy', uom: 'kWh/t', precision: 2, direction: 'lower', aggregation: 'avg' });
    expect(made.statusCode, made.body).toBe(201);
    const db = t.deps.database.db;
    const indicator = (made.json() as { id: string }).id;
    for (const [code, values] of Object.entries(series)) {
      const unit = await db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow();
      await db
        .insertInto('measurements')
        .values(values.map(([period, value]) => ({ unit_id: unit.id, indicator_id: indicator, period, value, status: 'approved', suspect: code === 'YH2' && period === '2020-03' })))
        .execute();
    }
  });
  afterAll(() => t?.close());

  async function chart(query: string, client = manager): Promise<ControlChart> {
    const res = await client.get(`/api/warnings/control-chart?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  it('a point beyond the UCL fires WE1, explained in words, with the limits from the baseline', async () => {
    const c = await chart('unit=YH1&indicator=CC_TEST&rules=WE1&baselineMonths=12');
    expect(c).toMatchObject({ unit: 'YH1', indicator: 'CC_TEST', direction: 'lower', rules: ['WE1'], baseline: { from: '2019-01', to: '2019-12', months: 12, source: 'query' }, note: null });
    expect(c.mean).toBeCloseTo(10.5, 10);
    expect(c.mr).toBeCloseTo(1, 10);
    expect(c.ucl).toBeCloseTo(13.16, 10);
    expect(c.lcl).toBeCloseTo(7.84, 10);
    expect(c.points).toHaveLength(15);
    expect(c.points[0]).toEqual({ period: '2019-01', value: 10, suspect: false, movingRange: null, baseline: true });
    expect(c.points[13]).toEqual({ period: '2020-02', value: 13.2, suspect: false, movingRange: expect.closeTo(1.2, 10) as unknown as number, baseline: false });
    expect(c.signals).toHaveLength(1);
    const s = c.signals[0]!;
    expect(s).toMatchObject({ rule: 'WE1', periods: ['2020-02'], at: ['2020-02'], side: 'above', favourable: false });
    expect(s.definition).toMatch(/^One point beyond 3σ/);
    expect(s.explanation).toMatch(/^2020-02: 13\.2 is above the upper control limit 13\.16 \(3\.04\d*σ from the mean 10\.5\)\.$/);
    expect(s.explanationZh).toMatch(/^2020-02：13\.2 高于上控制限 13\.16/);
  });

  it('13.15 just fails WE1 (inside the UCL), and a suspect value is shown but never read', async () => {
    const c = await chart('unit=YH2&indicator=CC_TEST&rules=WE1&baselineMonths=12');
    expect(c.ucl).toBeCloseTo(13.16, 10);
    expect(c.signals).toEqual([]);
    const march = c.points.find((p) => p.period === '2020-03')!;
    expect(march).toMatchObject({ value: 50, suspect: true, movingRange: null });
    expect(c.points.find((p) => p.period === '2020-02')).toMatchObject({ value: 13.15, suspect: false });
  });

  it('shows a window of months, picks rules, and says why there are no limits without a baseline', async () => {
    const c = await chart('unit=YH1&indicator=CC_TEST&rules=WE1,N3&baselineMonths=12&from=2020-01&to=2020-03');
    expect(c.points.map((p) => p.period)).toEqual(['2020-01', '2020-02', '2020-03']);
    expect(c.signals.map((s) => s.rule)).toEqual(['WE1']);
    // Default rules without a configured warning rule: WE1–WE4; the default baseline (24 months) is longer than the series.
    const d = await chart('unit=YH1&indicator=CC_TEST');
    expect(d).toMatchObject({ rules: ['WE1', 'WE2', 'WE3', 'WE4'], mean: null, ucl: null, baseline: null, signals: [] });
    expect(d.note).toMatch(/24 months/);
    expect(d.points).toHaveLength(15);
  });

  it('answers unknown or hidden units and indicators with 404, bad rules with 400', async () => {
    const leader = await t.login('leader');
    const hidden = await leader.get('/api/warnings/control-chart?unit=YH1&indicator=CC_TEST');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ error: { code: 'UNIT_NOT_FOUND' } });
    const unknown = await manager.get('/api/warnings/control-chart?unit=YH1&indicator=NOPE');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'INDICATOR_NOT_FOUND' } });
    expect((await manager.get('/api/warnings/control-chart?unit=YH1&indicator=CC_TEST&rules=WE9')).statusCode).toBe(400);
  });

  it("the demo's configured WE1 rule: 电解一厂's DC power per tonne fell below the LCL in February 2020 (favourable)", async () => {
    const c = await chart('unit=DJ1&indicator=DJ_DC_KWH_T&rules=WE1');
    expect(c.baseline).toMatchObject({ from: '2017-01', to: '2018-12', source: 'rule' });
    const feb = c.signals.find((s) => s.at.includes('2020-02'))!;
    expect(feb).toMatchObject({ rule: 'WE1', side: 'below', favourable: true });
    expect(feb.explanationZh).toContain('低于下控制限');
  });
});
