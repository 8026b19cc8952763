import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intervalsFromReadings, normaliseReadings, registerAdvance, type MeterSpec, type Reading } from './counters';

const Q = 900_000; // 15 minutes
const T0 = Date.UTC(2026, 10, 1, 16); // 2026-11-02 00:00 Asia/Shanghai
const counter = (over: Partial<MeterSpec> = {}): MeterSpec => ({ kind: 'counter', rollover: null, multiplier: 1, replacements: [], intervalMs: Q, ...over });
const series = (...values: number[]): Reading[] => values.map((value, i) => ({ at: T0 + i * Q, value }));
const consumptions = (rs: readonly Reading[], m: MeterSpec) => intervalsFromReadings(rs, m).intervals.map((x) => x.consumption);

describe('counter: plain advance × multiplier', () => {
  it('gives (v₂ − v₁) × multiplier for each pair, starting and ending at the readings', () => {
    const r = intervalsFromReadings(series(100, 112.5, 130), counter({ multiplier: 40 }));
    expect(r).toEqual({
      intervals: [
        { start: T0, end: T0 + Q, consumption: 500, flags: [] },
        { start: T0 + Q, end: T0 + 2 * Q, consumption: 700, flags: [] },
      ],
      conflicts: [],
    });
  });
  it('has no interval for fewer than two readings', () => {
    expect(intervalsFromReadings([], counter()).intervals).toEqual([]);
    expect(intervalsFromReadings(series(5), counter()).intervals).toEqual([]);
  });
  it('a multiplier of 0 gives zero consumption; a negative or non-finite one is refused', () => {
    expect(consumptions(series(1, 9), counter({ multiplier: 0 }))).toEqual([0]);
    expect(() => intervalsFromReadings([], counter({ multiplier: -1 }))).toThrow(RangeError);
    expect(() => intervalsFromReadings([], counter({ rollover: 0 }))).toThrow(RangeError);
    expect(() => intervalsFromReadings([{ at: Number.NaN, value: 1 }], counter())).toThrow(RangeError);
  });
});

describe('counter: rollover and reset', () => {
  it('wraps at the modulus when the wrapped advance is under half the range', () => {
    // 99 990 → 15 on a 100 000 register: 100 000 − 99 990 + 15 = 25.
    const r = intervalsFromReadings(series(99_980, 99_990, 15), counter({ rollover: 100_000, multiplier: 2 }));
    expect(r.intervals[1]).toEqual({ start: T0 + Q, end: T0 + 2 * Q, consumption: 50, flags: ['rollover'] });
  });
  it('is a reset when the wrap would mean advancing half the range or more', () => {
    // 60 000 → 10 000: wrapped 50 000 = M/2 exactly, not under it → reset, advance = 10 000.
    expect(intervalsFromReadings(series(60_000, 10_000), counter({ rollover: 100_000 })).intervals[0]).toMatchObject({ consumption: 10_000, flags: ['reset'] });
    expect(intervalsFromReadings(series(60_001, 10_000), counter({ rollover: 100_000 })).intervals[0]).toMatchObject({ consumption: 49_999, flags: ['rollover'] });
  });
  it('is a reset when the meter has no rollover: the register restarted at 0', () => {
    expect(intervalsFromReadings(series(5_000, 3), counter({ multiplier: 10 })).intervals[0]).toMatchObject({ consumption: 30, flags: ['reset'] });
  });
  it('registerAdvance judges values beyond the modulus as a reset, not a negative wrap', () => {
    expect(registerAdvance(1_200, 100, 1_000)).toEqual({ advance: 100, flag: 'reset' });
    expect(registerAdvance(5, 5, 1_000)).toEqual({ advance: 0, flag: null });
  });
});

