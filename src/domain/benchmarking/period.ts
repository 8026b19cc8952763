/** Reporting periods: months are the base; quarters and years are made of months. */
export type Period =
  | { kind: 'month'; year: number; month: number }
  | { kind: 'quarter'; year: number; quarter: number }
  | { kind: 'year'; year: number };

/** A month as 'YYYY-MM', the key used in the database. */
export type MonthKey = string;

const monthRe = /^(\d{4})-(0[1-9]|1[0-2])$/;
const quarterRe = /^(\d{4})-Q([1-4])$/;
const yearRe = /^(\d{4})$/;

/** Parses 'YYYY-MM', 'YYYY-Qn' or 'YYYY'; null when the text is none of them. */
export function parsePeriod(text: string): Period | null {
  const t = text.trim();
  let m = monthRe.exec(t);
  if (m) return { kind: 'month', year: Number(m[1]), month: Number(m[2]) };
  m = quarterRe.exec(t);
  if (m) return { kind: 'quarter', year: Number(m[1]), quarter: Number(m[2]) };
  m = yearRe.exec(t);
  if (m) return { kind: 'year', year: Number(m[1]) };
  return null;
}

export function formatPeriod(p: Period): string {
  if (p.kind === 'month') return monthKey(p.year, p.month);
  if (p.kind === 'quarter') return `${p.year}-Q${p.quarter}`;
  return String(p.year);
}

export function monthKey(year: number, month: number): MonthKey {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The first and last month (1–12) of a period within its year. */
function monthRange(p: Period): [number, number] {
  if (p.kind === 'month') return [p.month, p.month];
  if (p.kind === 'quarter') return [p.quarter * 3 - 2, p.quarter * 3];
  return [1, 12];
}

/** The months a period is made of, in order. */
export function monthsOf(p: Period): MonthKey[] {
  const [from, to] = monthRange(p);
  return Array.from({ length: to - from + 1 }, (_, i) => monthKey(p.year, from + i));
}

/** January of the period's year up to the period's last month: the year-to-date window. */
export function yearToDateMonths(p: Period): MonthKey[] {
  const [, to] = monthRange(p);
  return Array.from({ length: to }, (_, i) => monthKey(p.year, i + 1));
}

/** The same period one year earlier (for year on year). */
export function sameLastYear(p: Period): Period {
  return { ...p, year: p.year - 1 };
}

/** The period just before, of the same kind (for period on period). */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'month') return p.month === 1 ? { kind: 'month', year: p.year - 1, month: 12 } : { ...p, month: p.month - 1 };
  if (p.kind === 'quarter') return p.quarter === 1 ? { kind: 'quarter', year: p.year - 1, quarter: 4 } : { ...p, quarter: p.quarter - 1 };
  return { kind: 'year', year: p.year - 1 };
}

/** Days in a month, for spreading annual targets by days. */
export function daysInMonth(key: MonthKey): number {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Every month from one key to another, inclusive. */
export function monthsBetween(from: MonthKey, to: MonthKey): MonthKey[] {
  const out: MonthKey[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 12 * 200; guard++) {
    const key = monthKey(y, m);
    if (key > to) break;
    out.push(key);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The n months ending with `end`, oldest first. */
export function monthsEnding(end: MonthKey, n: number): MonthKey[] {
  let [y, m] = end.split('-').map(Number) as [number, number];
  const out: MonthKey[] = [];
  for (let i = 0; i < n; i++) {
    out.unshift(monthKey(y, m));
    m--;
    if (m === 0) {
      m = 12;
      y--;
    }
  }
  return out;
}
