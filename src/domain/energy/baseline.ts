/**
 * ISO 50006 energy baseline: consumption = a × production + b by ordinary least squares, and a
 * tabular CUSUM of actual − predicted consumption to catch a drift such as a compressed-air leak.
 *
 * Units: production in tonnes (or whatever the relevant variable is), consumption in the meter's
 * unit of measure, so `a` is consumption per tonne and `b` the fixed consumption per period (e.g.
 * per day). The CUSUM's k and h, and its sums, are in residual standard deviations (σ̂ of the
 * baseline fit). Nothing is rounded.
 */

export interface BaselinePoint {
  production: number;
  consumption: number;
}

export type BaselineReason = 'TOO_FEW_POINTS' | 'NO_PRODUCTION_VARIANCE' | 'NO_CONSUMPTION_VARIANCE' | 'LOW_R2';

export interface Baseline {
  /** Slope: consumption per unit of production; null when production does not vary. */
  a: number | null;
  /** Intercept: consumption at zero production; null when production does not vary. */
  b: number | null;
  /** Coefficient of determination 1 − SSE/SST; null when undefined (no variance in either). */
  r2: number | null;
  n: number;
  /** r2 ≥ minR2 (default 0.75) and n ≥ 10. */
  accepted: boolean;
  /** √(SSE / (n − 2)), the residual standard deviation; null when n < 3 or no fit. */
  residualSd: number | null;
  /** Why the baseline is not accepted; empty when it is. */
  reasons: BaselineReason[];
}

export const MIN_R2 = 0.75;
export const MIN_POINTS = 10;

/** Fits consumption = a × production + b by least squares and judges it by ISO 50006 (R² ≥ 0.75 or `minR2`, n ≥ 10). */
export function fitBaseline(points: readonly BaselinePoint[], options: { minR2?: number } = {}): Baseline {
  const minR2 = options.minR2 ?? MIN_R2;
  if (!(minR2 >= 0 && minR2 <= 1)) throw new RangeError(`minR2 must be within 0…1, got ${minR2}`);
  for (const p of points) if (!Number.isFinite(p.production) || !Number.isFinite(p.consumption)) throw new RangeError('baseline points need finite production and consumption');
  const n = points.length;
  const reasons: BaselineReason[] = [];
  if (n < MIN_POINTS) reasons.push('TOO_FEW_POINTS');
  if (n === 0) return { a: null, b: null, r2: null, n, accepted: false, residualSd: null, reasons: [...reasons, 'NO_PRODUCTION_VARIANCE'] };
  // Centred sums: far steadier than Σx² − n·x̄² for large, close values such as tonnes per day.
  const mx = points.reduce((s, p) => s + p.production, 0) / n;
  const my = points.reduce((s, p) => s + p.consumption, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    const dx = p.production - mx;
    const dy = p.consumption - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { a: null, b: null, r2: null, n, accepted: false, residualSd: null, reasons: [...reasons, 'NO_PRODUCTION_VARIANCE'] };
  const a = sxy / sxx;
  const b = my - a * mx;
  let sse = 0;
  for (const p of points) sse += (p.consumption - (a * p.production + b)) ** 2;
  const residualSd = n >= 3 ? Math.sqrt(sse / (n - 2)) : null;
  let r2: number | null = null;
  if (syy === 0) reasons.push('NO_CONSUMPTION_VARIANCE');
  else {
    r2 = 1 - sse / syy;
    if (r2 < minR2) reasons.push('LOW_R2');
  }
  return { a, b, r2, n, accepted: reasons.length === 0, residualSd, reasons };
}

/** The baseline's prediction for a production volume. */
export function predict(baseline: Pick<Baseline, 'a' | 'b'>, production: number): number {
  if (baseline.a === null || baseline.b === null) throw new RangeError('the baseline has no fit');
  return baseline.a * production + baseline.b;
}

export interface CusumOptions {
  /** Allowance (slack) in residual standard deviations. Default 0.5. */
  k?: number;
  /** Decision interval in residual standard deviations. Default 5. */
  h?: number;
}

export interface Cusum {
  /** actual − predicted, in consumption units. */
  residuals: number[];
  /** Upper tabular CUSUM S⁺ᵢ = max(0, S⁺ᵢ₋₁ + zᵢ − k), in σ̂; grows with more consumption than predicted. */
  upper: number[];
  /** Lower tabular CUSUM S⁻ᵢ = max(0, S⁻ᵢ₋₁ − zᵢ − k), in σ̂; grows with less consumption than predicted. */
  lower: number[];
  /** The first index where a sum exceeds h, and which way: 'increase' is more consumption. */
  signal: { index: number; direction: 'increase' | 'decrease' } | null;
}

/** Tabular CUSUM of actual − predicted consumption against a baseline, standardised by its residual σ̂. */
export function cusum(points: readonly BaselinePoint[], baseline: Pick<Baseline, 'a' | 'b' | 'residualSd'>, options: CusumOptions = {}): Cusum {
  const k = options.k ?? 0.5;
  const h = options.h ?? 5;
  if (!(k >= 0) || !(h > 0)) throw new RangeError(`CUSUM needs k ≥ 0 and h > 0, got k=${k} h=${h}`);
  const sd = baseline.residualSd;
  if (sd === null || !(sd > 0)) throw new RangeError(`CUSUM needs a residual standard deviation > 0, got ${sd}`);
  const residuals: number[] = [];
  const upper: number[] = [];
  const lower: number[] = [];
  let signal: Cusum['signal'] = null;
  let sHi = 0;
  let sLo = 0;
  points.forEach((p, i) => {
    const e = p.consumption - predict(baseline, p.production);
    const z = e / sd;
    sHi = Math.max(0, sHi + z - k);
    sLo = Math.max(0, sLo - z - k);
    residuals.push(e);
    upper.push(sHi);
    lower.push(sLo);
    if (signal === null && (sHi > h || sLo > h)) signal = { index: i, direction: sHi > h ? 'increase' : 'decrease' };
  });
  return { residuals, upper, lower, signal };
}
