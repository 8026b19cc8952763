/**
 * The daily digest (每日提醒) of one user: the open measures and supervision items the user owns
 * (as the person linked to the account), those due within the next days, the items red in the
 * user's data scope and the warnings that fired there since the previous digest. A user with
 * nothing to say gets no digest.
 */
import { daysBetween, type DayKey } from './week';
import { isOpenItem, itemLight, type ItemFact, type WarningFact } from './weekly-notice';

/** How many days ahead "due soon" looks. */
export const DUE_SOON_DAYS = 3;

export interface MeasureFact {
  id: string;
  problemId: string;
  problemNumber: number;
  problemTitle: string;
  unitId: string;
  unit: string;
  description: string;
  dueDate: DayKey;
  progress: number;
  status: string;
}

export interface DigestFacts {
  day: DayKey;
  /** Open measures the user owns. */
  measures: MeasureFact[];
  /** Supervision items the user owns. */
  items: (ItemFact & { unit: string })[];
  /** Supervision items of the units in the user's scope. */
  scopeItems: (ItemFact & { unit: string })[];
  /** Warnings of the units in the user's scope that fired since the previous digest. */
  warnings: (WarningFact & { unit: string })[];
}

export type DigestMeasure = Omit<MeasureFact, 'unitId' | 'status'> & { daysLeft: number };
export type DigestItem = { id: string; number: number; unit: string; title: string; owner: string; dueDate: DayKey; state: string; light: string; daysLeft: number };
export type DigestWarning = { id: string; unit: string; indicator: string; indicatorZh: string; indicatorEn: string; rule: string; period: string | null; firedAt: string };

export interface DailyDigestContent {
  kind: 'daily';
  day: DayKey;
  measures: DigestMeasure[];
  items: DigestItem[];
  dueSoon: ({ type: 'measure' | 'item'; id: string; title: string; dueDate: DayKey; daysLeft: number })[];
  redItems: DigestItem[];
  warnings: DigestWarning[];
  totals: { measures: number; items: number; dueSoon: number; redItems: number; warnings: number };
}

const byDue = <T extends { dueDate: DayKey }>(a: T, b: T) => a.dueDate.localeCompare(b.dueDate);

/** The digest of one user for one day, or null when there is nothing to say. */
export function buildDailyDigest(facts: DigestFacts): DailyDigestContent | null {
  const { day } = facts;
  const item = (i: ItemFact & { unit: string }): DigestItem => ({
    id: i.id,
    number: i.number,
    unit: i.unit,
    title: i.title,
    owner: i.owner,
    dueDate: i.dueDate,
    state: i.state,
    light: itemLight(i, day),
    daysLeft: daysBetween(day, i.dueDate),
  });
  const measures = facts.measures
    .filter((m) => m.status === 'open')
    .map(({ unitId: _u, status: _s, ...m }) => ({ ...m, daysLeft: daysBetween(day, m.dueDate) }))
    .sort(byDue);
  const items = facts.items.filter((i) => isOpenItem(i.state)).map(item).sort(byDue);
  const soon = (d: number) => d >= 0 && d <= DUE_SOON_DAYS;
  const dueSoon = [
    ...measures.filter((m) => soon(m.daysLeft)).map((m) => ({ type: 'measure' as const, id: m.id, title: `#${m.problemNumber} ${m.description}`, dueDate: m.dueDate, daysLeft: m.daysLeft })),
    ...items.filter((i) => soon(i.daysLeft)).map((i) => ({ type: 'item' as const, id: i.id, title: `#${i.number} ${i.title}`, dueDate: i.dueDate, daysLeft: i.daysLeft })),
  ].sort((a, b) => byDue(a, b) || a.title.localeCompare(b.title));
  const redItems = facts.scopeItems.filter((i) => itemLight(i, day) === 'red').map(item).sort((a, b) => byDue(a, b) || a.number - b.number);
  const warnings = facts.warnings
    .map((w) => ({ id: w.id, unit: w.unit, indicator: w.indicator, indicatorZh: w.indicatorZh, indicatorEn: w.indicatorEn, rule: w.rule, period: w.period, firedAt: w.firedAt }))
    .sort((a, b) => a.unit.localeCompare(b.unit) || a.indicator.localeCompare(b.indicator) || a.rule.localeCompare(b.rule));
  const totals = { measures: measures.length, items: items.length, dueSoon: dueSoon.length, redItems: redItems.length, warnings: warnings.length };
  if (totals.measures + totals.items + totals.redItems + totals.warnings === 0) return null;
  return { kind: 'daily', day, measures, items, dueSoon, redItems, warnings, totals };
}
