import { evaluateFormula, parseFormula, type Formula } from './formula';
import type { MonthKey } from './period';

export type Direction = 'higher' | 'lower' | 'band';
export type Aggregation = 'sum' | 'avg' | 'last' | 'formula';

/** What the math needs to know about an indicator. */
export interface IndicatorDef {
  code: string;
  direction: Direction;
  /** For band indicators: the ideal value and the allowed distance from it. */
  bandCentre?: number | null;
  bandTolerance?: number | null;
  aggregation: Aggregation;
  formula?: string | null;
  precision: number;
}

/** Rounds half away from zero to `precision` decimals (what people do on paper). */
export function roundTo(value: number | null, precision: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const f = 10 ** precision;
  const r = Math.sign(value) * Math.round(Math.abs(value) * f + 1e-9) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** How far a value is from a band's centre (0 for non-band indicators). */
function distanceFromCentre(ind: IndicatorDef, v: number): number {
  return Math.abs(v - (ind.bandCentre ?? 0));
}

/**
 * The gap of an actual to a reference, signed so that positive is always better:
 * higher → actual − reference; lower → reference − actual; band → how much closer to the centre.
 */
export function signedGap(ind: IndicatorDef, actual: number | null, reference: number | null): number | null {
  if (actual === null || reference === null) return null;
  if (ind.direction === 'higher') return actual - reference;
  if (ind.direction === 'lower') return reference - actual;
  return distanceFromCentre(ind, reference) - distanceFromCentre(ind, actual);
}

/** Whether the actual meets the target: at or beyond it by direction; inside the band for bands. */
export function isAttained(ind: IndicatorDef, actual: number | null, target: number | null): boolean | null {
  if (actual === null) return null;
  if (ind.direction === 'band') {
    if (ind.bandTolerance === null || ind.bandTolerance === undefined) return target === null ? null : signedGap(ind, actual, target)! >= 0;
    return distanceFromCentre(ind, actual) <= ind.bandTolerance + 1e-12;
  }
  if (target === null) return null;
  return signedGap(ind, actual, target)! >= -1e-12;
}

/**
 * Plan completion rate in percent (actual ÷ target × 100), for quantities where more is better
 * (higher sum indicators) only: for a lower-is-better quantity, above 100 % would read as good.
 */
export function completionRate(ind: IndicatorDef, actual: number | null, target: number | null): number | null {
  if (ind.aggregation !== 'sum' || ind.direction !== 'higher' || actual === null || target === null || target === 0) return null;
  return (actual / target) * 100;
}

/** Change against an earlier value in percent of the earlier value's magnitude. */
export function percentChange(current: number | null, earlier: number | null): number | null {
  if (current === null || earlier === null || earlier === 0) return null;
  return ((current - earlier) / Math.abs(earlier)) * 100;
}

/** True when `a` is strictly better than `b` by the indicator's direction. */
export function isBetter(ind: IndicatorDef, a: number, b: number): boolean {
  const gap = signedGap(ind, a, b);
  return gap !== null && gap > 1e-12;
}

export interface Observation {
  period: MonthKey;
  value: number;
}

/** The best value ever and the first period it was reached (max or min by direction; closest to centre for bands). */
export function historicalBest(ind: IndicatorDef, observations: readonly Observation[]): Observation | null {
  let best: Observation | null = null;
  for (const o of [...observations].sort((a, b) => a.period.localeCompare(b.period))) {
    if (!best || isBetter(ind, o.value, best.value)) best = o;
  }
  return best;
}

/** A record: strictly better than every earlier value, with at least one earlier value to beat. */
export function isRecord(ind: IndicatorDef, value: number | null, earlier: readonly number[]): boolean {
  if (value === null || earlier.length === 0) return false;
  return earlier.every((e) => isBetter(ind, value, e));
}

/** How good a value is as one number, larger is better: signedGap(a, b) = goodness(a) − goodness(b). */
function goodness(ind: IndicatorDef, v: number): number {
  if (ind.direction === 'higher') return v;
  if (ind.direction === 'lower') return -v;
  return -distanceFromCentre(ind, v);
}

/**
 * Competition ranking (1, 2, 2, 4) of units by their values, best first; units without a value
 * get no rank. Values equal after rounding to the precision tie. A unit's rank is 1 + the number
 * of units strictly better (isBetter); sorted best first, those are a prefix that only grows down
 * the list, so one pass finds them all (n log n: the group view ranks thousands of units).
 */
export function rankUnits(ind: IndicatorDef, values: ReadonlyMap<string, number | null>): { rank: Map<string, number>; rankOf: number } {
  const ranked = [...values.entries()]
    .filter((e): e is [string, number] => e[1] !== null)
    .map(([unit, v]) => ({ unit, v: roundTo(v, ind.precision)! }))
    .sort((a, b) => goodness(ind, b.v) - goodness(ind, a.v));
  const rank = new Map<string, number>();
  let better = 0;
  for (const { unit, v } of ranked) {
    while (better < ranked.length && isBetter(ind, ranked[better]!.v, v)) better++;
    rank.set(unit, 1 + better);
  }
  return { rank, rankOf: ranked.length };
}

/** Monthly values of one unit: indicator code → month → value. */
export type MonthlyValues = ReadonlyMap<string, ReadonlyMap<MonthKey, number>>;

/**
 * The value of an indicator over a window of months. Sums add, averages average, last takes the
 * window's last month, and formulas are evaluated on the aggregated inputs (so a year-to-date
 * ratio is the ratio of the sums, never the mean of monthly ratios). A window is complete or it
 * has no value: a quarter with a month missing is null, not two thirds of a quarter, and a
 * formula's inputs always cover the same months.
 */
export function aggregateValue(code: string, months: readonly MonthKey[], defs: ReadonlyMap<string, IndicatorDef>, data: MonthlyValues, parsed = new Map<string, Formula>(), depth = 0): number | null {
  const ind = defs.get(code);
  if (!ind || depth > 20) return null;
  if (ind.aggregation === 'formula' || ind.formula) {
    if (!ind.formula) return null;
    let f = parsed.get(code);
    if (!f) {
      f = parseFormula(ind.formula);
      parsed.set(code, f);
    }
    return evaluateFormula(f, (ref) => aggregateValue(ref, months, defs, data, parsed, depth + 1));
  }
  // One loop without allocations: the group view calls this some hundred times per unit and indicator.
  const series = data.get(code);
  if (!series || months.length === 0) return null;
  let sum = 0;
  let last = 0;
  for (const m of months) {
    const v = series.get(m);
    if (v === undefined) return null;
    sum += v;
    last = v;
  }
  if (ind.aggregation === 'sum') return sum;
  if (ind.aggregation === 'avg') return sum / months.length;
  return last;
}

/**
 * How many periods in a row, counting back from the latest, the actual was at or beyond the
 * benchmark (达标 after N in a row). A missing value or benchmark ends the streak.
 */
export function attainedStreak(ind: IndicatorDef, actuals: readonly (number | null)[], benchmarks: readonly (number | null)[]): number {
  let streak = 0;
  for (let i = actuals.length - 1; i >= 0; i--) {
    const gap = signedGap(ind, actuals[i] ?? null, benchmarks[i] ?? null);
    if (gap === null || gap < -1e-12) break;
    streak++;
  }
  return streak;
}
