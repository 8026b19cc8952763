import type { Deps, RequestContext, Tx } from '../context';
import { audit } from '../modules/audit/audit.service';
import { DEFAULT_LIGHTS } from '../../domain/warnings/rules';

/** Energy ratios watched on control charts (individuals charts, WE1 + WE2 + N2). */
const chartedIndicators = ['DJ_DC_KWH_T', 'DJ_AC_KWH_T', 'YH_POWER_KWH_T', 'YH_STEAM_T_T'];
const chartRules = ['WE1', 'WE2', 'N2'] as const;

/**
 * The demo's default warning rules (预警), added when missing so the first scan has something to
 * say: status lights for every indicator with targets, data quality for typed indicators, control
 * charts on the energy ratios and gap widening where a benchmark is selected. Values are never
 * touched: the newspaper's figures stay as they are. Running it again adds nothing.
 */
const steadyByNature = new Set(['AQ_LOST_TIME']);

export async function seedDemoWarnings(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext): Promise<number> {
  const now = deps.clock.now();
  const indicators = await trx.selectFrom('indicators').select(['id', 'code', 'formula', 'range_min', 'range_max']).orderBy('code').execute();
  if (indicators.length === 0) return 0;
  const withTargets = new Set((await trx.selectFrom('targets').select('indicator_id').distinct().execute()).map((t) => t.indicator_id));
  const selected = new Set((await trx.selectFrom('benchmark_selections').select('indicator_id').distinct().execute()).map((s) => s.indicator_id));
  const existing = new Set((await trx.selectFrom('warning_rules').select(['indicator_id', 'code']).where('unit_id', 'is', null).execute()).map((r) => `${r.indicator_id}/${r.code}`));

  const wanted: { indicator_id: string; code: string; params: Record<string, unknown>; hold_periods: number; sort_order: number }[] = [];
  for (const ind of indicators) {
    const add = (code: string, params: Record<string, unknown>, holdPeriods = 1) => wanted.push({ indicator_id: ind.id, code, params, hold_periods: holdPeriods, sort_order: wanted.length * 10 });
    if (withTargets.has(ind.id)) add('TARGET', { lights: DEFAULT_LIGHTS });
    if (selected.has(ind.id)) add('GAP_WIDENING', { periods: 3 });
    if (chartedIndicators.includes(ind.code)) for (const code of chartRules) add(code, { baselineMonths: 24, baselineFrom: null, screenRanges: false });
    if (ind.range_min !== null || ind.range_max !== null) add('DQ_RANGE', {});
    if (!ind.formula) {
      // Counts that are rightly the same month after month (no lost-time injuries) are not stuck data.
      if (!steadyByNature.has(ind.code)) add('DQ_STUCK', { periods: 3 });
      add('DQ_MISSING', { deadlineDay: 10, lookbackMonths: 3 });
    }
  }
  const rows = wanted.filter((w) => !existing.has(`${w.indicator_id}/${w.code}`)).map((w) => ({ ...w, unit_id: null, params: JSON.stringify(w.params), created_at: now, updated_at: now }));
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('warning_rules').values(rows.slice(i, i + 500)).execute();
  if (rows.length) await audit(trx, deps, ctx, { action: 'system.seed_demo_warnings', details: { rules: rows.length } });
  return rows.length;
}
