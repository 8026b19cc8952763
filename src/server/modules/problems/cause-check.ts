/**
 * Checks the cause of a problem raised from a warning month by month after its gap period: the
 * rule that raised it is applied again to the unit's approved values (suspect values left out), so
 * "the data show the gap closed" means approved data. TARGET is checked for a red light whatever the
 * measures: a measure stops the alert, not the gap.
 */
import { aggregateValue, isBetter, type IndicatorDef } from '../../../domain/benchmarking/indicator-math';
import { monthsBetween, type MonthKey } from '../../../domain/benchmarking/period';
import type { PeriodResult } from '../../../domain/problems/verification';
import { valueAt } from '../../../domain/warnings/control-chart';
import { checkControlChart, checkGapWidening, checkTarget, isControlChart, type MonthlySeries, type PeriodCheck, type RuleSpec } from '../../../domain/warnings/rules';
import type { Db, Tx } from '../../context';
import { listIndicators } from '../indicators/indicators.repository';
import type { Indicator } from '../indicators/indicators.schemas';
import { loadTargetsOf } from '../measurements/measurements.repository';
import { monthlyValues, targetIndex, toDef } from '../measurements/measurements.service';

/** The typed indicators a value is made of (itself when typed), through nested formulas. */
export function typedInputs(code: string, library: ReadonlyMap<string, Indicator>, seen = new Set<string>()): string[] {
  const ind = library.get(code);
  if (!ind || seen.has(code)) return [];
  seen.add(code);
  if (!ind.formula) return [code];
  return [...new Set([...ind.formula.matchAll(/[A-Za-z_][A-Za-z0-9_.]*/g)].flatMap((m) => typedInputs(m[0].replace(/\.+$/, ''), library, seen)))];
}

