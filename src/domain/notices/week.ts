/**
 * ISO weeks (ISO 8601: Monday first, week 1 holds the year's first Thursday) of calendar days in
 * Asia/Shanghai, the time zone the notices are published in. A week is named 'YYYY-Www' by its
 * ISO week-numbering year, which differs from the calendar year around New Year: 2021-01-03 is
 * in 2020-W53, 2026-12-28 in 2026-W53.
 */

/** A calendar day 'YYYY-MM-DD'. */
export type DayKey = string;
/** An ISO week 'YYYY-Www'. */
export type WeekKey = string;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const dayRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const weekRe = /^(\d{4})-W(\d{2})$/;

/** An ISO week: its key, its Monday and Sunday, and the instants it starts and ends (exclusive) in Asia/Shanghai. */
export interface WeekBounds {
  key: WeekKey;
  year: number;
  week: number;
  monday: DayKey;
  sunday: DayKey;
  /** 00:00 Asia/Shanghai of the Monday. */
  from: Date;
  /** 00:00 Asia/Shanghai of the next Monday (exclusive). */
  to: Date;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Days since 1970-01-01 of a day key (UTC arithmetic, no time zone involved). */
function dayNumber(day: DayKey): number {
  const m = dayRe.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) throw new RangeError(`not a day: ${day}`);
  return Math.round(t / DAY_MS);
}

function fromDayNumber(n: number): DayKey {
  const d = new Date(n * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** True for a valid calendar day 'YYYY-MM-DD'. */
export function isDayKey(text: string): boolean {
  try {
    dayNumber(text);
    return true;
  } catch {
    return false;
  }
}

/** The calendar day an instant falls on in Asia/Shanghai. */
export function shanghaiDay(at: Date | number): DayKey {
  const t = typeof at === 'number' ? at : at.getTime();
  return fromDayNumber(Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS));
}

/** 00:00 Asia/Shanghai of a day, as an instant. */
export function startOfShanghaiDay(day: DayKey): Date {
  return new Date(dayNumber(day) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** The day `n` days after (or before, n < 0) a day. */
export function addDays(day: DayKey, n: number): DayKey {
  return fromDayNumber(dayNumber(day) + n);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: DayKey, b: DayKey): number {
  return dayNumber(b) - dayNumber(a);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: DayKey): number {
  // 1970-01-01 was a Thursday (4).
  return ((((dayNumber(day) + 3) % 7) + 7) % 7) + 1;
}

/** The Monday of the ISO week-numbering year's week 1 (the week holding 4 January). */
function week1Monday(year: number): number {
  const jan4 = dayNumber(`${pad(year, 4)}-01-04`);
  return jan4 - (isoWeekday(fromDayNumber(jan4)) - 1);
}

/** How many ISO weeks a week-numbering year has: 53 when it starts or (leap) ends on a Thursday, else 52. */
export function weeksInYear(year: number): number {
  return (week1Monday(year + 1) - week1Monday(year)) / 7;
}

/** The ISO week a day belongs to. */
export function isoWeekOf(day: DayKey): WeekBounds {
  const n = dayNumber(day);
  const monday = n - (isoWeekday(day) - 1);
  // The week's Thursday decides its year.
  const year = Number(fromDayNumber(monday + 3).slice(0, 4));
  const week = (monday - week1Monday(year)) / 7 + 1;
  return bounds(year, week, monday);
}

function bounds(year: number, week: number, monday: number): WeekBounds {
  return {
    key: `${pad(year, 4)}-W${pad(week)}`,
    year,
    week,
    monday: fromDayNumber(monday),
    sunday: fromDayNumber(monday + 6),
    from: new Date(monday * DAY_MS - SHANGHAI_OFFSET_MS),
    to: new Date((monday + 7) * DAY_MS - SHANGHAI_OFFSET_MS),
  };
}

/** Parses 'YYYY-Www' (week 01 … 52 or 53 as the year has); null when it is not a week. */
export function parseWeekKey(key: string): WeekBounds | null {
  const m = weekRe.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1970 || week < 1 || week > weeksInYear(year)) return null;
  return bounds(year, week, week1Monday(year) + (week - 1) * 7);
}

/** The ISO week an instant falls in, in Asia/Shanghai. */
export function weekOfInstant(at: Date | number): WeekBounds {
  return isoWeekOf(shanghaiDay(at));
}

/** The week before the one an instant falls in (what the Monday notice reports on). */
export function previousWeek(at: Date | number): WeekBounds {
  return isoWeekOf(addDays(weekOfInstant(at).monday, -7));
}

/** True when the instant lies in [from, to). */
export function inWeek(week: Pick<WeekBounds, 'from' | 'to'>, at: Date | string | null | undefined): boolean {
  if (at === null || at === undefined) return false;
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return t >= week.from.getTime() && t < week.to.getTime();
}
