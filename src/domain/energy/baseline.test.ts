import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cusum, fitBaseline, predict, type BaselinePoint } from './baseline';
import { mulberry32 } from '../random';

const pts = (...xy: [number, number][]): BaselinePoint[] => xy.map(([production, consumption]) => ({ production, consumption }));

describe('fitBaseline (hand-checked)', () => {
  it('an exact line: a = 2, b = 1, R² = 1, no residual; too few points to accept', () => {
    expect(fitBaseline(pts([1, 3], [2, 5], [3, 7]))).toEqual({ a: 2, b: 1, r2: 1, n: 3, accepted: false, residualSd: 0, reasons: ['TOO_FEW_POINTS'] });
  });
  it('four scattered points: Sxx = 5, Sxy = 5.5, SSE = 2.7, SST = 8.75', () => {
    // x̄ = 1.5, ȳ = 2.75; a = 5.5/5 = 1.1; b = 2.75 − 1.65 = 1.1; residuals −0.1, 0.8, −1.3, 0.6.
    const f = fitBaseline(pts([0, 1], [1, 3], [2, 2], [3, 5]));
    expect(f.a).toBeCloseTo(1.1, 12);
    expect(f.b).toBeCloseTo(1.1, 12);
    expect(f.r2).toBeCloseTo(1 - 2.7 / 8.75, 12); // 0.691 428 6
    expect(f.residualSd).toBeCloseTo(Math.sqrt(1.35), 12); // √(2.7 / 2)
    expect(f.reasons).toEqual(['TOO_FEW_POINTS', 'LOW_R2']);
  });
  it('twelve points on a line with small noise are accepted', () => {
    const f = fitBaseline(Array.from({ length: 12 }, (_, i) => ({ production: 900 + 20 * i, consumption: 50 * (900 + 20 * i) + 4_000 + (i % 2 === 0 ? 300 : -300) })));
    expect(f.accepted).toBe(true);
    expect(f.reasons).toEqual([]);
    // Alternating ±300 on x = 900 + 20i biases the slope by Σdx·e / Sxx = −36 000 / 57 200.
    expect(f.a).toBeCloseTo(50 - 36_000 / 57_200, 10);
  });
  it('production without variance is not accepted, with a reason; so is flat consumption', () => {
    const flatP = fitBaseline(Array.from({ length: 12 }, (_, i) => ({ production: 1_000, consumption: 40_000 + i })));
    expect(flatP).toEqual({ a: null, b: null, r2: null, n: 12, accepted: false, residualSd: null, reasons: ['NO_PRODUCTION_VARIANCE'] });
    const flatC = fitBaseline(Array.from({ length: 12 }, (_, i) => ({ production: 1_000 + i, consumption: 40_000 })));
    expect(flatC).toMatchObject({ a: 0, b: 40_000, r2: null, accepted: false, reasons: ['NO_CONSUMPTION_VARIANCE'] });
    expect(fitBaseline([]).reasons).toEqual(['TOO_FEW_POINTS', 'NO_PRODUCTION_VARIANCE']);
    expect(() => predict(flatP, 1)).toThrow(RangeError);
  });
});

describe('cusum (hand-checked)', () => {
  it('S⁺ accumulates z − k and signals at the first sum above h', () => {
    // a = 2, b = 1, σ̂ = 1: residuals 1, 1, 3, 4 → S⁺ 0.5, 1, 3.5, 7 > 5 at index 3.
    const c = cusum(pts([1, 4], [2, 6], [3, 10], [4, 13]), { a: 2, b: 1, residualSd: 1 });
    expect(c).toEqual({ residuals: [1, 1, 3, 4], upper: [0.5, 1, 3.5, 7], lower: [0, 0, 0, 0], signal: { index: 3, direction: 'increase' } });
  });
  it('S⁻ catches less consumption than predicted; a sum equal to h is no signal', () => {
    const c = cusum(pts([0, -2], [0, -2], [0, -2.5]), { a: 1, b: 0, residualSd: 0.5 }, { k: 1, h: 6 });
    // z = −4, −4, −5: S⁻ = 3, 6 (= h, not above), 10 → signal at 2.
    expect(c.lower).toEqual([3, 6, 10]);
    expect(c.signal).toEqual({ index: 2, direction: 'decrease' });
  });
  it('needs a positive residual σ̂', () => {
    expect(() => cusum([], { a: 1, b: 0, residualSd: 0 })).toThrow(RangeError);
    expect(() => cusum([], { a: 1, b: 0, residualSd: null })).toThrow(RangeError);
  });
});

