import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateValue, attainedStreak, completionRate, historicalBest, isAttained, isBetter, isRecord, percentChange, rankUnits, roundTo, signedGap, type IndicatorDef } from './indicator-math';

const ind = (over: Partial<IndicatorDef> = {}): IndicatorDef => ({ code: 'X', direction: 'higher', aggregation: 'sum', precision: 1, ...over });
const higher = ind();
const lower = ind({ direction: 'lower', aggregation: 'avg' });
const band = ind({ direction: 'band', aggregation: 'avg', bandCentre: 960, bandTolerance: 5 });

describe('gaps and attainment by direction (hand-checked)', () => {
  it('higher is better: output 552.3 kt against a plan of 470 kt', () => {
    expect(signedGap(higher, 552.3, 470)).toBeCloseTo(82.3, 10);
    expect(isAttained(higher, 552.3, 470)).toBe(true);
    expect(roundTo(completionRate(higher, 552_300, 470_000), 1)).toBe(117.5);
    expect(isAttained(higher, 469.9, 470)).toBe(false);
  });
  it('lower is better: DC power 12 950 kWh/t against a target of 13 000 is 50 better', () => {
    expect(signedGap(lower, 12_950, 13_000)).toBe(50);
    expect(isAttained(lower, 12_950, 13_000)).toBe(true);
    expect(signedGap(lower, 13_050, 13_000)).toBe(-50);
    expect(isAttained(lower, 13_000, 13_000)).toBe(true);
    expect(completionRate(lower, 12_950, 13_000)).toBeNull();
    // A lower-is-better quantity has no completion rate: 110 % would read as good.
    expect(completionRate(ind({ direction: 'lower', aggregation: 'sum' }), 110, 100)).toBeNull();
  });
  it('band: bath temperature 962 °C with centre 960 ± 5', () => {
    expect(isAttained(band, 962, null)).toBe(true);
    expect(isAttained(band, 966, null)).toBe(false);
    // 962 is 2 from the centre, a benchmark of 957 is 3 from it: 1 better.
    expect(signedGap(band, 962, 957)).toBe(1);
  });
  it('year on year and period on period in percent of the earlier value', () => {
    expect(roundTo(percentChange(552.3, 500), 1)).toBe(10.5);
    expect(percentChange(1, 0)).toBeNull();
    expect(roundTo(percentChange(-90, -100), 1)).toBe(10);
  });
  it('rounds half away from zero', () => {
    expect(roundTo(2.25, 1)).toBe(2.3);
    expect(roundTo(-2.25, 1)).toBe(-2.3);
    expect(roundTo(117.54999, 1)).toBe(117.5);
    expect(roundTo(1.005, 2)).toBe(1.01);
  });
});

describe('records and historical best', () => {
  const obs = [
    { period: '2019-01', value: 13_100 },
    { period: '2019-02', value: 12_980 },
    { period: '2019-03', value: 12_980 },
    { period: '2019-04', value: 13_050 },
  ];
  it('lower is better: the minimum, first reached', () => {
    expect(historicalBest(lower, obs)).toEqual({ period: '2019-02', value: 12_980 });
    expect(historicalBest(higher, obs)).toEqual({ period: '2019-01', value: 13_100 });
  });
  it('a record must beat every earlier value strictly; equalling is not a record; the first value is none', () => {
    expect(isRecord(lower, 12_970, obs.map((o) => o.value))).toBe(true);
    expect(isRecord(lower, 12_980, obs.map((o) => o.value))).toBe(false);
    expect(isRecord(higher, 13_101, obs.map((o) => o.value))).toBe(true);
    expect(isRecord(higher, 5, [])).toBe(false);
  });
});

describe('ranking', () => {
  it('ties share a rank and the next rank skips (1, 2, 2, 4); missing values are not ranked', () => {
    const r = rankUnits(lower, new Map<string, number | null>([['A', 12_900], ['B', 13_000], ['C', 13_000.04], ['D', 13_100], ['E', null]]));
    expect(Object.fromEntries(r.rank)).toEqual({ A: 1, B: 2, C: 2, D: 4 });
    expect(r.rankOf).toBe(4);
  });
  it('property: a rank is 1 + the number of units strictly better, in every direction', () => {
    const directions = [lower, higher, ind({ code: 'B', direction: 'band', bandCentre: 25, bandTolerance: 5 })];
    fc.assert(
      fc.property(fc.constantFrom(...directions), fc.array(fc.option(fc.integer({ min: 0, max: 100 }).map((v) => v / 2)), { maxLength: 40 }), (def, list) => {
        const values = new Map(list.map((v, i) => [`U${i}`, v] as const));
        const r = rankUnits(def, values);
        const present = list.filter((v): v is number => v !== null);
        list.forEach((v, i) => expect(r.rank.get(`U${i}`)).toBe(v === null ? undefined : 1 + present.filter((w) => isBetter(def, w, v)).length));
        expect(r.rankOf).toBe(present.length);
      }),
    );
  });
});

