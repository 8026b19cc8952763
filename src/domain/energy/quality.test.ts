import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intervalsFromReadings, type Reading } from './counters';
import { assessMeterDay, findDrift, median, reconcileMonth, type MeterDayInput, type QualityCode } from './quality';

const Q = 900_000;
const DAY = Date.UTC(2026, 10, 1, 16); // 2026-11-02 00:00 Asia/Shanghai
const codes = (fs: readonly { code: QualityCode }[]) => fs.map((f) => f.code);

/** 97 counter readings 00:00 … 24:00 advancing by `steps` (default 10 each), as the meter's day. */
function counterDay(steps: (i: number) => number = () => 10, skip: (i: number) => boolean = () => false, shift: (i: number) => number = () => 0): MeterDayInput {
  const readings: Reading[] = [];
  let v = 1_000;
  for (let i = 0; i <= 96; i++) {
    if (i > 0) v += steps(i);
    if (!skip(i)) readings.push({ at: DAY + i * Q + shift(i), value: v });
  }
  const { intervals } = intervalsFromReadings(readings, { kind: 'counter', rollover: null, multiplier: 1, replacements: [], intervalMs: Q });
  return { day: DAY, intervalMs: Q, kind: 'counter', readings, intervals };
}

describe('a clean day', () => {
  it('is complete, has no findings and scores 100', () => {
    expect(assessMeterDay(counterDay())).toEqual({ day: DAY, expected: 96, received: 96, completeness: 1, poor: false, score: 100, findings: [] });
  });
  it('refuses a day that does not start at Shanghai midnight and an interval that does not divide the day', () => {
    expect(() => assessMeterDay({ ...counterDay(), day: DAY + 1 })).toThrow(RangeError);
    expect(() => assessMeterDay({ ...counterDay(), intervalMs: 7 * 60_000 })).toThrow(RangeError);
  });
});

describe('EQ_COMPLETENESS and EQ_GAP', () => {
  it('10 missing readings in a row: 86 of 96 intervals received, one gap of 10 slots, poor', () => {
    // Readings 40…49 missing: the interval 39 → 50 fills slot 49 (ending 12:30); slots 39…48 are a gap.
    const q = assessMeterDay(counterDay(undefined, (i) => i >= 40 && i <= 49));
    expect(q.received).toBe(86);
    expect(q.completeness).toBeCloseTo(86 / 96, 12);
    expect(q.poor).toBe(true);
    expect(q.findings).toEqual([
      { code: 'EQ_COMPLETENESS', facts: { received: 86, expected: 96, completeness: 86 / 96, threshold: 0.9 } },
      { code: 'EQ_GAP', facts: { start: DAY + 39 * Q, end: DAY + 49 * Q, intervals: 10 } },
    ]);
    expect(q.score).toBeCloseTo((100 * 86) / 96, 12);
  });
  it('9 missing of 96 (90.6 %) is a gap but not poor; an empty day scores 0', () => {
    const q = assessMeterDay(counterDay(undefined, (i) => i >= 1 && i <= 9));
    expect(codes(q.findings)).toEqual(['EQ_GAP']);
    expect(q.findings[0]!.facts).toEqual({ start: DAY, end: DAY + 9 * Q, intervals: 9 });
    const empty = assessMeterDay({ day: DAY, intervalMs: Q, kind: 'counter', readings: [], intervals: [] });
    expect(empty).toMatchObject({ received: 0, completeness: 0, score: 0 });
    expect(empty.findings[1]).toEqual({ code: 'EQ_GAP', facts: { start: DAY, end: DAY + 96 * Q, intervals: 96 } });
  });
  it("ignores intervals of other days: the one ending at 00:00 is the day before's", () => {
    const day = counterDay();
    const q = assessMeterDay({ ...day, intervals: [{ start: DAY - Q, end: DAY, consumption: 5 }, ...day.intervals] });
    expect(q.received).toBe(96);
  });
});

