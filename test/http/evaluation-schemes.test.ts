import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateSchemeBody, History, Results, Scheme } from '../../src/server/modules/evaluations/evaluations.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

type Issue = { path: string; code: string; message: string };

/** The demo scheme's items, paid by grade (A 1.2 … E 0.8) with plant heads at × 1.1 within 0.8…1.3. */
function schemeBody(code: string): CreateSchemeBody {
  return {
    code,
    nameZh: '测试方案',
    nameEn: 'Test scheme',
    aggregation: 'arithmetic',
    itemDecimals: 2,
    totalDecimals: 1,
    grading: { method: 'percentile', cuts: [0.2, 0.4, 0.6, 0.8] },
    pay: { grades: { A: 1.2, B: 1.1, C: 1, D: 0.9, E: 0.8 }, cadre: { multiplier: 1.1, min: 0.8, max: 1.3 } },
    units: ['YH1', 'YH2', 'YH3'],
    items: [
      { indicator: 'YH_POWER_KWH_T', method: 'efficacy', measure: 'value', weight: 30, params: { satisfactory: { kind: 'peer-best' }, impermissible: { kind: 'peer-worst' } }, validFrom: '2020-01-01', validTo: null },
      { indicator: 'YH_AO_OUT', method: 'add-deduct', measure: 'completionRate', weight: 30, params: { base: 100, basePoints: 10, perUnit: 1, cap: 15, floor: 0 }, validFrom: '2020-01-01', validTo: null },
      { indicator: 'YH_WATER_T', method: 'five-tier', measure: 'value', weight: 20, params: { tiers: [2.3, 2.4, 2.5, 2.6, 2.8] }, validFrom: '2020-01-01', validTo: null },
      { indicator: 'YH_DIGEST_YIELD', method: 'pass-fail', measure: 'value', weight: 10, params: { threshold: 86 }, validFrom: '2020-01-01', validTo: null },
      { indicator: 'YH_STEAM_T_T', method: 'pass-fail', measure: 'value', weight: 10, params: { threshold: 2.1 }, validFrom: '2020-01-01', validTo: null },
    ],
  };
}
const putBody = (s: CreateSchemeBody, version: number) => {
  const { code: _code, ...rest } = s;
  return { ...rest, version };
};

