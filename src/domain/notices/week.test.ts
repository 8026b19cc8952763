import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, inWeek, isoWeekday, isoWeekOf, parseWeekKey, previousWeek, shanghaiDay, startOfShanghaiDay, weekOfInstant, weeksInYear } from './week';

describe('ISO weeks', () => {
  it('names the weeks around New Year by their ISO week-numbering year', () => {
    // 2026 starts on a Thursday: 53 weeks; 28 Dec 2026 (a Monday) opens W53.
    expect(isoWeekOf('2026-12-28')).toMatchObject({ key: '2026-W53', monday: '2026-12-28', sunday: '2027-01-03' });
    expect(isoWeekOf('2027-01-03').key).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04').key).toBe('2027-W01');
    // 2020 is a leap year starting on a Wednesday: 53 weeks, and 3 Jan 2021 (a Sunday) is in it.
    expect(isoWeekOf('2021-01-03')).toMatchObject({ key: '2020-W53', monday: '2020-12-28', sunday: '2021-01-03' });
    expect(isoWeekOf('2021-01-04').key).toBe('2021-W01');
    // 1 Jan 2024 is a Monday: W01 starts on it. 31 Dec 2024 (a Tuesday) is already 2025-W01.
    expect(isoWeekOf('2024-01-01').key).toBe('2024-W01');
    expect(isoWeekOf('2024-12-31').key).toBe('2025-W01');
    expect(isoWeekOf('2026-03-02').key).toBe('2026-W10');
  });

  it('counts 52 or 53 weeks a year', () => {
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2021)).toBe(52);
    expect(weeksInYear(2024)).toBe(52);
    expect(weeksInYear(2015)).toBe(53);
  });

  it('knows the weekday: 1970-01-01 was a Thursday, 2026-03-02 a Monday', () => {
    expect(isoWeekday('1970-01-01')).toBe(4);
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(isoWeekday('2026-03-01')).toBe(7);
  });

  it('parses week keys and refuses weeks a year does not have', () => {
    expect(parseWeekKey('2026-W09')).toMatchObject({ monday: '2026-02-23', sunday: '2026-03-01' });
    expect(parseWeekKey('2020-W53')?.monday).toBe('2020-12-28');
    expect(parseWeekKey('2021-W53')).toBeNull();
    expect(parseWeekKey('2026-W00')).toBeNull();
    expect(parseWeekKey('2026-9')).toBeNull();
    expect(parseWeekKey('2026-W9')).toBeNull();
  });

  it('takes the day in Asia/Shanghai: 16:00 UTC is already the next day', () => {
    expect(shanghaiDay(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(shanghaiDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
    expect(startOfShanghaiDay('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2026-02-23', '2026-03-02')).toBe(7);
  });

  it('the Monday notice reports on the week before: [Monday, next Monday) in Asia/Shanghai', () => {
    // Monday 2 March 2026, 08:00 in Shanghai.
    const w = previousWeek(new Date('2026-03-02T00:00:00Z'));
    expect(w).toMatchObject({ key: '2026-W09', monday: '2026-02-23', sunday: '2026-03-01' });
    expect(w.from.toISOString()).toBe('2026-02-22T16:00:00.000Z');
    expect(w.to.toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(inWeek(w, '2026-02-22T16:00:00.000Z')).toBe(true);
    expect(inWeek(w, '2026-03-01T15:59:59.999Z')).toBe(true);
    expect(inWeek(w, '2026-03-01T16:00:00.000Z')).toBe(false);
    expect(inWeek(w, null)).toBe(false);
    // Sunday 1 March, 23:00 in Shanghai is still W09: its previous week is W08.
    expect(previousWeek(new Date('2026-03-01T15:00:00Z')).key).toBe('2026-W08');
    // Across the year: the first Monday of 2021 reports on 2020-W53.
    expect(previousWeek(new Date('2021-01-04T00:00:00Z')).key).toBe('2020-W53');
  });
});

describe('ISO week properties', () => {
  const day = fc.integer({ min: 0, max: 60_000 }).map((n) => addDays('1970-01-01', n));

  it('every day lies in its week, which runs Monday to Sunday and round-trips through its key', () => {
    fc.assert(
      fc.property(day, (d) => {
        const w = isoWeekOf(d);
        expect(w.monday <= d && d <= w.sunday).toBe(true);
        expect(isoWeekday(w.monday)).toBe(1);
        expect(daysBetween(w.monday, w.sunday)).toBe(6);
        expect(w.week).toBeGreaterThanOrEqual(1);
        expect(w.week).toBeLessThanOrEqual(weeksInYear(w.year));
        expect(parseWeekKey(w.key)).toEqual(w);
        expect(inWeek(w, startOfShanghaiDay(d))).toBe(true);
      }),
    );
  });

  it('every instant lies in the week of its Shanghai day, and the previous week ends where it starts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (t) => {
        const w = weekOfInstant(t);
        expect(inWeek(w, new Date(t))).toBe(true);
        const p = previousWeek(t);
        expect(p.to.getTime()).toBe(w.from.getTime());
        expect(w.to.getTime() - w.from.getTime()).toBe(7 * 86_400_000);
      }),
    );
  });
});
