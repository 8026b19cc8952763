/**
 * The weekly notice (周通报): what happened in the problem loop during one ISO week, by unit —
 * problems raised and closed, supervision items assigned, closed (销号) and overdue, the items red
 * now, the warnings that fired and the records set. Built from plain facts read by the server;
 * the same content is shown on the notice board, printed and exported.
 */
import { isBetter, type Direction, type IndicatorDef } from '../benchmarking/indicator-math';
import { addDays, daysBetween, inWeek, shanghaiDay, startOfShanghaiDay, type DayKey, type WeekBounds } from './week';

export interface NoticeUnit {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
}

export interface ProblemFact {
  id: string;
  number: number;
  unitId: string;
  title: string;
  source: string;
  severity: string;
  status: string;
  raisedAt: string;
  closedAt: string | null;
}

export interface ItemFact {
  id: string;
  number: number;
  unitId: string;
  title: string;
  owner: string;
  dueDate: DayKey;
  yellowDays: number;
  state: string;
  /** When it was assigned (its first event, else its creation). */
  assignedAt: string;
  closedAt: string | null;
  problemNumber: number | null;
}

export interface WarningFact {
  id: string;
  unitId: string;
  indicator: string;
  indicatorZh: string;
  indicatorEn: string;
  rule: string;
  state: string;
  /** The month evaluated last. */
  period: string | null;
  /** When its notice went out (the episode began). */
  firedAt: string;
}

/** An approved value of a unit and indicator (suspect values are left out by the reader). */
export interface ValueFact {
  measurementId: string;
  unitId: string;
  indicator: string;
  indicatorZh: string;
  indicatorEn: string;
  uom: string;
  direction: Direction;
  period: string;
  value: number;
  approvedAt: string | null;
}

export interface WeeklyFacts {
  week: WeekBounds;
  /** When the notice is published: "red now" is as of this instant. */
  at: Date;
  units: NoticeUnit[];
  problems: ProblemFact[];
  items: ItemFact[];
  warnings: WarningFact[];
  /** Every approved value of the unit × indicator pairs with an approval in the week. */
  values: ValueFact[];
}

type UnitRef = { unitId: string; unit: string; unitZh: string; unitEn: string };
export type ProblemLine = UnitRef & Omit<ProblemFact, 'unitId'>;
/** overdueDays: days past the due date on the day it was closed, or on the day of publication. */
export type ItemLine = UnitRef & Omit<ItemFact, 'unitId' | 'yellowDays'> & { overdueDays: number };
export type WarningLine = UnitRef & Omit<WarningFact, 'unitId'>;
export type RecordLine = UnitRef & Omit<ValueFact, 'unitId' | 'approvedAt'> & { approvedAt: string; previousBest: number; previousBestPeriod: string };

export const NOTICE_SECTIONS = ['newProblems', 'closedProblems', 'newItems', 'closedItems', 'overdueItems', 'redItems', 'warnings', 'records'] as const;
export type NoticeSection = (typeof NOTICE_SECTIONS)[number];
export type SectionCounts = Record<NoticeSection, number>;

export interface UnitSummary extends UnitRef, SectionCounts {
  verifiedProblems: number;
}

export interface WeeklyNoticeContent {
  kind: 'weekly';
  period: string;
  monday: DayKey;
  sunday: DayKey;
  asOf: string;
  newProblems: ProblemLine[];
  closedProblems: ProblemLine[];
  newItems: ItemLine[];
  closedItems: ItemLine[];
  overdueItems: ItemLine[];
  redItems: ItemLine[];
  warnings: WarningLine[];
  records: RecordLine[];
  /** One row per unit with anything to report, in the organisation's order. */
  units: UnitSummary[];
  totals: SectionCounts & { verifiedProblems: number; units: number };
}

const OPEN_ITEM_STATES = new Set(['assigned', 'accepted', 'acting', 'reported']);
const CLOSED_PROBLEM_STATUSES = new Set(['verified', 'closed-unverified']);

/** Whether a supervision item is still open (not closed and not cancelled). */
export function isOpenItem(state: string): boolean {
  return OPEN_ITEM_STATES.has(state);
}

