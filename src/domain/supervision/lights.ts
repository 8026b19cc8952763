/**
 * The lights of the supervision sheet (督办): green while there is time, yellow from `yellowDays`
 * days before the due date (inclusive), red from the day after the due date, done once the item is
 * closed (销号) or cancelled. Dates are calendar days 'YYYY-MM-DD' in Asia/Shanghai.
 */
import type { SupervisionState } from './transitions';

export const SUPERVISION_LIGHTS = ['green', 'yellow', 'red', 'done'] as const;
export type SupervisionLight = (typeof SUPERVISION_LIGHTS)[number];

/** Yellow starts this many days before the due date unless the item says otherwise. */
export const DEFAULT_YELLOW_DAYS = 3;

const DAY_MS = 86_400_000;
const dateText = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number (days since 1970-01-01) of a calendar date; throws on anything else. */
export function dayNumber(date: string): number {
  const m = dateText.exec(date);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  if (back !== date) throw new RangeError(`not a calendar date: ${date}`);
  return Math.round(ms / DAY_MS);
}

/** The calendar date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date of an instant in Asia/Shanghai (UTC+8 all year, no daylight saving). */
export function shanghaiDate(at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Whole days from `today` to the due date: 0 on the due date, negative once overdue. */
export function daysLeft(dueDate: string, today: string): number {
  return dayNumber(dueDate) - dayNumber(today);
}

/** True while an item is still being worked on (not closed, not cancelled). */
export function isOpenState(state: string): boolean {
  return state !== 'closed' && state !== 'cancelled';
}

export interface LightInput {
  dueDate: string;
  today: string;
  /** Days before the due date from which the light is yellow (0: yellow on the due date only). */
  yellowDays: number;
  state: SupervisionState | string;
}

/** The light of an item on a day. */
export function lightOf({ dueDate, today, yellowDays, state }: LightInput): SupervisionLight {
  if (!isOpenState(state)) return 'done';
  if (!Number.isInteger(yellowDays) || yellowDays < 0) throw new RangeError(`yellowDays must be a whole number ≥ 0, not ${yellowDays}`);
  const left = daysLeft(dueDate, today);
  if (left < 0) return 'red';
  if (left <= yellowDays) return 'yellow';
  return 'green';
}

/** The first day an item turns yellow and the first day it turns red (while it stays open). */
export function lightDays(dueDate: string, yellowDays: number): { yellowFrom: string; redFrom: string } {
  return { yellowFrom: addDays(dueDate, -yellowDays), redFrom: addDays(dueDate, 1) };
}

const rank: Record<SupervisionLight, number> = { green: 0, yellow: 1, red: 2, done: 3 };

/** True when the light got worse (green → yellow → red); what the lights job announces. */
export function isWorse(next: SupervisionLight, previous: SupervisionLight): boolean {
  return next !== 'done' && previous !== 'done' && rank[next] > rank[previous];
}
