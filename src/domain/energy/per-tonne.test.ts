import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchDays, perTonne, poolPerTonne, type DayVolume } from './per-tonne';

const meanOfDailyRatios = (days: readonly DayVolume[]) => days.reduce((s, d) => s + d.consumption / d.production, 0) / days.length;

describe('perTonne (hand-checked)', () => {
  it('is Σ consumption ÷ Σ production, not the mean of daily ratios', () => {
    // Compressed air: a full day 1 000 t with 50 000 m³, a short day 100 t with 10 000 m³.
    const days = [{ consumption: 50_000, production: 1_000 }, { consumption: 10_000, production: 100 }];
    expect(perTonne(days)).toEqual({ value: 60_000 / 1_100, consumption: 60_000, production: 1_100, days: 2 }); // 54.545 m³/t
    expect(meanOfDailyRatios(days)).toBe(75); // (50 + 100) / 2: the short day weighs as much as the full one
    expect(perTonne(days).value).not.toBeCloseTo(75, 0);
  });
  it('is null when nothing was produced; refuses negative or non-finite production', () => {
    expect(perTonne([{ consumption: 800, production: 0 }])).toEqual({ value: null, consumption: 800, production: 0, days: 1 });
    expect(perTonne([]).value).toBeNull();
    expect(() => perTonne([{ consumption: 1, production: -1 }])).toThrow(RangeError);
    expect(() => perTonne([{ consumption: Number.NaN, production: 1 }])).toThrow(RangeError);
  });
  it('pools units into a plant from their sums', () => {
    const u1 = perTonne([{ consumption: 13_000, production: 1 }]);
    const u2 = perTonne([{ consumption: 39_300, production: 3 }]);
    expect(poolPerTonne([u1, u2])).toEqual({ value: 13_075, consumption: 52_300, production: 4, days: 2 });
  });
  it('matchDays keeps only the days with both consumption and production', () => {
    const m = matchDays(new Map([['2026-11-02', 5], ['2026-11-01', 4], ['2026-11-03', 6]]), new Map([['2026-11-01', 2], ['2026-11-02', 1], ['2026-11-04', 9]]));
    expect(m).toEqual({
      days: [{ day: '2026-11-01', consumption: 4, production: 2 }, { day: '2026-11-02', consumption: 5, production: 1 }],
      withoutProduction: ['2026-11-03'],
      withoutConsumption: ['2026-11-04'],
    });
    expect(perTonne(m.days).value).toBe(3);
  });
});

describe('properties', () => {
  const dayArb = fc.record({ consumption: fc.integer({ min: 0, max: 1_000_000 }), production: fc.integer({ min: 0, max: 5_000 }) });
  it('pooling any partition of the days gives the ratio over all days', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(dayArb, fc.integer({ min: 0, max: 4 })), { maxLength: 40 }), (tagged) => {
        const all = perTonne(tagged.map(([d]) => d));
        const parts = [0, 1, 2, 3, 4].map((g) => perTonne(tagged.filter(([, t]) => t === g).map(([d]) => d)));
        const pooled = poolPerTonne(parts);
        expect(pooled.consumption).toBe(all.consumption);
        expect(pooled.production).toBe(all.production);
        expect(pooled.days).toBe(all.days);
        if (all.value === null) expect(pooled.value).toBeNull();
        else expect(pooled.value!).toBeCloseTo(all.value, 9);
      }),
    );
  });
  it('lies between the smallest and largest daily ratio (a weighted mean of them)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ consumption: fc.integer({ min: 0, max: 1_000_000 }), production: fc.integer({ min: 1, max: 5_000 }) }), { minLength: 1, maxLength: 30 }), (days) => {
        const v = perTonne(days).value!;
        const ratios = days.map((d) => d.consumption / d.production);
        expect(v).toBeGreaterThanOrEqual(Math.min(...ratios) - 1e-9);
        expect(v).toBeLessThanOrEqual(Math.max(...ratios) + 1e-9);
      }),
    );
  });
});
