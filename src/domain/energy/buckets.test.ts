import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketConsumption, bucketStart, nextBucketStart, shanghaiDate, shanghaiDayStart, type Grain } from './buckets';

/** A Shanghai wall-clock time as an instant. */
const sh = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);
const H = 3_600_000;

describe('Shanghai calendar arithmetic', () => {
  it('days start at 00:00 Shanghai, which is 16:00 UTC the day before', () => {
    expect(bucketStart(sh(2026, 11, 2, 7, 59), 'day')).toBe(sh(2026, 11, 2));
    expect(bucketStart(sh(2026, 11, 2), 'day')).toBe(Date.UTC(2026, 10, 1, 16));
    expect(bucketStart(sh(2026, 11, 1, 23, 59), 'day')).toBe(sh(2026, 11, 1));
    expect(shanghaiDate(Date.UTC(2026, 10, 1, 16))).toBe('2026-11-02');
    expect(shanghaiDayStart('2026-11-02')).toBe(sh(2026, 11, 2));
    expect(() => shanghaiDayStart('2026-02-30')).toThrow(RangeError);
  });
  it('months start on the 1st at 00:00 Shanghai and have their own lengths', () => {
    expect(bucketStart(sh(2026, 12, 1, 0, 30), 'month')).toBe(sh(2026, 12, 1));
    expect(bucketStart(sh(2026, 11, 30, 23, 59), 'month')).toBe(sh(2026, 11, 1));
    expect(nextBucketStart(sh(2026, 12, 1), 'month')).toBe(sh(2027, 1, 1));
    expect(nextBucketStart(sh(2028, 2, 1), 'month') - sh(2028, 2, 1)).toBe(29 * 24 * H);
    expect(bucketStart(sh(2026, 11, 2, 7, 59), 'hour')).toBe(sh(2026, 11, 2, 7));
  });
});

describe('bucketConsumption (hand-checked)', () => {
  it('splits an interval across midnight in proportion to time', () => {
    const out = bucketConsumption([{ start: sh(2026, 11, 1, 23, 30), end: sh(2026, 11, 2, 0, 30), consumption: 10 }], 'day');
    expect(out).toEqual([
      { start: sh(2026, 11, 1), consumption: 5, coverage: 1 / 48 },
      { start: sh(2026, 11, 2), consumption: 5, coverage: 1 / 48 },
    ]);
  });
  it('splits across a month boundary, and a 2-hour gap interval spreads over each hour it spans', () => {
    expect(bucketConsumption([{ start: sh(2026, 11, 30, 22), end: sh(2026, 12, 1, 2), consumption: 8 }], 'month').map((b) => b.consumption)).toEqual([4, 4]);
    expect(bucketConsumption([{ start: sh(2026, 11, 2, 0, 45), end: sh(2026, 11, 2, 2, 45), consumption: 120 }], 'hour')).toEqual([
      { start: sh(2026, 11, 2, 0), consumption: 15, coverage: 0.25 },
      { start: sh(2026, 11, 2, 1), consumption: 60, coverage: 1 },
      { start: sh(2026, 11, 2, 2), consumption: 45, coverage: 0.75 },
    ]);
  });
  it('sums 15-minute intervals into the hour, counts overlapping time once, and keeps zero-length intervals', () => {
    const q = 900_000;
    const t = sh(2026, 11, 2, 8);
    const out = bucketConsumption(
      [
        { start: t, end: t + q, consumption: 1 },
        { start: t + q, end: t + 2 * q, consumption: 2 },
        { start: t + q, end: t + 2 * q, consumption: 3 }, // overlaps the one before
        { start: t + 3 * q, end: t + 3 * q, consumption: 4 },
      ],
      'hour',
    );
    expect(out).toEqual([{ start: t, consumption: 10, coverage: 0.5 }]);
  });
  it('refuses an interval that ends before it starts', () => {
    expect(() => bucketConsumption([{ start: 2, end: 1, consumption: 1 }], 'day')).toThrow(RangeError);
    expect(bucketConsumption([], 'month')).toEqual([]);
  });
});

describe('properties', () => {
  const spanArb = fc
    .record({ start: fc.integer({ min: sh(2026, 1, 1), max: sh(2026, 12, 31) }), length: fc.oneof(fc.integer({ min: 0, max: 3 * H }), fc.integer({ min: 0, max: 80 * 24 * H })), consumption: fc.double({ min: -1e6, max: 1e6, noNaN: true }) })
    .map((x) => ({ start: x.start, end: x.start + x.length, consumption: x.consumption }));
  const grainArb = fc.constantFrom<Grain>('hour', 'day', 'month');

  it('bucket totals sum to the interval total (within 1e-9 relative), with coverage in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 8 }), grainArb, (spans, grain) => {
        const out = bucketConsumption(spans, grain);
        const total = spans.reduce((a, s) => a + s.consumption, 0);
        const scale = Math.max(1, spans.reduce((a, s) => a + Math.abs(s.consumption), 0));
        expect(Math.abs(out.reduce((a, b) => a + b.consumption, 0) - total)).toBeLessThanOrEqual(1e-9 * scale);
        const bad = out.filter((b, i) => !(b.coverage >= 0 && b.coverage <= 1 && bucketStart(b.start, grain) === b.start && (i === 0 || b.start > out[i - 1]!.start)));
        expect(bad).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
  it('hours sum to days and days sum to months', () => {
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 5 }), (spans) => {
        const byDay = bucketConsumption(spans, 'day');
        const fromHours = bucketConsumption(bucketConsumption(spans, 'hour').map((b) => ({ start: b.start, end: b.start, consumption: b.consumption })), 'day');
        expect(fromHours.map((b) => b.start)).toEqual(byDay.map((b) => b.start));
        const scale = Math.max(1, spans.reduce((a, s) => a + Math.abs(s.consumption), 0));
        fromHours.forEach((b, i) => expect(Math.abs(b.consumption - byDay[i]!.consumption)).toBeLessThanOrEqual(1e-9 * scale));
      }),
      { numRuns: 50 },
    );
  });
});
