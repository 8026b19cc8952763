import dayjs, { type Dayjs } from 'dayjs';

/** The granularity of a reporting period as the API spells it: `YYYY-MM`, `YYYY-Qn` or `YYYY`. */
export type PeriodKind = 'month' | 'quarter' | 'year';

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
const quarterPattern = /^(\d{4})-Q([1-4])$/;
const yearPattern = /^\d{4}$/;

export function isMonthPeriod(value: string | null | undefined): value is string {
  return typeof value === 'string' && monthPattern.test(value);
}

/** The kind of a period text, or null when it is none of the three forms. */
export function periodKind(value: string | null | undefined): PeriodKind | null {
  if (!value) return null;
  if (monthPattern.test(value)) return 'month';
  if (quarterPattern.test(value)) return 'quarter';
  if (yearPattern.test(value)) return 'year';
  return null;
}

/** The first day of a period, for the date pickers. */
export function periodStart(value: string): Dayjs {
  const quarter = quarterPattern.exec(value);
  if (quarter) return dayjs(new Date(Number(quarter[1]), (Number(quarter[2]) - 1) * 3, 1));
  if (yearPattern.test(value)) return dayjs(new Date(Number(value), 0, 1));
  return dayjs(`${value}-01`);
}

/** The period of a given kind that contains a date. */
export function periodOf(date: Dayjs, kind: PeriodKind): string {
  switch (kind) {
    case 'month':
      return date.format('YYYY-MM');
    case 'quarter':
      return `${date.year()}-Q${Math.floor(date.month() / 3) + 1}`;
    case 'year':
      return String(date.year());
  }
}

/** `YYYY-MM` of a date. */
export const monthOf = (date: Dayjs): string => date.format('YYYY-MM');

/** The months from `from` to `to` (both `YYYY-MM`, inclusive), newest first. */
export function monthsDescending(from: string, to: string): string[] {
  const out: string[] = [];
  let cursor = dayjs(`${to}-01`);
  const first = dayjs(`${from}-01`);
  for (let guard = 0; guard < 1200 && !cursor.isBefore(first); guard++) {
    out.push(monthOf(cursor));
    cursor = cursor.subtract(1, 'month');
  }
  return out;
}