describe('EQ_STUCK', () => {
  it('a counter unchanged for 8 quarter-hours (2 hours) is stuck; for 7 it is not', () => {
    const q8 = assessMeterDay(counterDay((i) => (i >= 21 && i <= 28 ? 0 : 10)));
    expect(q8.findings).toEqual([{ code: 'EQ_STUCK', facts: { start: DAY + 20 * Q, end: DAY + 28 * Q, intervals: 8, consumption: 0 } }]);
    expect(q8.score).toBe(75);
    expect(assessMeterDay(counterDay((i) => (i >= 21 && i <= 27 ? 0 : 10))).findings).toEqual([]);
  });
  it('counts a coarse gap interval without movement by its length, and honours N and normallyMoves', () => {
    // Readings 31…37 missing and the register still: one 2-hour interval 30 → 38 with 0.
    const stuck = counterDay((i) => (i >= 31 && i <= 38 ? 0 : 10), (i) => i >= 31 && i <= 37);
    expect(codes(assessMeterDay(stuck).findings)).toEqual(['EQ_GAP', 'EQ_STUCK']);
    expect(assessMeterDay(stuck).findings[1]!.facts).toMatchObject({ start: DAY + 30 * Q, end: DAY + 38 * Q, intervals: 8 });
    expect(codes(assessMeterDay(stuck, { normallyMoves: false }).findings)).toEqual(['EQ_GAP']);
    expect(codes(assessMeterDay(stuck, { stuckIntervals: 9 }).findings)).toEqual(['EQ_GAP']);
  });
  it('an interval meter repeating the same value is stuck; a run broken by a gap is not', () => {
    const intervals = Array.from({ length: 96 }, (_, i) => ({ start: DAY + i * Q, end: DAY + (i + 1) * Q, consumption: i >= 10 && i < 18 ? 7.5 : 6 + (i % 3) }));
    const q = assessMeterDay({ day: DAY, intervalMs: Q, kind: 'interval', readings: [], intervals });
    expect(q.findings).toEqual([{ code: 'EQ_STUCK', facts: { start: DAY + 10 * Q, end: DAY + 18 * Q, intervals: 8, consumption: 7.5 } }]);
    const broken = intervals.filter((_, i) => i !== 14);
    expect(codes(assessMeterDay({ day: DAY, intervalMs: Q, kind: 'interval', readings: [], intervals: broken }).findings)).toEqual(['EQ_GAP']);
  });
});

