import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../notices/week';
import { DEFAULT_FOLLOW_UP, followUpSlots, followUpState, followUpWindow, lostToFollowUp, rescheduleSlots } from './follow-up';
import type { FollowUpState } from './types';

describe('the follow-up window and its checks', () => {
  it('last exposure 2020-01-24, 14 days, 2 a day: checks 2020-01-25 through 2020-02-07, 28 in all', () => {
    const window = followUpWindow('2020-01-24', DEFAULT_FOLLOW_UP);
    expect(window).toEqual({ start: '2020-01-25', end: '2020-02-07' });
    const slots = followUpSlots(window, DEFAULT_FOLLOW_UP.perDay);
    expect(slots).toHaveLength(28);
    expect(slots[0]).toEqual({ date: '2020-01-25', slot: 1 });
    expect(slots[1]).toEqual({ date: '2020-01-25', slot: 2 });
    expect(slots[2]).toEqual({ date: '2020-01-26', slot: 1 });
    expect(slots.at(-1)).toEqual({ date: '2020-02-07', slot: 2 });
  });
  it('the period and K are configurable', () => {
    expect(followUpWindow('2020-01-24', { days: 7, perDay: 3 })).toEqual({ start: '2020-01-25', end: '2020-01-31' });
    const three = followUpSlots(followUpWindow('2020-01-24', { days: 7, perDay: 3 }), 3);
    expect(three).toHaveLength(21);
    expect(three.slice(0, 4)).toEqual([
      { date: '2020-01-25', slot: 1 },
      { date: '2020-01-25', slot: 2 },
      { date: '2020-01-25', slot: 3 },
      { date: '2020-01-26', slot: 1 },
    ]);
    expect(followUpSlots(followUpWindow('2020-01-24', { days: 1, perDay: 1 }), 1)).toEqual([{ date: '2020-01-25', slot: 1 }]);
  });
  it('crosses month ends and leap days', () => {
    expect(followUpWindow('2020-02-20', DEFAULT_FOLLOW_UP)).toEqual({ start: '2020-02-21', end: '2020-03-05' });
    expect(followUpWindow('2020-12-31', { days: 1, perDay: 2 })).toEqual({ start: '2021-01-01', end: '2021-01-01' });
    expect(followUpSlots(followUpWindow('2020-02-27', { days: 3, perDay: 1 }), 1).map((s) => s.date)).toEqual(['2020-02-28', '2020-02-29', '2020-03-01']);
  });
  it('refuses a period or K below 1 and a day that is not one', () => {
    expect(() => followUpWindow('2020-01-24', { days: 0, perDay: 2 })).toThrow(RangeError);
    expect(() => followUpSlots({ start: '2020-01-25', end: '2020-01-26' }, 0)).toThrow(RangeError);
    expect(() => followUpSlots({ start: '2020-01-25', end: '2020-01-26' }, 1.5)).toThrow(RangeError);
    expect(() => followUpWindow('2020-02-30', DEFAULT_FOLLOW_UP)).toThrow(RangeError);
  });
});

describe('the state of a check', () => {
  const today = '2020-01-30';
  it('done, cancelled, missed, due, planned', () => {
    expect(followUpState({ date: '2020-01-28', doneAt: new Date('2020-01-28T01:00:00Z') }, today)).toBe('done');
    // Done wins even over cancelled: the check happened.
    expect(followUpState({ date: '2020-01-28', doneAt: new Date('2020-01-28T01:00:00Z'), cancelled: true }, today)).toBe('done');
    expect(followUpState({ date: '2020-01-28', doneAt: null, cancelled: true }, today)).toBe('cancelled');
    expect(followUpState({ date: '2020-01-29', doneAt: null }, today)).toBe('missed');
    expect(followUpState({ date: '2020-01-30', doneAt: null }, today)).toBe('due');
    expect(followUpState({ date: '2020-01-31', doneAt: null }, today)).toBe('planned');
  });
});