/** The light of an item on a day: done when closed, red once past due, yellow within yellowDays of it, else green. */
export function itemLight(item: Pick<ItemFact, 'state' | 'dueDate' | 'yellowDays'>, today: DayKey): 'green' | 'yellow' | 'red' | 'done' {
  if (!isOpenItem(item.state)) return 'done';
  const left = daysBetween(today, item.dueDate);
  if (left < 0) return 'red';
  if (left <= item.yellowDays) return 'yellow';
  return 'green';
}

/**
 * The values approved in the week that are records (创历史新高): strictly better, by the
 * indicator's direction, than every other approved value of the unit and indicator, with at
 * least one to beat. Band indicators have no record.
 */
export function recordsSet(values: readonly ValueFact[], week: Pick<WeekBounds, 'from' | 'to'>): { fact: ValueFact; previous: ValueFact }[] {
  const series = new Map<string, ValueFact[]>();
  for (const v of values) {
    const key = `${v.unitId}/${v.indicator}`;
    (series.get(key) ?? series.set(key, []).get(key)!).push(v);
  }
  const out: { fact: ValueFact; previous: ValueFact }[] = [];
  for (const list of series.values()) {
    for (const v of list) {
      if (v.direction === 'band' || !inWeek(week, v.approvedAt)) continue;
      const others = list.filter((o) => o !== v);
      if (others.length === 0) continue;
      const def: IndicatorDef = { code: v.indicator, direction: v.direction, aggregation: 'last', precision: 6 };
      if (!others.every((o) => isBetter(def, v.value, o.value))) continue;
      // The best of the others: the level the record beats.
      const previous = others.reduce((best, o) => (isBetter(def, o.value, best.value) ? o : best));
      out.push({ fact: v, previous });
    }
  }
  return out;
}

const emptyCounts = (): SectionCounts => ({ newProblems: 0, closedProblems: 0, newItems: 0, closedItems: 0, overdueItems: 0, redItems: 0, warnings: 0, records: 0 });

/** Assembles the weekly notice from the facts of its week. */
export function buildWeeklyNotice(facts: WeeklyFacts): WeeklyNoticeContent {
  const { week } = facts;
  const units = new Map(facts.units.map((u) => [u.id, u]));
  const ref = (unitId: string): UnitRef => {
    const u = units.get(unitId);
    return { unitId, unit: u?.code ?? unitId, unitZh: u?.nameZh ?? '', unitEn: u?.nameEn ?? '' };
  };
  const today = shanghaiDay(facts.at);
  const closedDay = (i: ItemFact) => (i.closedAt === null ? null : shanghaiDay(Date.parse(i.closedAt)));

  const problemLine = ({ unitId, ...p }: ProblemFact): ProblemLine => ({ ...ref(unitId), ...p });
  const itemLine = ({ unitId, yellowDays: _y, ...i }: ItemFact, asOf: DayKey): ItemLine => ({ ...ref(unitId), ...i, overdueDays: Math.max(0, daysBetween(i.dueDate, asOf)) });

  const newProblems = facts.problems.filter((p) => inWeek(week, p.raisedAt)).map(problemLine);
  const closedProblems = facts.problems.filter((p) => CLOSED_PROBLEM_STATUSES.has(p.status) && inWeek(week, p.closedAt)).map(problemLine);
  const newItems = facts.items.filter((i) => inWeek(week, i.assignedAt)).map((i) => itemLine(i, today));
  const closedItems = facts.items.filter((i) => i.state === 'closed' && inWeek(week, i.closedAt)).map((i) => itemLine(i, closedDay(i) ?? today));
  // Went red (overdue) in the week: the first day past its due date is a day of the week, and it
  // was not closed before that day. Cancelled items are not counted.
  const overdueItems = facts.items
    .filter((i) => {
      if (i.state === 'cancelled' || (i.state === 'closed' && i.closedAt === null)) return false;
      const firstLate = addDays(i.dueDate, 1);
      if (firstLate < week.monday || firstLate > week.sunday) return false;
      return i.closedAt === null || Date.parse(i.closedAt) >= startOfShanghaiDay(firstLate).getTime();
    })
    .map((i) => itemLine(i, closedDay(i) ?? today));
  const redItems = facts.items.filter((i) => itemLight(i, today) === 'red').map((i) => itemLine(i, today));
  const warnings = facts.warnings.filter((w) => inWeek(week, w.firedAt)).map(({ unitId, ...w }) => ({ ...ref(unitId), ...w }));
  const records = recordsSet(facts.values, week).map(({ fact: { unitId, approvedAt, ...v }, previous }) => ({
    ...ref(unitId),
    ...v,
    approvedAt: approvedAt!,
    previousBest: previous.value,
    previousBestPeriod: previous.period,
  }));

  const content = sortLines({
    kind: 'weekly' as const,
    period: week.key,
    monday: week.monday,
    sunday: week.sunday,
    asOf: facts.at.toISOString(),
    newProblems,
    closedProblems,
    newItems,
    closedItems,
    overdueItems,
    redItems,
    warnings,
    records,
  }, units);
  return { ...content, ...summarise(content, units) };
}

