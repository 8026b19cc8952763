import type { Aggregation, Direction } from './indicator-math';
import { daysInMonth, monthKey, type MonthKey } from './period';

export interface TargetLevels {
  floor: number | null;
  target: number;
  stretch: number | null;
}

const scale = (t: TargetLevels, f: number): TargetLevels => ({ floor: t.floor === null ? null : t.floor * f, target: t.target * f, stretch: t.stretch === null ? null : t.stretch * f });

function combine(levels: TargetLevels[], how: 'sum' | 'mean'): TargetLevels {
  const pick = (get: (t: TargetLevels) => number | null): number | null => {
    const values = levels.map(get);
    if (values.some((v) => v === null)) return null;
    const total = (values as number[]).reduce((a, b) => a + b, 0);
    return how === 'sum' ? total : total / values.length;
  };
  return { floor: pick((t) => t.floor), target: pick((t) => t.target)!, stretch: pick((t) => t.stretch) };
}

/**
 * The target for a window of months: quantities (sum) add their monthly targets, or take the
 * annual target's share of months; levels (avg, last, formula) average the monthly targets or
 * take the annual level.
 */
export function targetForWindow(aggregation: Aggregation, months: readonly MonthKey[], monthly: ReadonlyMap<MonthKey, TargetLevels>, annual: TargetLevels | null): TargetLevels | null {
  const present = months.map((m) => monthly.get(m)).filter((t): t is TargetLevels => t !== undefined);
  if (aggregation === 'sum') {
    if (present.length === months.length && present.length > 0) return combine(present, 'sum');
    return annual ? scale(annual, months.length / 12) : null;
  }
  if (present.length === months.length && present.length > 0) return combine(present, 'mean');
  if (annual) return annual;
  return present.length > 0 ? combine(present, 'mean') : null;
}

export type SpreadRule = { kind: 'equal' } | { kind: 'days' } | { kind: 'profile'; weights: readonly number[] };

/**
 * Spreads an annual target over the twelve months: quantities are divided (equally, by days, or
 * by a profile of 12 weights); levels apply unchanged to every month.
 */
export function spreadAnnualTarget(year: number, annual: TargetLevels, aggregation: Aggregation, rule: SpreadRule): Map<MonthKey, TargetLevels> {
  const months = Array.from({ length: 12 }, (_, i) => monthKey(year, i + 1));
  if (aggregation !== 'sum') return new Map(months.map((m) => [m, annual]));
  let weights: number[];
  if (rule.kind === 'equal') weights = months.map(() => 1);
  else if (rule.kind === 'days') weights = months.map(daysInMonth);
  else {
    if (rule.weights.length !== 12 || rule.weights.some((w) => !(w >= 0)) || rule.weights.every((w) => w === 0)) throw new Error('A profile needs 12 non-negative weights, not all zero');
    weights = [...rule.weights];
  }
  const total = weights.reduce((a, b) => a + b, 0);
  return new Map(months.map((m, i) => [m, scale(annual, weights[i]! / total)]));
}

/**
 * Why the levels are out of order, or null: floor, target and stretch must step towards better
 * (up for `higher`, down for `lower`); a band's levels are not ordered.
 */
export function levelOrderProblem(direction: Direction, levels: TargetLevels): string | null {
  if (direction === 'band') return null;
  const better = (a: number, b: number) => (direction === 'higher' ? a >= b : a <= b);
  const word = direction === 'higher' ? 'above' : 'below';
  if (levels.floor !== null && !better(levels.target, levels.floor)) return `the target must not be ${direction === 'higher' ? 'below' : 'above'} the floor (higher is ${direction === 'higher' ? 'better' : 'worse'} here)`;
  if (levels.stretch !== null && !better(levels.stretch, levels.target)) return `the stretch must be at or ${word} the target (${direction} is better here)`;
  return null;
}
