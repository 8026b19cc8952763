import type { OpeningWindow } from '../../db/schema';

/** A local time of day, 00:00–23:59. */
export const hhmmPattern = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `6:00` → `06:00`; null when it is not a time of day. */
export function normaliseTime(text: string): string | null {
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(text.trim());
  if (!m) return null;
  const t = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  return hhmmPattern.test(t) ? t : null;
}

/** Words a file may use for "no limit" (always open). */
const alwaysWords = new Set(['全天', '24小时', '24h', 'always', 'any']);

/**
 * Parses opening hours as a file writes them: `06:00-22:00;23:00-05:00` (also `；`, `,`, `，`
 * between windows and `–`, `—`, `~`, `至` inside one). Empty or "全天" = always open (null).
 * A window may run past midnight; its start and end must differ.
 */
export function parseOpeningHours(text: string): { ok: true; windows: OpeningWindow[] | null } | { ok: false; message: string } {
  const t = text.trim();
  if (!t || alwaysWords.has(t.toLowerCase())) return { ok: true, windows: null };
  const windows: OpeningWindow[] = [];
  for (const part of t.split(/[;；,，、]/).map((p) => p.trim()).filter(Boolean)) {
    const ends = part.split(/\s*(?:-|–|—|~|～|至)\s*/);
    const from = ends.length === 2 ? normaliseTime(ends[0]!) : null;
    const to = ends.length === 2 ? normaliseTime(ends[1]!) : null;
    if (!from || !to) return { ok: false, message: `"${part}" is not a window HH:MM-HH:MM (e.g. 06:00-22:00; several separated by ;)` };
    if (from === to) return { ok: false, message: `"${part}": the start and the end are the same time` };
    windows.push({ from, to });
  }
  if (windows.length > 8) return { ok: false, message: 'at most 8 windows' };
  return { ok: true, windows };
}

/** The text form of opening hours (the inverse of parseOpeningHours). */
export function openingHoursText(windows: OpeningWindow[] | null): string {
  return windows === null ? '' : windows.map((w) => `${w.from}-${w.to}`).join(';');
}
