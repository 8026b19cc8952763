import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayNumber, daysLeft, isWorse, lightDays, lightOf, shanghaiDate, type SupervisionLight } from './lights';
import { OPEN_STATES, SUPERVISION_STATES } from './transitions';

const light = (today: string, over: { dueDate?: string; yellowDays?: number; state?: string } = {}) => lightOf({ dueDate: '2026-03-10', yellowDays: 3, state: 'acting', today, ...over });

describe('lightOf', () => {
  it.each([
    ['2026-02-20', 'green'],
    ['2026-03-06', 'green'],
    ['2026-03-07', 'yellow'],
    ['2026-03-09', 'yellow'],
    ['2026-03-10', 'yellow'],
    ['2026-03-11', 'red'],
    ['2026-04-30', 'red'],
  ] as const)('due 2026-03-10, yellow 3 days before: %s is %s', (today, expected) => {
    expect(light(today)).toBe(expected);
  });

  it('yellowDays 0: yellow on the due date only', () => {
    expect([light('2026-03-09', { yellowDays: 0 }), light('2026-03-10', { yellowDays: 0 }), light('2026-03-11', { yellowDays: 0 })]).toEqual(['green', 'yellow', 'red']);
  });

  it('counts across month and year ends (and 29 February)', () => {
    expect(light('2024-02-27', { dueDate: '2024-03-01' })).toBe('yellow');
    expect(light('2024-02-26', { dueDate: '2024-03-01' })).toBe('green');
    expect(light('2026-12-29', { dueDate: '2027-01-01' })).toBe('yellow');
    expect(light('2027-01-02', { dueDate: '2027-01-01' })).toBe('red');
  });

  it('is done once the item is closed or cancelled, whatever the date', () => {
    expect(light('2026-04-30', { state: 'closed' })).toBe('done');
    expect(light('2026-03-01', { state: 'cancelled' })).toBe('done');
  });

  it('refuses dates that are not calendar dates and negative yellowDays', () => {
    expect(() => light('2026-02-30')).toThrow(RangeError);
    expect(() => light('2026-3-1')).toThrow(RangeError);
    expect(() => light('2026-03-01', { yellowDays: -1 })).toThrow(RangeError);
  });
});

describe('dates', () => {
  it('the Shanghai date of an instant: UTC+8', () => {
    expect(shanghaiDate(new Date('2026-03-06T15:59:59Z'))).toBe('2026-03-06');
    expect(shanghaiDate(new Date('2026-03-06T16:00:00Z'))).toBe('2026-03-07');
  });
  it('days left and the first yellow and red days', () => {
    expect(daysLeft('2026-03-10', '2026-03-02')).toBe(8);
    expect(daysLeft('2026-03-10', '2026-03-12')).toBe(-2);
    expect(lightDays('2026-03-10', 3)).toEqual({ yellowFrom: '2026-03-07', redFrom: '2026-03-11' });
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
  it('only a worse light counts as worse', () => {
    expect(isWorse('yellow', 'green')).toBe(true);
    expect(isWorse('red', 'yellow')).toBe(true);
    expect(isWorse('green', 'yellow')).toBe(false);
    expect(isWorse('done', 'green')).toBe(false);
  });
});

const dateArb = fc.integer({ min: dayNumber('2000-01-01'), max: dayNumber('2099-12-31') }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
const order: Record<SupervisionLight, number> = { green: 0, yellow: 1, red: 2, done: 3 };

describe('properties', () => {
  it('while open, the light never goes back as the days pass: green → yellow → red', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), fc.constantFrom(...OPEN_STATES), dateArb, fc.integer({ min: 0, max: 400 }), (dueDate, yellowDays, state, today, step) => {
        const a = lightOf({ dueDate, yellowDays, state, today });
        const b = lightOf({ dueDate, yellowDays, state, today: addDays(today, step) });
        expect(order[b]).toBeGreaterThanOrEqual(order[a]);
        expect(b).not.toBe('done');
      }),
    );
  });
  it('yellow lasts exactly yellowDays + 1 days and red starts the day after the due date', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), (dueDate, yellowDays) => {
        const { yellowFrom, redFrom } = lightDays(dueDate, yellowDays);
        const at = (today: string) => lightOf({ dueDate, yellowDays, state: 'assigned', today });
        expect(at(addDays(yellowFrom, -1))).toBe('green');
        expect(at(yellowFrom)).toBe('yellow');
        expect(at(dueDate)).toBe('yellow');
        expect(at(redFrom)).toBe('red');
        expect(dayNumber(redFrom) - dayNumber(yellowFrom)).toBe(yellowDays + 1);
      }),
    );
  });
  it('the light depends only on the days left', () => {
    fc.assert(
      fc.property(dateArb, dateArb, fc.integer({ min: 0, max: 60 }), fc.constantFrom(...SUPERVISION_STATES), (dueDate, today, yellowDays, state) => {
        const left = daysLeft(dueDate, today);
        const expected = state === 'closed' || state === 'cancelled' ? 'done' : left < 0 ? 'red' : left <= yellowDays ? 'yellow' : 'green';
        expect(lightOf({ dueDate, today, yellowDays, state })).toBe(expected);
      }),
    );
  });
  it('addDays and daysLeft agree; the Shanghai date moves at 16:00 UTC', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -1000, max: 1000 }), (date, n) => {
        expect(daysLeft(addDays(date, n), date)).toBe(n);
        const midnight = Date.parse(`${date}T00:00:00+08:00`);
        expect(shanghaiDate(midnight)).toBe(date);
        expect(shanghaiDate(midnight - 1)).toBe(addDays(date, -1));
      }),
    );
  });
});
