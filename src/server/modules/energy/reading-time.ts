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
  // Meters and their gateways write one canonical form; reading it digit by digit is ~8× faster
  // than the general pattern below (50 000 readings a request). Anything else takes the general way.
  const fast = canonicalInstant(input);
  if (fast !== null) return { ok: true, ms: fast };
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

const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const two = (text: string, i: number) => digit(text, i) * 10 + digit(text, i + 1);

/**
 * `YYYY-MM-DDTHH:MM:SS` with `Z` or `±HH:MM`, optionally with `.sss`: the instant, or null for
 * anything else (including an invalid date, which the general parser then reports).
 */
export function canonicalInstant(text: string): number | null {
  const n = text.length;
  if (n !== 20 && n !== 24 && n !== 25 && n !== 29) return null;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return null;
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  let ms = 0;
  let zone = 19;
  if (text[19] === '.') {
    ms = digit(text, 20) * 100 + two(text, 21);
    zone = 23;
  }
  let offset = 0;
  if (text[zone] === 'Z') {
    if (n !== zone + 1) return null;
  } else if ((text[zone] === '+' || text[zone] === '-') && n === zone + 6 && text[zone + 3] === ':') {
    const oh = two(text, zone + 1);
    const om = two(text, zone + 4);
    if (!(oh <= 14 && om <= 59)) return null;
    offset = (text[zone] === '-' ? -1 : 1) * (oh * 60 + om);
  } else return null;
  // NaN (a non-digit) fails every comparison.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  const at = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000;
  return at >= minMs && at <= maxMs ? at : null;
}

/** The Asia/Shanghai calendar date of an instant (YYYY-MM-DD). */
export function shanghaiDate(ms: number): string {
  return new Date(ms + shanghaiOffsetMinutes * 60_000).toISOString().slice(0, 10);
}
