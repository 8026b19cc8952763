/**
 * Reading timestamps as meters and spreadsheets write them: ISO-8601 with `Z` or an offset, or a
 * local date and time without a zone, which is Asia/Shanghai (UTC+8 all year, no daylight saving).
 * `2026-03-01T08:15:00+08:00`, `2026-03-01T00:15:00Z`, `2026-03-01 08:15`, `2026/3/1 8:15:30`.
 * Fractions of a second beyond milliseconds are cut off.
 */
const pattern = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const shanghaiOffsetMinutes = 8 * 60;
const minMs = Date.parse('1900-01-01T00:00:00Z');
const maxMs = Date.parse('2999-12-31T23:59:59Z');

export type ParsedTime = { ok: true; ms: number } | { ok: false; message: string };

export function parseReadingTime(input: unknown): ParsedTime {
  if (typeof input !== 'string') return { ok: false, message: 'at: an ISO-8601 date and time is required' };
  const text = input.trim();
  const m = pattern.exec(text);
  if (!m) return { ok: false, message: `at: "${text.slice(0, 40)}" is not an ISO-8601 date and time (e.g. 2026-03-01T08:15:00+08:00)` };
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return { ok: false, message: `at: "${text.slice(0, 40)}" is not a valid date and time` };
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return { ok: false, message: `at: "${text.slice(0, 40)}" is not a valid date` };
  let offset = shanghaiOffsetMinutes;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const h = Number(z[2]);
    const mm = Number(z[3] ?? '0');
    if (h > 14 || mm > 59) return { ok: false, message: `at: the offset ${zone} is not valid` };
    offset = (z[1] === '-' ? -1 : 1) * (h * 60 + mm);
  } else if (zone) offset = 0;
  const at = local - offset * 60_000;
  if (at < minMs || at > maxMs) return { ok: false, message: 'at: must be between 1900 and 2999' };
  return { ok: true, ms: at };
}

/** The Asia/Shanghai calendar date of an instant (YYYY-MM-DD). */
export function shanghaiDate(ms: number): string {
  return new Date(ms + shanghaiOffsetMinutes * 60_000).toISOString().slice(0, 10);
}