describe('counter: replacement', () => {
  it('counts (oldFinal − v₁) + (v₂ − newInitial) for the interval holding the exchange', () => {
    const m = counter({ replacements: [{ at: T0 + Q + 60_000, oldFinal: 1_010, newInitial: 2 }] });
    // 1 000 → [old meter ends at 1 010] [new starts at 2] → 7: 10 + 5 = 15.
    const r = intervalsFromReadings(series(990, 1_000, 7, 9), m);
    expect(r.intervals.map((x) => [x.consumption, x.flags])).toEqual([[10, []], [15, ['replacement']], [2, []]]);
  });
  it('a reading at the exchange instant comes from the new meter', () => {
    const m = counter({ replacements: [{ at: T0 + Q, oldFinal: 1_010, newInitial: 0 }] });
    expect(intervalsFromReadings(series(1_000, 0, 4), m).intervals.map((x) => [x.consumption, x.flags])).toEqual([[10, ['replacement']], [4, []]]);
  });
  it('chains two exchanges inside one interval, and judges each leg by the rollover rule', () => {
    const m = counter({
      rollover: 10_000,
      replacements: [
        { at: T0 + 3 * Q, oldFinal: 9_990, newInitial: 0 }, // listed out of order on purpose
        { at: T0 + 2 * Q, oldFinal: 20, newInitial: 9_980 },
      ],
    });
    // 9 995 → wraps to 20 (25) | 9 980 → 9 990 (10) | 0 → 3 (3): 38, one gap of 4 intervals.
    const r = intervalsFromReadings([{ at: T0, value: 9_995 }, { at: T0 + 4 * Q, value: 3 }], m);
    expect(r.intervals).toEqual([{ start: T0, end: T0 + 4 * Q, consumption: 38, flags: ['replacement', 'rollover', 'gap'] }]);
  });
  it('an exchange before the first or after the last reading changes nothing', () => {
    const m = counter({ replacements: [{ at: T0 - Q, oldFinal: 1, newInitial: 0 }, { at: T0 + 9 * Q, oldFinal: 1, newInitial: 0 }] });
    expect(consumptions(series(1, 2, 4), m)).toEqual([1, 2]);
  });
});

describe('gaps and negatives', () => {
  it('flags an interval longer than 1.5 × intervalMs as a gap but still counts it', () => {
    const rs = [{ at: T0, value: 0 }, { at: T0 + 1.5 * Q, value: 3 }, { at: T0 + 1.5 * Q + 1.5 * Q + 1, value: 10 }];
    expect(intervalsFromReadings(rs, counter()).intervals.map((x) => [x.consumption, x.flags])).toEqual([[3, []], [7, ['gap']]]);
    expect(intervalsFromReadings(rs, counter({ intervalMs: null })).intervals.every((x) => x.flags.length === 0)).toBe(true);
  });
  it('flags a negative interval value of an interval meter', () => {
    const m: MeterSpec = { kind: 'interval', rollover: null, multiplier: 3, replacements: [], intervalMs: Q };
    const r = intervalsFromReadings(series(4, -1, 2), m);
    expect(r.intervals).toEqual([
      { start: T0 - Q, end: T0, consumption: 12, flags: [] },
      { start: T0, end: T0 + Q, consumption: -3, flags: ['negative'] },
      { start: T0 + Q, end: T0 + 2 * Q, consumption: 6, flags: [] },
    ]);
  });
  it('a counter reading a negative register after a reset is flagged negative', () => {
    expect(intervalsFromReadings(series(10, -2), counter()).intervals[0]).toMatchObject({ consumption: -2, flags: ['reset', 'negative'] });
  });
});

describe('interval meters', () => {
  it('without intervalMs, each interval starts at the previous reading and the first only opens the series', () => {
    const m: MeterSpec = { kind: 'interval', rollover: 100, multiplier: 1, replacements: [{ at: T0 + Q, oldFinal: 0, newInitial: 0 }] };
    expect(intervalsFromReadings(series(4, 5, 6), m).intervals).toEqual([
      { start: T0, end: T0 + Q, consumption: 5, flags: [] },
      { start: T0 + Q, end: T0 + 2 * Q, consumption: 6, flags: [] },
    ]);
  });
});