describe.each(engines)('evaluation schemes, cadres and history on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    manager = await t.login('manager');
  });
  afterAll(() => t?.close());

  async function results(scheme: string, period: string): Promise<Results> {
    const res = await manager.get(`/api/evaluations/results?scheme=${scheme}&period=${period}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const publications = (scheme: string) =>
    t.deps.database.db
      .selectFrom('evaluation_publications as p')
      .innerJoin('evaluation_schemes as s', 's.id', 'p.scheme_id')
      .select(['p.period', 'p.version', 'p.results'])
      .where('s.code', '=', scheme)
      .orderBy('p.period')
      .orderBy('p.version')
      .execute();

  it('creates a scheme whole, audited with its fields; the code is unique; only evaluation.write may', async () => {
    const res = await manager.post('/api/evaluation-schemes', schemeBody('T-GRADES'));
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as Scheme;
    expect(created).toMatchObject({ code: 'T-GRADES', version: 1, units: ['YH1', 'YH2', 'YH3'], pay: { grades: { A: 1.2 }, cadre: { multiplier: 1.1 } } });
    expect(created.items.map((i) => [i.indicator, i.weight, i.validFrom, i.validTo])).toEqual(schemeBody('x').items.map((i) => [i.indicator, i.weight, '2020-01-01', null]));
    const listed = ((await manager.get('/api/evaluation-schemes')).json() as { items: Scheme[] }).items.map((s) => s.code);
    expect(listed).toEqual(expect.arrayContaining(['2020-ALUMINA', 'T-GRADES']));
    const logged = await t.deps.database.db.selectFrom('audit_log').select(['object_id', 'changes']).where('action', '=', 'evaluation.scheme.create').execute();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ object_id: 'T-GRADES', changes: { nameZh: { new: '测试方案' }, units: { new: ['YH1', 'YH2', 'YH3'] } } });

    const again = await manager.post('/api/evaluation-schemes', schemeBody('T-GRADES'));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'SCHEME_EXISTS' } });
    const leader = await t.login('leader');
    expect((await leader.post('/api/evaluation-schemes', schemeBody('T-LEADER'))).statusCode).toBe(403);
    expect((await leader.put('/api/evaluation-schemes/T-GRADES', putBody(schemeBody('T-GRADES'), 1))).statusCode).toBe(403);
  });

  it('reports every problem at once, each at its field with a stable code, and saves nothing', async () => {
    const body = schemeBody('T-BROKEN');
    body.units = ['YH1', 'YH1', 'NOPE'];
    body.pay = { points: [[60, 0.8]], grades: { A: 1, B: 1, C: 1, D: 1, E: 1 }, cadre: { multiplier: 1, min: 1.5, max: 0.8 } };
    body.grading = { method: 'percentile', cuts: [0.8, 0.6, 0.4, 0.2] };
    body.items = [
      { ...body.items[0]!, params: { satisfactory: { kind: 'fixed', value: 500 }, impermissible: { kind: 'fixed', value: 500 } } },
      { ...body.items[1]!, params: { base: 100, basePoints: 10, perUnit: 1, cap: 5, floor: 10 }, weight: -5 },
      { ...body.items[2]!, params: { tiers: [2.3, 2.5, 2.4, 2.6, 2.8] } },
      { ...body.items[3]!, params: { limit: 86 } },
      { ...body.items[4]!, indicator: 'NO_SUCH_INDICATOR' },
      { ...body.items[2]!, validFrom: '2020-06-01' },
      // Lower is better for power per tonne: a satisfactory value above the impermissible one is inverted.
      { ...body.items[0]!, params: { satisfactory: { kind: 'fixed', value: 600 }, impermissible: { kind: 'fixed', value: 500 } }, validFrom: '2019-01-01', validTo: '2019-12-31' },
    ];
    const res = await manager.post('/api/evaluation-schemes', body);
    expect(res.statusCode, res.body).toBe(422);
    const error = (res.json() as { error: { code: string; details: { issues: Issue[] } } }).error;
    expect(error.code).toBe('SCHEME_INVALID');
    const pairs = error.details.issues.map((i) => `${i.path} ${i.code}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        'units[1] UNIT_DUPLICATE',
        'units[2] UNIT_NOT_FOUND',
        'pay PAY_MAPPING_INVALID',
        'pay.cadre.max CADRE_INVALID',
        'grading.cuts[1] GRADING_CUTS_INVALID',
        'items[0].params.satisfactory REFERENCES_EQUAL',
        'items[1].params.cap CAP_BELOW_FLOOR',
        'items[1].weight WEIGHT_NEGATIVE',
        'items[2].params.tiers[2] TIERS_NOT_MONOTONE',
        'items[3].params.threshold PARAMS_INVALID',
        'items[3].params PARAMS_INVALID',
        'items[4].indicator INDICATOR_NOT_FOUND',
        'items[5].validFrom VALIDITY_OVERLAP',
        'items[6].params.satisfactory REFERENCES_INVERTED',
      ]),
    );
    for (const i of error.details.issues) expect(i.message.length).toBeGreaterThan(0);
    expect(await t.deps.database.db.selectFrom('evaluation_schemes').select('id').where('code', '=', 'T-BROKEN').execute()).toEqual([]);
    // A body of the wrong shape is refused before the service (400).
    expect((await manager.post('/api/evaluation-schemes', { ...schemeBody('T-SHAPE'), items: 'none' })).statusCode).toBe(400);
  });

  it('cadre coefficients: the unit\'s coefficient × 1.1, clamped to 0.8…1.3, explained (hand-checked)', async () => {
    const r = await results('T-GRADES', '2020-02');
    // The demo's February grades are A, B, D (evaluations.test.ts): 1.2, 1.1, 0.9 by the grade table.
    expect(r.rows.map((x) => [x.grade, x.payCoefficient])).toEqual([['A', 1.2], ['B', 1.1], ['D', 0.9]]);
    const heads = Object.fromEntries(r.rows.map((x) => [x.unit, x.cadres]));
    expect(heads.YH1!.map((c) => c.person)).toEqual(['E0101']);
    expect(heads.YH2!.map((c) => c.person)).toEqual(['E0102']);
    expect(heads.YH3!.map((c) => c.person)).toEqual(['E0103']);
    const byGrade = Object.fromEntries(r.rows.map((x) => [x.grade, x.cadres[0]!]));
    // A: 1.2 × 1.1 = 1.32, capped at 1.3; B: 1.1 × 1.1 = 1.21; D: 0.9 × 1.1 = 0.99.
    expect(byGrade.A).toMatchObject({ name: expect.stringContaining('厂长'), payCoefficient: 1.3, explanation: { rule: 'pay.cadre', limitedBy: 'cap', arithmetic: '1.2 × 1.1 = 1.32; capped at 1.3 → 1.3' } });
    expect(byGrade.B).toMatchObject({ payCoefficient: 1.21, explanation: { arithmetic: '1.1 × 1.1 = 1.21 → 1.21' } });
    expect(byGrade.D).toMatchObject({ payCoefficient: 0.99 });
    expect(byGrade.D!.explanation!.limitedBy).toBeUndefined();
    // The grade table's explanation, and people who are not cadres are not listed.
    expect(r.rows[0]!.explanation.pay).toMatchObject({ rule: 'pay.grade', arithmetic: 'grade A → 1.2' });
  });

  it('the demo scheme pays by score; its plant heads follow, and a publication freezes them too', async () => {
    const r = await results('2020-ALUMINA', '2020-03');
    for (const row of r.rows) {
      if (row.payCoefficient === null) continue;
      const expected = Math.min(1.3, Math.max(0.8, Math.round(row.payCoefficient * 1.1 * 1e4) / 1e4));
      expect(row.cadres).toHaveLength(1);
      expect(row.cadres[0]!.payCoefficient).toBeCloseTo(expected, 10);
    }
    const res = await manager.post('/api/evaluations/publish', { scheme: '2020-ALUMINA', period: '2020-03' });
    expect(res.statusCode, res.body).toBe(201);
    const frozen = (await publications('2020-ALUMINA')).find((p) => p.period === '2020-03')!.results as { rows: { cadres: unknown[] }[] };
    expect(frozen.rows.every((row) => Array.isArray(row.cadres) && row.cadres.length === 1)).toBe(true);
    expect((await results('2020-ALUMINA', '2020-03')).rows).toEqual(r.rows);
  });

  it('an edit never changes a published version; the results show that the draft differs, and a new version names the changes', async () => {
    const published = await manager.post('/api/evaluations/publish', { scheme: 'T-GRADES', period: '2020-02' });
    expect(published.statusCode, published.body).toBe(201);
    const before = await results('T-GRADES', '2020-02');
    expect(before).toMatchObject({ status: 'published', version: 1, draftDiffers: false, changes: [] });
    const stored = await publications('T-GRADES');

    // Stale version: refused.
    const body = schemeBody('T-GRADES');
    const stale = await manager.put('/api/evaluation-schemes/T-GRADES', putBody(body, 7));
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'STALE_VERSION' } });
    // An invalid edit is refused whole.
    const invalid = await manager.put('/api/evaluation-schemes/T-GRADES', { ...putBody(body, 1), items: [] });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({ error: { code: 'SCHEME_INVALID', details: { issues: [{ path: 'items', code: 'NO_ITEMS' }] } } });

    // Only the pass/fail items now, from February: every plant's total moves.
    body.items = body.items.map((i) => (i.method === 'pass-fail' ? i : { ...i, validTo: '2020-01-31' }));
    body.nameEn = 'Test scheme, pass/fail from February';
    const edited = await manager.put('/api/evaluation-schemes/T-GRADES', putBody(body, 1));
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, nameEn: 'Test scheme, pass/fail from February' });
    const logged = await t.deps.database.db.selectFrom('audit_log').select(['changes', 'details']).where('action', '=', 'evaluation.scheme.update').executeTakeFirstOrThrow();
    expect(Object.keys(logged.changes as object).sort()).toEqual(['items', 'nameEn']);
    expect(logged.details).toMatchObject({ version: 2 });

    // The publication is untouched, and the results still show it, with the difference.
    expect(await publications('T-GRADES')).toEqual(stored);
    const after = await results('T-GRADES', '2020-02');
    expect(after).toMatchObject({ status: 'published', version: 1, draftDiffers: true });
    expect(after.rows).toEqual(before.rows);
    expect(after.changes!.length).toBeGreaterThan(0);
    for (const c of after.changes!) {
      expect(c.published).toBe(before.rows.find((r) => r.unit === c.unit)!.score);
      expect(c.fields).toContain('score');
    }
    // January is before the edit's dates: its draft keeps every item.
    expect((await results('T-GRADES', '2020-01')).rows[0]!.items).toHaveLength(5);

    // Publishing again makes version 2 with the same changes; then nothing differs.
    const second = await manager.post('/api/evaluations/publish', { scheme: 'T-GRADES', period: '2020-02' });
    expect(second.json()).toMatchObject({ version: 2, previousVersion: 1 });
    const changed = (second.json() as { changes: { unit: string; old: number; new: number }[] }).changes;
    expect(changed.map((c) => [c.unit, c.old, c.new])).toEqual(after.changes!.filter((c) => c.fields.includes('score')).map((c) => [c.unit, c.published, c.now]));
    expect(await results('T-GRADES', '2020-02')).toMatchObject({ version: 2, draftDiffers: false, changes: [] });
    expect((await publications('T-GRADES')).map((p) => p.version)).toEqual([1, 2]);
  });

  it("a unit's history: the latest published version of each period and live drafts of the others; scoped", async () => {
    const res = await manager.get('/api/evaluations/history?scheme=T-GRADES&unit=YH1&from=2020-01&to=2020-03');
    expect(res.statusCode, res.body).toBe(200);
    const h = res.json() as History;
    expect(h).toMatchObject({ scheme: 'T-GRADES', unit: 'YH1' });
    expect(h.rows.map((r) => [r.period, r.status, r.version])).toEqual([
      ['2020-01', 'draft', null],
      ['2020-02', 'published', 2],
      ['2020-03', 'draft', null],
    ]);
    const feb = (await results('T-GRADES', '2020-02')).rows.find((r) => r.unit === 'YH1')!;
    expect(h.rows[1]).toMatchObject({ score: feb.score, rank: feb.rank, grade: feb.grade, payCoefficient: feb.payCoefficient, vetoed: false, problem: null });
    expect(h.rows[1]!.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const jan = (await results('T-GRADES', '2020-01')).rows.find((r) => r.unit === 'YH1')!;
    expect(h.rows[0]).toMatchObject({ score: jan.score, grade: jan.grade, publishedAt: null });

    // Without a window: the 12 months up to the latest approved month.
    const recent = (await manager.get('/api/evaluations/history?scheme=T-GRADES&unit=YH1')).json() as History;
    expect(recent.rows.filter((r) => r.status === 'draft').length).toBeLessThanOrEqual(12);
    expect(recent.rows.some((r) => r.period === '2020-02' && r.status === 'published')).toBe(true);

    const leader = await t.login('leader');
    const hidden = await leader.get('/api/evaluations/history?scheme=T-GRADES&unit=YH1');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ error: { code: 'UNIT_NOT_FOUND' } });
    expect((await manager.get('/api/evaluations/history?scheme=T-GRADES&unit=DJ1')).statusCode).toBe(404);
  });
});
