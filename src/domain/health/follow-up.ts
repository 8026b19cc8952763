/**
 * Follow-up schedules of close contacts (issue 7, item 6), as WHO Go.Data keeps them: every day
 * from the day after the last exposure through day `days` (14 by default), `perDay` checks a day
 * (2 by default). A later exposure moves the window; checks already done stay on the record.
 *
 * Days are Asia/Shanghai calendar days 'YYYY-MM-DD', counted with the UTC day arithmetic of
 * notices/week.ts, so no local time zone can shift them.
 */
import { addDays, daysBetween } from '../notices/week';
import type { FollowUpSettings, FollowUpSlot, FollowUpState } from './types';

export const DEFAULT_FOLLOW_UP: Readonly<FollowUpSettings> = { days: 14, perDay: 2 };

export interface FollowUpWindow {
  /** The first day of checks: the day after the last exposure. */
  start: string;
  /** The last day of checks (inclusive). */
  end: string;
}

function requireCount(n: number, name: string): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number ≥ 1, got ${n}`);
}

/** The days of checks after a last exposure: from the day after it through `days` days. */
export function followUpWindow(lastExposure: string, s: FollowUpSettings): FollowUpWindow {
  requireCount(s.days, 'days');
  const start = addDays(lastExposure, 1);
  return { start, end: addDays(start, s.days - 1) };
}

/** Every check of a window: each day, slots 1 … perDay, in date then slot order. */
export function followUpSlots(window: FollowUpWindow, perDay: number): FollowUpSlot[] {
  requireCount(perDay, 'perDay');
  const days = daysBetween(window.start, window.end) + 1;
  const slots: FollowUpSlot[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(window.start, d);
    for (let slot = 1; slot <= perDay; slot++) slots.push({ date, slot });
  }
  return slots;
}

/** The state of one check on a day: done, cancelled, missed (its day has passed), due (today) or planned. */
export function followUpState(slot: { date: string; doneAt: Date | null; cancelled?: boolean }, today: string): FollowUpState {
  if (slot.doneAt) return 'done';
  if (slot.cancelled) return 'cancelled';
  const d = daysBetween(today, slot.date);
  return d < 0 ? 'missed' : d === 0 ? 'due' : 'planned';
}

const key = (s: FollowUpSlot) => `${s.date}#${s.slot}`;
const byDateThenSlot = (a: FollowUpSlot, b: FollowUpSlot) => daysBetween(b.date, a.date) || a.slot - b.slot;

/**
 * How the checks of a schedule change when its window moves (a new exposure) or K changes: done
 * checks are always kept, open checks outside the new window (or above perDay) are cancelled, and
 * the checks the new window lacks are added. Each list is in date then slot order.
 */
export function rescheduleSlots(
  existing: { date: string; slot: number; done: boolean }[],
  newWindow: FollowUpWindow,
  perDay: number,
): { keep: FollowUpSlot[]; add: FollowUpSlot[]; cancel: FollowUpSlot[] } {
  const wanted = followUpSlots(newWindow, perDay);
  const wantedKeys = new Set(wanted.map(key));
  const keep: FollowUpSlot[] = [];
  const cancel: FollowUpSlot[] = [];
  // The same check listed twice counts once, and as done if either copy was.
  const doneKeys = new Set(existing.filter((e) => e.done).map(key));
  const present = new Set<string>();
  for (const e of existing) {
    const slot = { date: e.date, slot: e.slot };
    if (present.has(key(slot))) continue;
    present.add(key(slot));
    if (doneKeys.has(key(slot)) || wantedKeys.has(key(slot))) keep.push(slot);
    else cancel.push(slot);
  }
  const add = wanted.filter((w) => !present.has(key(w)));
  return { keep: keep.sort(byDateThenSlot), add, cancel: cancel.sort(byDateThenSlot) };
}

/**
 * Lost to follow-up: on each of the `missedDays` days before today the person had checks and none
 * of them was done (cancelled checks do not count either way).
 */
export function lostToFollowUp(slots: { date: string; state: FollowUpState }[], today: string, missedDays = 2): boolean {
  requireCount(missedDays, 'missedDays');
  for (let back = 1; back <= missedDays; back++) {
    const day = addDays(today, -back);
    const ofDay = slots.filter((s) => s.state !== 'cancelled' && s.date === day);
    if (ofDay.length === 0 || ofDay.some((s) => s.state === 'done')) return false;
  }
  return true;
}
