/**
 * Data-quality rules: is the number itself believable? They are kept apart from the control-chart
 * rules (performance signals) so that suspect data can be held back from scores, ranks and pay.
 *
 * As in `control-chart.ts`, a missing period (null or non-finite) breaks runs and pairs, and a
 * signal is reported at every point that completes a finding.
 */
import { valueAt, type Series, type Signal, type XmrLimits } from './control-chart';

export type DqCode = 'DQ_RANGE' | 'DQ_STUCK' | 'DQ_JUMP' | 'DQ_MISSING';

/** Milliseconds since the Unix epoch (`Date.getTime()`): plain, comparable, serialisable. */
export type Instant = number;

/** DQ_RANGE: values outside [min, max] (either bound may be absent; the bounds themselves are inside). */
export function findOutOfRange(series: Series, bounds: { min?: number | null; max?: number | null }): Signal<'DQ_RANGE'>[] {
  const min = bounds.min ?? null;
  const max = bounds.max ?? null;
  if (min !== null && max !== null && min > max) throw new RangeError(`DQ_RANGE needs min ≤ max, got [${min}, ${max}]`);
  const out: Signal<'DQ_RANGE'>[] = [];
  for (let i = 0; i < series.length; i++) {
    const v = valueAt(series, i);
    if (v === null) continue;
    const side = max !== null && v > max ? 'above' : min !== null && v < min ? 'below' : null;
    if (side) out.push({ rule: 'DQ_RANGE', index: i, points: [i], side, facts: { value: v, min, max, bound: side === 'above' ? max : min } });
  }
  return out;
}

/** DQ_STUCK: the same value in `periods` (≥ 2) consecutive periods, e.g. a meter that stopped. */
export function findStuck(series: Series, options: { periods: number }): Signal<'DQ_STUCK'>[] {
  const n = options.periods;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`DQ_STUCK needs a whole number of periods ≥ 2, got ${n}`);
  const out: Signal<'DQ_STUCK'>[] = [];
  let run = 0;
  for (let i = 0; i < series.length; i++) {
    const v = valueAt(series, i);
    // Exact equality: a stuck source repeats the very same reading, so no tolerance is needed.
    run = v === null ? 0 : run > 0 && valueAt(series, i - 1) === v ? run + 1 : 1;
    if (run >= n) out.push({ rule: 'DQ_STUCK', index: i, points: Array.from({ length: n }, (_, j) => i - n + 1 + j), side: null, facts: { value: v, periods: n, runLength: run } });
  }
  return out;
}

/**
 * DQ_JUMP: a change from the period before larger than k·σ, with σ the moving-range sigma of a
 * baseline (`xmrLimits(baseline).sigma`); side is 'above' for a jump up, 'below' for a jump down.
 */
export function findJumps(limits: Pick<XmrLimits, 'sigma'>, series: Series, options: { k: number }): Signal<'DQ_JUMP'>[] {
  const { k } = options;
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`DQ_JUMP needs a finite k ≥ 0, got ${k}`);
  const threshold = k * limits.sigma;
  const out: Signal<'DQ_JUMP'>[] = [];
  for (let i = 1; i < series.length; i++) {
    const v = valueAt(series, i);
    const previous = valueAt(series, i - 1);
    if (v === null || previous === null) continue;
    const change = v - previous;
    if (Math.abs(change) > threshold) out.push({ rule: 'DQ_JUMP', index: i, points: [i - 1, i], side: change > 0 ? 'above' : 'below', facts: { value: v, previous, change, threshold, k, sigma: limits.sigma } });
  }
  return out;
}

/** A period that should have a value, and the instant by which it should have been reported. */
export interface ExpectedPeriod {
  period: string;
  deadline: Instant;
}

/**
 * DQ_MISSING: expected periods without a reported value once their deadline has passed (strictly
 * after it: a value may still arrive at the deadline itself). `index` is the position in `expected`.
 */
export function findMissing(expected: readonly ExpectedPeriod[], reported: readonly string[], now: Instant): Signal<'DQ_MISSING'>[] {
  const have = new Set(reported);
  const out: Signal<'DQ_MISSING'>[] = [];
  expected.forEach((e, i) => {
    if (!have.has(e.period) && now > e.deadline) out.push({ rule: 'DQ_MISSING', index: i, points: [i], side: null, facts: { period: e.period, deadline: e.deadline, now, overdueMs: now - e.deadline } });
  });
  return out;
}