/** The month after a month. */
export function nextMonth(m: MonthKey): MonthKey {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

export interface CauseCheck {
  rule: string;
  indicator: string;
  /** Months after the gap period up to the horizon, oldest first. */
  results: PeriodResult[];
}

type Library = { indicators: Indicator[] };

/** The approved, not suspect values of a unit up to a month. */
async function approvedValues(db: Db | Tx, unitId: string, upTo: MonthKey) {
  const rows = await db
    .selectFrom('measurements as m')
    .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
    .select(['m.indicator_id', 'i.code', 'm.period', 'm.value'])
    .where('m.unit_id', '=', unitId)
    .where('m.status', '=', 'approved')
    .where('m.suspect', '=', false)
    .where('m.period', '<=', upTo)
    .execute();
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

function seriesFrom(rows: { code: string; period: string; value: number }[], ind: Indicator, byCode: Map<string, Indicator>, defs: Map<string, IndicatorDef>): MonthlySeries {
  const data = monthlyValues(rows);
  const inputs = new Set(typedInputs(ind.code, byCode));
  const periods = rows.filter((r) => inputs.has(r.code)).map((r) => r.period);
  if (!periods.length) return { months: [], values: [] };
  const months = monthsBetween(periods.reduce((a, b) => (a < b ? a : b)), periods.reduce((a, b) => (a > b ? a : b)));
  return { months, values: months.map((m) => aggregateValue(ind.code, [m], defs, data)) };
}

/**
 * The monthly results of a problem's cause after its gap period, or null when the problem has no
 * data cause (no warning or no gap period) or its rule is not a performance rule.
 */
export async function checkCause(db: Db | Tx, problem: { unit_id: string; warning_id: string | null; gap_period: string | null }, horizon: MonthKey, cache: Partial<Library> = {}): Promise<CauseCheck | null> {
  if (!problem.warning_id || !problem.gap_period) return null;
  const w = await db
    .selectFrom('warnings as w')
    .innerJoin('warning_rules as r', 'r.id', 'w.rule_id')
    .select(['w.indicator_id', 'r.code', 'r.params'])
    .where('w.id', '=', problem.warning_id)
    .executeTakeFirst();
  if (!w) return null;
  const spec = { code: w.code, ...(w.params as Record<string, unknown>) } as RuleSpec;
  if (spec.code !== 'TARGET' && spec.code !== 'GAP_WIDENING' && !isControlChart(spec.code)) return null;
  const indicators = cache.indicators ?? (cache.indicators = await listIndicators(db));
  const ind = indicators.find((i) => i.id === w.indicator_id);
  if (!ind) return null;
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  const defs = new Map<string, IndicatorDef>(indicators.map((i) => [i.code, toDef(i)]));
  const def = defs.get(ind.code)!;
  const rows = await approvedValues(db, problem.unit_id, horizon);
  const series = seriesFrom(rows, ind, byCode, defs);

  let checks: PeriodCheck[] = [];
  let known: (c: PeriodCheck, i: number) => boolean = () => true;
  if (spec.code === 'TARGET') {
    const years = [...new Set(series.months.map((m) => Number(m.slice(0, 4))))];
    const targets = targetIndex(await loadTargetsOf(db, [problem.unit_id], years));
    checks = checkTarget(spec, def, series, (m) => targets.forWindow(ind, [m]), () => false);
    known = (c) => c.facts.light !== null;
  } else if (spec.code === 'GAP_WIDENING') {
    const bench = await benchmarkValues(db, problem.unit_id, ind, series, def, byCode, defs);
    if (bench) {
      checks = checkGapWidening(spec, def, series, bench, 'benchmark');
      known = (_c, i) => valueAt(series.values, i) !== null && (bench[i] ?? null) !== null;
    }
  } else {
    checks = checkControlChart(spec as Extract<RuleSpec, { baselineMonths: number; screenRanges: boolean }>, series);
    known = (c) => c.facts.value !== null && c.facts.value !== undefined && (c.facts as { limits?: unknown }).limits !== null;
  }
  const byMonth = new Map(checks.map((c) => [c.period, known(c, series.months.indexOf(c.period)) ? c.holds : null]));
  const start = nextMonth(problem.gap_period);
  const months = start <= horizon ? monthsBetween(start, horizon) : [];
  return { rule: spec.code, indicator: ind.code, results: months.map((period) => ({ period, holds: byMonth.get(period) ?? null })) };
}

/** The selected benchmark's values for each month of the series (as the warnings scan reads them). */
async function benchmarkValues(db: Db | Tx, unitId: string, ind: Indicator, s: MonthlySeries, def: IndicatorDef, byCode: Map<string, Indicator>, defs: Map<string, IndicatorDef>): Promise<(number | null)[] | null> {
  const sel = await db
    .selectFrom('benchmark_selections as s')
    .leftJoin('benchmarks as b', 'b.id', 's.benchmark_id')
    .select(['s.use_history_best', 'b.id as benchmark_id', 'b.kind', 'b.sibling_unit_id'])
    .where('s.unit_id', '=', unitId)
    .where('s.indicator_id', '=', ind.id)
    .executeTakeFirst();
  if (!sel) return null;
  if (sel.use_history_best) {
    let best: number | null = null;
    return s.values.map((v) => {
      if (v !== null && (best === null || isBetter(def, v, best))) best = v;
      return best;
    });
  }
  if (sel.kind === 'sibling' && sel.sibling_unit_id) {
    const sib = seriesFrom(await approvedValues(db, sel.sibling_unit_id, s.months[s.months.length - 1] ?? '0000-00'), ind, byCode, defs);
    return s.months.map((m) => valueAt(sib.values, sib.months.indexOf(m)));
  }
  if (!sel.benchmark_id) return null;
  const own = await db.selectFrom('benchmark_values').select(['period', 'value', 'scope_tag']).where('benchmark_id', '=', sel.benchmark_id).where('indicator_id', '=', ind.id).execute();
  const comparable = await db.selectFrom('comparable_scopes').selectAll().execute();
  const isComparable = (a: string, b: string) => !a || !b || a === b || comparable.some((c) => (c.scope_a === a && c.scope_b === b) || (c.scope_a === b && c.scope_b === a));
  return s.months.map((m) => {
    const v = own.find((x) => x.period === m) ?? own.find((x) => x.period === m.slice(0, 4));
    return v && isComparable(ind.scopeTag, v.scope_tag || ind.scopeTag) ? Number(v.value) : null;
  });
}