describe('EQ_NEGATIVE and EQ_SPIKE', () => {
  it('reports each negative interval with its consumption', () => {
    const day = counterDay();
    const intervals = day.intervals.map((x, i) => (i === 5 ? { ...x, consumption: -3 } : x));
    const q = assessMeterDay({ ...day, intervals });
    expect(q.findings).toEqual([{ code: 'EQ_NEGATIVE', facts: { start: DAY + 5 * Q, end: DAY + 6 * Q, consumption: -3 } }]);
    expect(q.score).toBe(75);
  });
  it('an interval over 5 × the median rate is a spike; exactly 5 × is not', () => {
    const q = assessMeterDay(counterDay((i) => (i === 50 ? 51 : i === 60 ? 50 : 10)));
    expect(q.findings).toEqual([{ code: 'EQ_SPIKE', facts: { start: DAY + 49 * Q, end: DAY + 50 * Q, consumption: 51, rate: 51, median: 10, factor: 5, threshold: 50 } }]);
    expect(q.score).toBe(85);
    expect(assessMeterDay(counterDay((i) => (i === 50 ? 31 : 10)), { spikeFactor: 3 }).findings.map((f) => f.facts.consumption)).toEqual([31]);
  });
  it('judges a gap interval by its rate per quarter-hour, not its total', () => {
    // 4 readings missing: one 75-minute interval of 50 is 10 per quarter-hour, no spike.
    expect(codes(assessMeterDay(counterDay(undefined, (i) => i >= 20 && i <= 23)).findings)).toEqual(['EQ_GAP']);
  });
  it('judges no spike with a median of 0 or fewer than 4 intervals', () => {
    const idle = counterDay((i) => (i === 3 ? 100 : 0));
    expect(codes(assessMeterDay(idle, { normallyMoves: false }).findings)).toEqual([]);
    const few = [1, 1, 1].map((c, i) => ({ start: DAY + i * Q, end: DAY + (i + 1) * Q, consumption: c })).concat([{ start: DAY + 3 * Q, end: DAY + 4 * Q, consumption: 99 }]);
    expect(codes(assessMeterDay({ day: DAY, intervalMs: Q, kind: 'counter', readings: [], intervals: few.slice(1) }).findings)).not.toContain('EQ_SPIKE');
    expect(codes(assessMeterDay({ day: DAY, intervalMs: Q, kind: 'counter', readings: [], intervals: few }).findings)).toContain('EQ_SPIKE');
  });
  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('EQ_DRIFT', () => {
  it('flags readings more than a minute off the quarter-hour grid, once per day with the worst', () => {
    const q = assessMeterDay(counterDay(undefined, undefined, (i) => (i === 7 ? 61_000 : i === 30 ? -90_000 : i === 31 ? 60_000 : 0)));
    expect(q.findings).toEqual([{ code: 'EQ_DRIFT', facts: { readings: 2, worstAt: DAY + 30 * Q - 90_000, worstOffsetMs: -90_000, toleranceMs: 60_000 } }]);
    expect(q.received).toBe(96);
    expect(q.score).toBe(90);
  });
  it('monthly readings may be up to a day off the 1st at 00:00 Shanghai', () => {
    const nov1 = Date.UTC(2026, 9, 31, 16);
    const dec1 = Date.UTC(2026, 10, 30, 16);
    expect(findDrift([{ at: nov1 + 86_400_000, value: 1 }, { at: dec1 - 86_400_000 - 1, value: 2 }, { at: dec1 + 3_600_000, value: 3 }], 'month')).toEqual([{ at: dec1 - 86_400_000 - 1, nearest: dec1, offsetMs: -86_400_001 }]);
  });
});

describe('EQ_RECONCILE', () => {
  it('Σ daily within 5 % of the month total is fine; beyond is a finding with the facts', () => {
    expect(reconcileMonth([100, 200, 205], 500)).toMatchObject({ dailySum: 505, difference: 5, relativeDifference: 0.01, ok: true, finding: null });
    expect(reconcileMonth([100, 200, 225], 500).ok).toBe(true); // exactly 5 %
    const r = reconcileMonth([100, 200, 226], 500);
    expect(r.ok).toBe(false);
    expect(r.finding).toEqual({ code: 'EQ_RECONCILE', facts: { dailySum: 526, monthTotal: 500, difference: 26, relativeDifference: 0.052, tolerance: 0.05, days: 3 } });
  });
  it('a month total of 0 reconciles only with daily totals summing to 0', () => {
    expect(reconcileMonth([0, 0], 0)).toMatchObject({ ok: true, relativeDifference: null });
    expect(reconcileMonth([1], 0)).toMatchObject({ ok: false, relativeDifference: null });
  });
});

describe('properties', () => {
  it('completeness counts distinct received slots: score ≤ 100 × completeness, gaps + received = expected', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 97, maxLength: 97 }), fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 97, maxLength: 97 }), (present, steps) => {
        const q = assessMeterDay(counterDay((i) => steps[i]!, (i) => !present[i]));
        const gapSlots = q.findings.filter((f) => f.code === 'EQ_GAP').reduce((a, f) => a + (f.facts.intervals as number), 0);
        expect(gapSlots + q.received).toBe(96);
        expect(q.score).toBeLessThanOrEqual(100 * q.completeness + 1e-9);
        expect(q.score).toBeGreaterThanOrEqual(0);
        expect(q.poor).toBe(q.completeness < 0.9);
      }),
      { numRuns: 100 },
    );
  });
  it('scaling all consumption by a positive factor changes no finding code', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 97, maxLength: 97 }), fc.constantFrom(0.001, 3, 1_000), (steps, f) => {
        const day = counterDay((i) => steps[i]!);
        const scaled = { ...day, intervals: day.intervals.map((x) => ({ ...x, consumption: x.consumption * f })) };
        expect(codes(assessMeterDay(scaled).findings)).toEqual(codes(assessMeterDay(day).findings));
      }),
      { numRuns: 100 },
    );
  });
});
