import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xmrLimits, type Series } from './control-chart';
import { findJumps, findMissing, findOutOfRange, findStuck } from './data-quality';

const at = (signals: readonly { index: number }[]) => signals.map((s) => s.index);

describe('DQ_RANGE: outside [min, max]', () => {
  it('flags values beyond a bound, not on it; either bound may be absent', () => {
    const series: Series = [-1, 0, 100, 100.5, null, 50];
    expect(findOutOfRange(series, { min: 0, max: 100 })).toEqual([
      { rule: 'DQ_RANGE', index: 0, points: [0], side: 'below', facts: { value: -1, min: 0, max: 100, bound: 0 } },
      { rule: 'DQ_RANGE', index: 3, points: [3], side: 'above', facts: { value: 100.5, min: 0, max: 100, bound: 100 } },
    ]);
    expect(at(findOutOfRange(series, { max: 100 }))).toEqual([3]);
    expect(at(findOutOfRange(series, { min: 0, max: null }))).toEqual([0]);
    expect(findOutOfRange(series, {})).toEqual([]);
  });
  it('refuses min > max', () => {
    expect(() => findOutOfRange([1], { min: 2, max: 1 })).toThrow(RangeError);
  });
});

describe('DQ_STUCK: unchanged for N periods in a row', () => {
  it('fires at the Nth equal value and at every further one', () => {
    expect(findStuck([5, 5, 5], { periods: 3 })).toEqual([{ rule: 'DQ_STUCK', index: 2, points: [0, 1, 2], side: null, facts: { value: 5, periods: 3, runLength: 3 } }]);
    expect(findStuck([1, 5, 5, 5, 5], { periods: 3 }).map((s) => [s.index, s.points, s.facts.runLength])).toEqual([[3, [1, 2, 3], 3], [4, [2, 3, 4], 4]]);
    expect(at(findStuck([7, 7], { periods: 2 }))).toEqual([1]);
  });
  it('does not fire one period short, across a gap, or for a change however small', () => {
    expect(findStuck([5, 5], { periods: 3 })).toEqual([]);
    expect(findStuck([5, 5, null, 5], { periods: 3 })).toEqual([]);
    expect(findStuck([5, 5, 5.000001], { periods: 3 })).toEqual([]);
  });
  it('needs a whole number of periods ≥ 2', () => {
    expect(() => findStuck([1], { periods: 1 })).toThrow(RangeError);
    expect(() => findStuck([1], { periods: 2.5 })).toThrow(RangeError);
  });
  it('matches a brute-force count of windows of N equal present values', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 6 }), { maxLength: 40 }), fc.integer({ min: 2, max: 5 }), (series, n) => {
        const expected: number[] = [];
        for (let i = n - 1; i < series.length; i++) {
          const w = series.slice(i - n + 1, i + 1);
          if (w.every((x) => x !== null && x === w[0])) expected.push(i);
        }
        expect(at(findStuck(series, { periods: n }))).toEqual(expected);
      }),
    );
  });
});

describe('DQ_JUMP: a change larger than k·σ', () => {
  // Baseline as in control-chart.test.ts: MR̄ = 28, σ = 28 / 1.128 = 24.8227; k = 3 → 74.468.
  const limits = xmrLimits([13_000, 13_020, 12_990, 13_010, 13_030, 12_980])!;
  it('fires for a change just over k·σ and not just under it', () => {
    const s = findJumps(limits, [13_000, 13_074, 13_150], { k: 3 });
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ rule: 'DQ_JUMP', index: 2, points: [1, 2], side: 'above', facts: { value: 13_150, previous: 13_074, change: 76, k: 3 } });
    expect(s[0]!.facts.threshold).toBeCloseTo(74.468_085, 5);
    expect(findJumps(limits, [13_150, 13_070], { k: 3 })).toMatchObject([{ index: 1, side: 'below', facts: { change: -80 } }]);
  });
  it('needs both periods present, and k finite and ≥ 0', () => {
    expect(findJumps(limits, [13_000, null, 13_500], { k: 3 })).toEqual([]);
    expect(at(findJumps(limits, [1, 1, 1.001], { k: 0 }))).toEqual([2]);
    expect(() => findJumps(limits, [], { k: -1 })).toThrow(RangeError);
    expect(() => findJumps(limits, [], { k: Number.NaN })).toThrow(RangeError);
  });
  it('does not depend on the level or the units of the data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 10 }),
        fc.array(fc.option(fc.integer({ min: -100, max: 100 }), { nil: null, freq: 6 }), { maxLength: 30 }),
        fc.integer({ min: -10_000, max: 10_000 }),
        fc.constantFrom(0.001, 0.5, 2, 7, 1000),
        (baseline, series, c, a) => {
          const l = xmrLimits(baseline)!;
          const k = 2;
          // Skip changes within 1e-6 of the threshold, where rounding may decide.
          fc.pre(series.every((x, i) => i === 0 || x === null || series[i - 1] === null || Math.abs(Math.abs(x - series[i - 1]!) - k * l.sigma) > 1e-6));
          const moved = (f: (x: number) => number) => findJumps(xmrLimits(baseline.map(f))!, series.map((x) => (x === null ? null : f(x))), { k }).map((s) => [s.index, s.side]);
          const plain = moved((x) => x);
          expect(moved((x) => x + c)).toEqual(plain);
          expect(moved((x) => x * a)).toEqual(plain);
        },
      ),
    );
  });
});

describe('DQ_MISSING: no value after the deadline', () => {
  // Monthly values are due by the 5th of the next month, 00:00 UTC.
  const due = (year: number, month: number) => Date.UTC(year, month, 5);
  const expected = [
    { period: '2026-01', deadline: due(2026, 1) },
    { period: '2026-02', deadline: due(2026, 2) },
    { period: '2026-03', deadline: due(2026, 3) },
  ];
  it('at the deadline a value is not yet missing; a moment after, it is', () => {
    expect(findMissing(expected, ['2026-01'], due(2026, 2))).toEqual([]);
    expect(findMissing(expected, ['2026-01'], due(2026, 2) + 1)).toEqual([
      { rule: 'DQ_MISSING', index: 1, points: [1], side: null, facts: { period: '2026-02', deadline: due(2026, 2), now: due(2026, 2) + 1, overdueMs: 1 } },
    ]);
  });
  it('lists every overdue period, none that were reported or not yet due', () => {
    const now = Date.UTC(2026, 3, 20);
    expect(findMissing(expected, [], now).map((s) => s.facts.period)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(findMissing(expected, ['2026-02'], now).map((s) => s.facts.period)).toEqual(['2026-01', '2026-03']);
    expect(findMissing(expected, [], Date.UTC(2026, 1, 1))).toEqual([]);
    expect(findMissing([], [], now)).toEqual([]);
  });
});