describe('rescheduling after a new exposure', () => {
  const first = followUpSlots(followUpWindow('2020-01-24', DEFAULT_FOLLOW_UP), 2);
  it('a re-exposure on 2020-01-27 moves the window to 2020-01-28 … 2020-02-10; done checks stay', () => {
    // Checks on 25 and 26 January were done, 27 January's first one too.
    const existing = first.map((s) => ({ ...s, done: s.date < '2020-01-27' || (s.date === '2020-01-27' && s.slot === 1) }));
    const window = followUpWindow('2020-01-27', DEFAULT_FOLLOW_UP);
    expect(window).toEqual({ start: '2020-01-28', end: '2020-02-10' });
    const r = rescheduleSlots(existing, window, 2);
    expect(r.cancel).toEqual([{ date: '2020-01-27', slot: 2 }]);
    expect(r.add).toEqual([
      { date: '2020-02-08', slot: 1 },
      { date: '2020-02-08', slot: 2 },
      { date: '2020-02-09', slot: 1 },
      { date: '2020-02-09', slot: 2 },
      { date: '2020-02-10', slot: 1 },
      { date: '2020-02-10', slot: 2 },
    ]);
    expect(r.keep).toHaveLength(28 - 1);
    expect(r.keep[0]).toEqual({ date: '2020-01-25', slot: 1 });
    expect(r.keep.at(-1)).toEqual({ date: '2020-02-07', slot: 2 });
    // Kept and added together: the new window's 28 checks plus the 5 done before it.
    expect(r.keep.length + r.add.length).toBe(28 + 5);
  });
  it('a lower K cancels the open checks above it, never a done one', () => {
    const existing = first.map((s) => ({ ...s, done: s.date === '2020-01-25' }));
    const r = rescheduleSlots(existing, followUpWindow('2020-01-24', DEFAULT_FOLLOW_UP), 1);
    expect(r.add).toEqual([]);
    expect(r.cancel).toHaveLength(13);
    expect(r.cancel.every((c) => c.slot === 2 && c.date > '2020-01-25')).toBe(true);
    expect(r.keep).toContainEqual({ date: '2020-01-25', slot: 2 });
  });
  it('a higher K adds the missing checks', () => {
    const existing = first.map((s) => ({ ...s, done: false }));
    const r = rescheduleSlots(existing, followUpWindow('2020-01-24', DEFAULT_FOLLOW_UP), 3);
    expect(r.cancel).toEqual([]);
    expect(r.add).toHaveLength(14);
    expect(r.add.every((a) => a.slot === 3)).toBe(true);
  });
  it('from nothing, every check of the window is added', () => {
    const window = followUpWindow('2020-01-24', DEFAULT_FOLLOW_UP);
    expect(rescheduleSlots([], window, 2)).toEqual({ keep: [], add: followUpSlots(window, 2), cancel: [] });
  });
});

