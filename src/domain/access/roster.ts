/**
 * The duty roster (值守排班): guards rotated across checkpoints (posts) and shifts. Pure: the
 * server stores what this returns. A shift whose end is not after its start runs past midnight
 * (23:30–07:30 belongs to the date it starts on).
 */

/** A shift of a site: local times HH:MM. */
export interface RosterShift {
  code: string;
  starts: string;
  ends: string;
}

export interface RosterRequest {
  /** First date, YYYY-MM-DD. */
  from: string;
  days: number;
  /** Checkpoint codes, in the order the posts are filled. */
  posts: string[];
  shifts: RosterShift[];
  /** Person codes of the guards, in rotation order. */
  guards: string[];
  /** Guards per post and shift. */
  perPost: number;
}

export interface RosterAssignment {
  date: string;
  post: string;
  shift: string;
  guard: string;
}

export type RosterResult =
  | { ok: true; assignments: RosterAssignment[]; loads: Record<string, number> }
  | { ok: false; code: 'NOT_ENOUGH_GUARDS' | 'UNBALANCED'; message: string };

const dayMs = 86_400_000;

/** Minutes since midnight of HH:MM (or HH:MM:SS). */
export function minutesOf(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Days since 1970-01-01 of a date YYYY-MM-DD. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / dayMs);
}

/** The date `n` days after `date`. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
}

/** A shift worked on a date as [start, end) in local minutes since 1970-01-01; past midnight it ends the next day. */
export function shiftSpan(date: string, shift: { starts: string; ends: string }): { start: number; end: number } {
  const start = dayNumber(date) * 1440 + minutesOf(shift.starts);
  const endMinutes = minutesOf(shift.ends);
  const end = dayNumber(date) * 1440 + endMinutes + (endMinutes <= minutesOf(shift.starts) ? 1440 : 0);
  return { start, end };
}

/** Whether a shift worked on `date` covers the local date and time (HH:MM) given. */
export function shiftCovers(date: string, shift: { starts: string; ends: string }, localDate: string, localTime: string): boolean {
  const { start, end } = shiftSpan(date, shift);
  const at = dayNumber(localDate) * 1440 + minutesOf(localTime);
  return at >= start && at < end;
}

/** Whether two spans overlap (touching ends do not). */
export const spansOverlap = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;

interface Slot {
  date: string;
  post: string;
  shift: string;
  start: number;
  end: number;
}

/**
 * Fills every post × shift × day with `perPost` guards. Slots are taken in time order; each goes
 * to the free guard (not on a shift overlapping it) with the fewest shifts so far, then the one
 * who has rested longest, then the one least often at this post, then the rotation order: a
 * round robin that keeps loads within one of each other and moves guards between posts. Fails
 * when a slot finds no free guard or the overlaps force loads further apart than one.
 */
export function generateRoster(req: RosterRequest): RosterResult {
  const slots: Slot[] = [];
  for (let d = 0; d < req.days; d++) {
    const date = addDays(req.from, d);
    for (const shift of req.shifts) {
      const span = shiftSpan(date, shift);
      for (const post of req.posts) for (let seat = 0; seat < req.perPost; seat++) slots.push({ date, post, shift: shift.code, ...span });
    }
  }
  // Stable: equal starts keep the order of shifts and posts given.
  slots.sort((a, b) => a.start - b.start);

  const state = req.guards.map((code, index) => ({ code, index, load: 0, lastEnd: Number.NEGATIVE_INFINITY, atPost: new Map<string, number>() }));
  const assignments: RosterAssignment[] = [];
  for (const slot of slots) {
    // Slots come in start order, so a guard is free when the last shift taken has ended.
    let best: (typeof state)[number] | null = null;
    for (const g of state) {
      if (g.lastEnd > slot.start) continue;
      if (
        best === null ||
        g.load < best.load ||
        (g.load === best.load && (g.lastEnd < best.lastEnd || (g.lastEnd === best.lastEnd && (g.atPost.get(slot.post) ?? 0) < (best.atPost.get(slot.post) ?? 0))))
      ) {
        best = g;
      }
    }
    if (!best) {
      return { ok: false, code: 'NOT_ENOUGH_GUARDS', message: `No free guard for ${slot.post} on ${slot.date}, shift ${slot.shift}: add guards or lower the number per post` };
    }
    best.load++;
    best.lastEnd = slot.end;
    best.atPost.set(slot.post, (best.atPost.get(slot.post) ?? 0) + 1);
    assignments.push({ date: slot.date, post: slot.post, shift: slot.shift, guard: best.code });
  }
  const loads = Object.fromEntries(state.map((g) => [g.code, g.load]));
  const values = state.map((g) => g.load);
  if (values.length > 0 && Math.max(...values) - Math.min(...values) > 1) {
    return { ok: false, code: 'UNBALANCED', message: 'Overlapping shifts leave some guards with two more shifts than others: add guards or lower the number per post' };
  }
  return { ok: true, assignments, loads };
}