type Sections = Pick<WeeklyNoticeContent, NoticeSection>;

function sortLines<T extends Sections>(c: T, units: ReadonlyMap<string, NoticeUnit>): T {
  const order = (id: string) => units.get(id)?.sortOrder ?? Number.MAX_SAFE_INTEGER;
  const byUnit = <L extends UnitRef>(rows: L[], key: (r: L) => string | number): L[] =>
    [...rows].sort((a, b) => order(a.unitId) - order(b.unitId) || a.unit.localeCompare(b.unit) || String(key(a)).localeCompare(String(key(b)), undefined, { numeric: true }));
  return {
    ...c,
    newProblems: byUnit(c.newProblems, (r) => r.number),
    closedProblems: byUnit(c.closedProblems, (r) => r.number),
    newItems: byUnit(c.newItems, (r) => r.number),
    closedItems: byUnit(c.closedItems, (r) => r.number),
    overdueItems: byUnit(c.overdueItems, (r) => r.number),
    redItems: byUnit(c.redItems, (r) => r.number),
    warnings: byUnit(c.warnings, (r) => `${r.indicator}/${r.rule}`),
    records: byUnit(c.records, (r) => `${r.indicator}/${r.period}`),
  };
}

/** The per-unit summary and the totals of the sections. */
function summarise(c: Sections, units: ReadonlyMap<string, Pick<NoticeUnit, 'sortOrder'>>): Pick<WeeklyNoticeContent, 'units' | 'totals'> {
  const rows = new Map<string, UnitSummary>();
  for (const section of NOTICE_SECTIONS) {
    for (const line of c[section] as UnitRef[]) {
      let row = rows.get(line.unitId);
      if (!row) rows.set(line.unitId, (row = { unitId: line.unitId, unit: line.unit, unitZh: line.unitZh, unitEn: line.unitEn, ...emptyCounts(), verifiedProblems: 0 }));
      row[section]++;
      if (section === 'closedProblems' && (line as ProblemLine).status === 'verified') row.verifiedProblems++;
    }
  }
  const order = (id: string) => units.get(id)?.sortOrder ?? Number.MAX_SAFE_INTEGER;
  const list = [...rows.values()].sort((a, b) => order(a.unitId) - order(b.unitId) || a.unit.localeCompare(b.unit));
  const totals = { ...emptyCounts(), verifiedProblems: 0, units: list.length };
  for (const section of NOTICE_SECTIONS) totals[section] = c[section].length;
  totals.verifiedProblems = c.closedProblems.filter((p) => p.status === 'verified').length;
  return { units: list, totals };
}

/**
 * The notice as a reader with a data scope sees it: only the lines of the visible units
 * (null = every unit), with the summary and totals counted again.
 */
export function noticeForUnits(content: WeeklyNoticeContent, visible: ReadonlySet<string> | null): WeeklyNoticeContent {
  if (visible === null) return content;
  const keep = <L extends UnitRef>(rows: L[]) => rows.filter((r) => visible.has(r.unitId));
  const sections: Sections = {
    newProblems: keep(content.newProblems),
    closedProblems: keep(content.closedProblems),
    newItems: keep(content.newItems),
    closedItems: keep(content.closedItems),
    overdueItems: keep(content.overdueItems),
    redItems: keep(content.redItems),
    warnings: keep(content.warnings),
    records: keep(content.records),
  };
  // The stored order is kept: rank the units as the stored summary lists them.
  const order = new Map(content.units.map((u, i) => [u.unitId, { sortOrder: i }]));
  return { ...content, ...sections, ...summarise(sections, order) };
}
