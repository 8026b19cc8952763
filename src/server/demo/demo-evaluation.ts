import type { Deps, RequestContext, Tx } from '../context';
import { audit } from '../modules/audit/audit.service';

/**
 * The demo evaluation scheme (结果导向): the three alumina plants scored on power, output against
 * plan, fresh water and two pass/fail conditions, graded by quintile and paid 0.8 at 60 points to
 * 1.2 at 100; each plant head (a cadre) gets the plant's coefficient × 1.1 within 0.8…1.3.
 * Scores come from the demo measurements; nothing here changes a measured value.
 */
export const demoScheme = {
  code: '2020-ALUMINA',
  nameZh: '氧化铝厂全要素对标考核',
  nameEn: 'All-factor benchmarking evaluation of the alumina plants',
  aggregation: 'arithmetic',
  grading: { method: 'percentile', cuts: [0.2, 0.4, 0.6, 0.8] },
  // A plant head's coefficient is the plant's × 1.1, kept within 0.8…1.3.
  pay: { points: [[60, 0.8], [100, 1.2]], cadre: { multiplier: 1.1, min: 0.8, max: 1.3 } },
  units: ['YH1', 'YH2', 'YH3'],
  items: [
    // 满意值 = the best of the three plants, 不允许值 = the worst.
    { indicator: 'YH_POWER_KWH_T', method: 'efficacy', measure: 'value', weight: 30, params: { satisfactory: { kind: 'peer-best' }, impermissible: { kind: 'peer-worst' } } },
    // 10 points at 100 % of plan, ±1 per percentage point, at most 15, at least 0 (out of 100: × 10).
    { indicator: 'YH_AO_OUT', method: 'add-deduct', measure: 'completionRate', weight: 30, params: { base: 100, basePoints: 10, perUnit: 1, cap: 15, floor: 0 } },
    // Fresh water per tonne, m³/t: excellent 2.3, good 2.4, average 2.5, low 2.6, poor 2.8.
    { indicator: 'YH_WATER_T', method: 'five-tier', measure: 'value', weight: 20, params: { tiers: [2.3, 2.4, 2.5, 2.6, 2.8] } },
    { indicator: 'YH_DIGEST_YIELD', method: 'pass-fail', measure: 'value', weight: 10, params: { threshold: 86 } },
    { indicator: 'YH_STEAM_T_T', method: 'pass-fail', measure: 'value', weight: 10, params: { threshold: 2.1 } },
  ],
} as const;

/** Creates the demo scheme once; running it again (or without the alumina plants) changes nothing. */
export async function seedDemoEvaluation(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext): Promise<boolean> {
  if (await trx.selectFrom('evaluation_schemes').select('id').where('code', '=', demoScheme.code).executeTakeFirst()) return false;
  const units = await trx.selectFrom('units').select(['id', 'code']).where('code', 'in', [...demoScheme.units]).execute();
  const indicators = await trx.selectFrom('indicators').select(['id', 'code']).where('code', 'in', demoScheme.items.map((i) => i.indicator)).execute();
  if (units.length !== demoScheme.units.length || indicators.length !== demoScheme.items.length) return false;
  const now = deps.clock.now();
  const scheme = await trx
    .insertInto('evaluation_schemes')
    .values({ code: demoScheme.code, name_zh: demoScheme.nameZh, name_en: demoScheme.nameEn, aggregation: demoScheme.aggregation, grading: JSON.stringify(demoScheme.grading), pay: JSON.stringify(demoScheme.pay), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('evaluation_scheme_units').values(units.map((u) => ({ scheme_id: scheme.id, unit_id: u.id }))).execute();
  const ids = new Map(indicators.map((i) => [i.code, i.id]));
  await trx
    .insertInto('evaluation_items')
    .values(demoScheme.items.map((i, n) => ({ scheme_id: scheme.id, indicator_id: ids.get(i.indicator)!, method: i.method, measure: i.measure, params: JSON.stringify(i.params), weight: i.weight, valid_from: '2020-01-01', sort_order: n * 10, created_at: now, updated_at: now })))
    .execute();
  await audit(trx, deps, ctx, { action: 'system.seed_demo_evaluation', objectType: 'evaluation_scheme', objectId: demoScheme.code, details: { units: demoScheme.units, items: demoScheme.items.length } });
  return true;
}