/** 90 days of compressed air: 1 000 ± 100 t/day, 50 m³/t + 5 000 m³/day fixed, noise σ = 1 000 m³; optional +15 % per tonne from day 60. */
function airSeries(withLeak: boolean, seed = 1): BaselinePoint[] {
  const u = mulberry32(seed);
  return Array.from({ length: 90 }, (_, day) => {
    const production = 900 + 200 * u();
    const noise = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()) * 1_000;
    const perTonne = withLeak && day >= 60 ? 50 * 1.15 : 50;
    return { production, consumption: perTonne * production + 5_000 + noise };
  });
}

describe('a compressed-air leak on a canned series', () => {
  it('the baseline of days 0–59 is accepted and near the true line', () => {
    const f = fitBaseline(airSeries(true).slice(0, 60));
    expect(f.accepted).toBe(true);
    expect(f.r2!).toBeGreaterThan(0.75);
    expect(f.a!).toBeGreaterThan(45);
    expect(f.a!).toBeLessThan(55);
  });
  it('a 15 % step in consumption per tonne from day 60 is signalled as an increase within 3 days', () => {
    const series = airSeries(true);
    const c = cusum(series, fitBaseline(series.slice(0, 60)));
    expect(c.signal).not.toBeNull();
    expect(c.signal!.direction).toBe('increase');
    expect(c.signal!.index).toBeGreaterThanOrEqual(60);
    expect(c.signal!.index).toBeLessThanOrEqual(62);
  });
  it('the same series without the step is not signalled', () => {
    const series = airSeries(false);
    const c = cusum(series, fitBaseline(series.slice(0, 60)));
    expect(c.signal).toBeNull();
    expect(Math.max(...c.upper, ...c.lower)).toBeLessThanOrEqual(5);
  });
  it('over 40 seeded series: the leak is caught within 3 days in at least 39; false alarms stay near the theoretical rate', () => {
    let caught = 0;
    let falseAlarms = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const leak = airSeries(true, seed);
      const s = cusum(leak, fitBaseline(leak.slice(0, 60))).signal;
      if (s && s.direction === 'increase' && s.index >= 60 && s.index <= 62) caught++;
      const clean = airSeries(false, seed);
      if (cusum(clean, fitBaseline(clean.slice(0, 60))).signal) falseAlarms++;
    }
    expect(caught).toBeGreaterThanOrEqual(39);
    // Two-sided k = 0.5, h = 5 has an in-control ARL of about 465 periods: P(alarm in 90) ≈ 18 %.
    expect(falseAlarms).toBeLessThanOrEqual(10);
  });
});

describe('properties', () => {
  const pointsArb = fc.array(fc.record({ production: fc.integer({ min: 0, max: 2_000 }), consumption: fc.integer({ min: 0, max: 100_000 }) }), { minLength: 3, maxLength: 30 });
  it('least-squares residuals sum to 0 and are uncorrelated with production', () => {
    fc.assert(
      fc.property(pointsArb, (points) => {
        const f = fitBaseline(points);
        fc.pre(f.a !== null);
        const res = points.map((p) => p.consumption - predict(f, p.production));
        const scale = points.reduce((s, p) => s + Math.abs(p.consumption) + 1, 0);
        expect(Math.abs(res.reduce((a, b) => a + b, 0))).toBeLessThan(1e-6 * scale);
        const mx = points.reduce((s, p) => s + p.production, 0) / points.length;
        expect(Math.abs(res.reduce((s, r, i) => s + r * (points[i]!.production - mx), 0))).toBeLessThan(1e-6 * scale * 2_000);
        if (f.r2 !== null) expect(f.r2).toBeLessThanOrEqual(1 + 1e-12);
      }),
    );
  });
  it('a line is recovered exactly enough, whatever its slope and intercept', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -10_000, max: 10_000 }), fc.uniqueArray(fc.integer({ min: 0, max: 2_000 }), { minLength: 10, maxLength: 20 }), (a, b, xs) => {
        const f = fitBaseline(xs.map((x) => ({ production: x, consumption: a * x + b })));
        expect(f.a!).toBeCloseTo(a, 6);
        expect(f.b!).toBeCloseTo(b, 4);
        if (a !== 0) expect(f.accepted).toBe(true);
      }),
    );
  });
  it('CUSUM sums are never negative, and a signal is the first index above h', () => {
    fc.assert(
      fc.property(pointsArb, fc.double({ min: 0.1, max: 1_000, noNaN: true }), (points, sd) => {
        const c = cusum(points, { a: 40, b: 1_000, residualSd: sd });
        expect(c.upper.every((s) => s >= 0) && c.lower.every((s) => s >= 0)).toBe(true);
        const first = c.upper.findIndex((s, i) => s > 5 || c.lower[i]! > 5);
        expect(c.signal?.index ?? -1).toBe(first);
      }),
    );
  });
});