describe('duplicates and conflicts', () => {
  it('merges exact duplicates and reports different values for one instant, leaving that instant out', () => {
    const rs = [{ at: T0 + 2 * Q, value: 30 }, { at: T0, value: 10 }, { at: T0 + Q, value: 21 }, { at: T0, value: 10 }, { at: T0 + Q, value: 20 }, { at: T0 + Q, value: 21 }];
    const r = intervalsFromReadings(rs, counter());
    expect(r.conflicts).toEqual([{ at: T0 + Q, values: [20, 21] }]);
    expect(r.intervals).toEqual([{ start: T0, end: T0 + 2 * Q, consumption: 20, flags: ['gap'] }]);
  });
  it('normaliseReadings keeps one of each exact duplicate, sorted', () => {
    expect(normaliseReadings([{ at: 2, value: 1 }, { at: 1, value: 5 }, { at: 2, value: 1 }])).toEqual({ readings: [{ at: 1, value: 5 }, { at: 2, value: 1 }], conflicts: [] });
  });
});

describe('properties', () => {
  const meterArb = fc.record({
    kind: fc.constantFrom<'counter' | 'interval'>('counter', 'interval'),
    rollover: fc.option(fc.constantFrom(1_000, 100_000), { nil: null }),
    multiplier: fc.constantFrom(0, 1, 2.5, 40),
    replacements: fc.array(fc.record({ at: fc.integer({ min: 0, max: 40 }).map((i) => T0 + i * Q), oldFinal: fc.integer({ min: 0, max: 999 }), newInitial: fc.integer({ min: 0, max: 999 }) }), { maxLength: 2 }),
    intervalMs: fc.option(fc.constant(Q), { nil: null }),
  });
  const readingsArb = fc.array(fc.record({ at: fc.integer({ min: 0, max: 40 }).map((i) => T0 + i * Q), value: fc.integer({ min: 0, max: 999 }) }), { maxLength: 30 });

  it('out-of-order arrival gives exactly the same result as in-order arrival', () => {
    fc.assert(
      fc.property(readingsArb, meterArb, fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (rs, m, randoms) => {
        const shuffled = rs.map((r) => ({ r, key: randoms.next().value })).sort((a, b) => a.key - b.key).map((x) => x.r);
        const inOrder = [...rs].sort((a, b) => a.at - b.at || a.value - b.value);
        expect(intervalsFromReadings(shuffled, m)).toEqual(intervalsFromReadings(inOrder, m));
      }),
    );
  });
  it('a resend of the same readings changes nothing', () => {
    fc.assert(
      fc.property(readingsArb, meterArb, fc.array(fc.nat(), { maxLength: 30 }), (rs, m, picks) => {
        const resent = rs.length === 0 ? [] : picks.map((p) => rs[p % rs.length]!);
        expect(intervalsFromReadings([...rs, ...resent], m)).toEqual(intervalsFromReadings(rs, m));
      }),
    );
  });
  it('a steadily rising counter without exchanges sums to (last − first) × multiplier, whatever the wraps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 499 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 999 }), (steps, first) => {
        const M = 1_000;
        let total = first;
        const rs = [{ at: T0, value: first }, ...steps.map((s, i) => ({ at: T0 + (i + 1) * Q, value: (total += s) % M }))];
        const sum = consumptions(rs, counter({ rollover: M, multiplier: 3 })).reduce((a, b) => a + b, 0);
        expect(sum).toBe((total - first) * 3);
      }),
    );
  });
  it('intervals are ordered, non-overlapping for counters, and every conflict instant is left out', () => {
    fc.assert(
      fc.property(readingsArb, meterArb, (rs, m) => {
        const r = intervalsFromReadings(rs, { ...m, kind: 'counter' });
        const ends = new Set(r.intervals.flatMap((x) => [x.start, x.end]));
        for (const c of r.conflicts) expect(ends.has(c.at)).toBe(false);
        r.intervals.forEach((x, i) => {
          expect(x.end).toBeGreaterThan(x.start);
          if (i > 0) expect(x.start).toBe(r.intervals[i - 1]!.end);
        });
      }),
    );
  });
});