describe('lost to follow-up', () => {
  const slots = (states: Record<string, FollowUpState[]>) => Object.entries(states).flatMap(([date, ss]) => ss.map((state) => ({ date, state })));
  it('two days of checks before today with none done', () => {
    expect(lostToFollowUp(slots({ '2020-01-28': ['missed', 'missed'], '2020-01-29': ['missed', 'missed'], '2020-01-30': ['due', 'due'] }), '2020-01-30')).toBe(true);
  });
  it('one done check on either day keeps the person followed', () => {
    expect(lostToFollowUp(slots({ '2020-01-28': ['done', 'missed'], '2020-01-29': ['missed', 'missed'] }), '2020-01-30')).toBe(false);
    expect(lostToFollowUp(slots({ '2020-01-28': ['missed', 'missed'], '2020-01-29': ['missed', 'done'] }), '2020-01-30')).toBe(false);
  });
  it('a day without checks (before the window, or all cancelled) is not a missed day', () => {
    expect(lostToFollowUp(slots({ '2020-01-29': ['missed', 'missed'] }), '2020-01-30')).toBe(false);
    expect(lostToFollowUp(slots({ '2020-01-28': ['cancelled', 'cancelled'], '2020-01-29': ['missed', 'missed'] }), '2020-01-30')).toBe(false);
    expect(lostToFollowUp(slots({ '2020-01-28': ['cancelled', 'missed'], '2020-01-29': ['missed', 'missed'] }), '2020-01-30')).toBe(true);
  });
  it('the number of days is configurable; today does not count', () => {
    const s = slots({ '2020-01-27': ['done'], '2020-01-28': ['missed'], '2020-01-29': ['missed'], '2020-01-30': ['missed'] });
    expect(lostToFollowUp(s, '2020-01-30', 2)).toBe(true);
    expect(lostToFollowUp(s, '2020-01-30', 3)).toBe(false);
    expect(lostToFollowUp(s, '2020-01-29', 1)).toBe(true);
    expect(() => lostToFollowUp(s, '2020-01-30', 0)).toThrow(RangeError);
  });
});

const dayArb = fc.integer({ min: 0, max: 3_000 }).map((n) => addDays('2019-01-01', n));
const settingsArb = fc.record({ days: fc.integer({ min: 1, max: 30 }), perDay: fc.integer({ min: 1, max: 4 }) });

describe('properties', () => {
  it('the window has `days` days, starting the day after the exposure', () => {
    fc.assert(
      fc.property(dayArb, settingsArb, (exposure, s) => {
        const w = followUpWindow(exposure, s);
        expect(daysBetween(exposure, w.start)).toBe(1);
        expect(daysBetween(w.start, w.end) + 1).toBe(s.days);
      }),
    );
  });
  it('days × perDay checks, all inside the window, each once, in order', () => {
    fc.assert(
      fc.property(dayArb, settingsArb, (exposure, s) => {
        const w = followUpWindow(exposure, s);
        const slots = followUpSlots(w, s.perDay);
        expect(slots).toHaveLength(s.days * s.perDay);
        expect(new Set(slots.map((x) => `${x.date}#${x.slot}`)).size).toBe(slots.length);
        for (const x of slots) {
          expect(x.date >= w.start && x.date <= w.end).toBe(true);
          expect(x.slot >= 1 && x.slot <= s.perDay).toBe(true);
        }
        for (let i = 1; i < slots.length; i++) expect(`${slots[i - 1]!.date}#${slots[i - 1]!.slot}` < `${slots[i]!.date}#${slots[i]!.slot}`).toBe(true);
      }),
    );
  });
  it('rescheduling never cancels a done check and leaves exactly the new window open', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 20 }), settingsArb, settingsArb, fc.integer({ min: 0, max: 2 ** 30 }), (exposure, later, s1, s2, seed) => {
        const existing = followUpSlots(followUpWindow(exposure, s1), s1.perDay).map((x, i) => ({ ...x, done: ((seed >> i % 30) & 1) === 1 }));
        const window = followUpWindow(addDays(exposure, later), s2);
        const r = rescheduleSlots(existing, window, s2.perDay);
        const k = (x: { date: string; slot: number }) => `${x.date}#${x.slot}`;
        const cancelled = new Set(r.cancel.map(k));
        for (const e of existing) {
          if (e.done) expect(cancelled.has(k(e))).toBe(false);
          // Every existing check is either kept or cancelled, never both.
          expect(r.keep.some((x) => k(x) === k(e)) !== cancelled.has(k(e))).toBe(true);
        }
        const open = [...r.keep.filter((x) => !existing.find((e) => k(e) === k(x))!.done), ...r.add].map(k).sort();
        const wanted = followUpSlots(window, s2.perDay).map(k);
        const doneInWindow = new Set(existing.filter((e) => e.done).map(k));
        expect(open).toEqual(wanted.filter((w) => !doneInWindow.has(w)).sort());
      }),
    );
  });
});