describe('aggregation over time', () => {
  const defs = new Map<string, IndicatorDef>([
    ['KWH', ind({ code: 'KWH', aggregation: 'sum', precision: 0 })],
    ['T', ind({ code: 'T', aggregation: 'sum', precision: 1 })],
    ['KWH_T', ind({ code: 'KWH_T', direction: 'lower', aggregation: 'formula', formula: 'KWH / T', precision: 0 })],
    ['RATE', ind({ code: 'RATE', aggregation: 'avg' })],
    ['STOCK', ind({ code: 'STOCK', aggregation: 'last' })],
  ]);
  const data = new Map([
    ['KWH', new Map([['2020-01', 1_300_000_000], ['2020-02', 390_000_000]])],
    ['T', new Map([['2020-01', 100_000], ['2020-02', 30_000]])],
    ['RATE', new Map([['2020-01', 90], ['2020-02', 96]])],
    ['STOCK', new Map([['2020-01', 5], ['2020-03', 7]])],
  ]);
  it('a year-to-date ratio over months of different volume is the ratio of the sums, not the mean of ratios', () => {
    // January 13 000 kWh/t on 100 000 t, February 13 000 kWh/t on 30 000 t → still 13 000.
    expect(aggregateValue('KWH_T', ['2020-01', '2020-02'], defs, data)).toBe(13_000);
    const skewed = new Map(data);
    skewed.set('KWH', new Map([['2020-01', 1_300_000_000], ['2020-02', 420_000_000]]));
    // Months: 13 000 and 14 000 kWh/t; mean of ratios would be 13 500; ratio of sums is 1.72e9 / 130 000.
    expect(aggregateValue('KWH_T', ['2020-01', '2020-02'], defs, skewed)).toBeCloseTo(13_230.769, 3);
  });
  it('sum, avg and last over a complete window; a window with a month missing has no value', () => {
    expect(aggregateValue('T', ['2020-01', '2020-02'], defs, data)).toBe(130_000);
    expect(aggregateValue('RATE', ['2020-01', '2020-02'], defs, data)).toBe(93);
    expect(aggregateValue('STOCK', ['2020-03'], defs, data)).toBe(7);
    expect(aggregateValue('T', ['2020-01', '2020-02', '2020-03'], defs, data)).toBeNull();
    expect(aggregateValue('STOCK', ['2020-01', '2020-02', '2020-03'], defs, data)).toBeNull();
    expect(aggregateValue('T', ['2021-01'], defs, data)).toBeNull();
  });

  it('a formula never mixes inputs covering different months', () => {
    const partial = new Map(data);
    partial.set('KWH', new Map([['2020-01', 1_300_000_000]]));
    expect(aggregateValue('KWH_T', ['2020-01', '2020-02'], defs, partial)).toBeNull();
    expect(aggregateValue('KWH_T', ['2020-01'], defs, partial)).toBe(13_000);
  });

  it('property: the year to date of a sum indicator equals the sum of its months', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }), (values) => {
        const months = values.map((_, i) => `2020-${String(i + 1).padStart(2, '0')}`);
        const d = new Map([['T', new Map(months.map((m, i) => [m, values[i]!]))]]);
        expect(aggregateValue('T', months, defs, d)).toBe(values.reduce((a, b) => a + b, 0));
      }),
    );
  });

  it('property: a formula whose inputs keep a constant ratio has that ratio in every scope', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 11_000, max: 15_000 }), fc.nat(), (tonnes, ratio, cut) => {
        const months = tonnes.map((_, i) => `2019-${String(i + 1).padStart(2, '0')}`);
        const d = new Map([
          ['T', new Map(months.map((m, i) => [m, tonnes[i]!]))],
          ['KWH', new Map(months.map((m, i) => [m, tonnes[i]! * ratio]))],
        ]);
        const window = months.slice(0, 1 + (cut % months.length));
        expect(aggregateValue('KWH_T', window, defs, d)).toBeCloseTo(ratio, 6);
        expect(aggregateValue('KWH_T', [window.at(-1)!], defs, d)).toBeCloseTo(ratio, 6);
      }),
    );
  });
});

describe('property: the sign of every gap flips with the direction', () => {
  it('higher and lower give opposite gaps; attainment follows the sign', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (a, r) => {
        const up = signedGap(higher, a, r)!;
        const down = signedGap(lower, a, r)!;
        expect(up + down).toBeCloseTo(0, 6);
        expect(isAttained(higher, a, r)).toBe(up >= -1e-12);
        expect(isAttained(lower, a, r)).toBe(down >= -1e-12);
      }),
    );
  });
  it('band gaps are symmetric around the centre', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (d1, d2) => {
        expect(signedGap(band, 960 + d1, 960 - d2)).toBeCloseTo(signedGap(band, 960 - d1, 960 + d2)!, 9);
      }),
    );
  });
});

describe('attainedStreak', () => {
  it('counts back from the latest period while at or beyond the benchmark', () => {
    expect(attainedStreak(lower, [13_000, 12_800, 12_850, 12_840], [12_900, 12_900, 12_900, 12_850])).toBe(3);
    expect(attainedStreak(lower, [12_800, 12_950], [12_900, 12_900])).toBe(0);
    expect(attainedStreak(higher, [5, null, 7, 8], [4, 4, 4, 4])).toBe(2);
    expect(attainedStreak(higher, [5, 6], [null, 4])).toBe(1);
  });
});
