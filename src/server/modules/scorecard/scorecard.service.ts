import {
  aggregateValue,
  completionRate,
  isAttained,
  isBetter,
  percentChange,
  rankUnits,
  roundTo,
  signedGap,
  type IndicatorDef,
  type MonthlyValues,
} from '../../../domain/benchmarking/indicator-math';
import type { Formula } from '../../../domain/benchmarking/formula';
import { formatPeriod, monthsEnding, monthsOf, parsePeriod, previousPeriod, sameLastYear, yearToDateMonths, type Period } from '../../../domain/benchmarking/period';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps } from '../../context';
import { businessRule, notFound } from '../../errors';
import { listIndicators } from '../indicators/indicators.repository';
import type { Indicator } from '../indicators/indicators.schemas';
import { loadTargetsOf, type TargetRow } from '../measurements/measurements.repository';
import { monthlyValues, targetIndex, toDef } from '../measurements/measurements.service';
import { findUnitByCode, type UnitRow } from '../units/units.repository';
import { loadScoreRows, type ScoreRow } from './scorecard.repository';
import type { Scorecard, ScorecardRow } from './scorecard.schemas';

type Scope = 'period' | 'ytd';

/** The months a scorecard column covers. */
export function windowOf(p: Period, scope: Scope): string[] {
  return scope === 'ytd' ? yearToDateMonths(p) : monthsOf(p);
}

/** Earlier windows of the same kind (earlier months, quarters, years, or the same year-to-date in earlier years). */
function earlierWindows(p: Period, scope: Scope, firstMonth: string): string[][] {
  const out: string[][] = [];
  let q = scope === 'ytd' ? sameLastYear(p) : previousPeriod(p);
  for (let guard = 0; guard < 1200; guard++) {
    const w = windowOf(q, scope);
    if (w.at(-1)! < firstMonth) break;
    out.push(w);
    q = scope === 'ytd' ? sameLastYear(q) : previousPeriod(q);
  }
  return out;
}

const statusOrder = ['returned', 'draft', 'submitted', 'approved'] as const;

/** The status of a value made of several months or inputs: the least advanced one, or 'mixed'. */
function combinedStatus(statuses: string[]): ScorecardRow['status'] {
  if (statuses.length === 0) return null;
  const unique = [...new Set(statuses)];
  if (unique.length === 1) return unique[0] as ScorecardRow['status'];
  return statusOrder.find((s) => unique.includes(s)) === 'approved' ? 'approved' : 'mixed';
}

/** Formula inputs, recursively: the typed indicators a value is made of. */
function inputsOf(code: string, library: Map<string, Indicator>, seen = new Set<string>()): string[] {
  const ind = library.get(code);
  if (!ind || seen.has(code)) return [];
  seen.add(code);
  if (!ind.formula) return [code];
  return [...ind.formula.matchAll(/[A-Za-z_][A-Za-z0-9_.]*/g)].flatMap((m) => inputsOf(m[0].replace(/\.+$/, ''), library, seen));
}

type Assignment = { unit_id: string; indicator_id: string; weight: string; sort_order: number };
type Selection = { unit_id: string; indicator_id: string; use_history_best: boolean; stage: string; benchmark_id: string | null; code: string | null; name_zh: string | null; name_en: string | null; kind: string | null; sibling_unit_id: string | null };
type BenchmarkValue = { benchmark_id: string; indicator_id: string; period: string; value: string; scope_tag: string };

/**
 * Everything a set of scorecards reads, fetched once and indexed by the keys compute() looks up:
 * the group view computes thousands of units from it, so no lookup may scan a whole list.
 */
interface ScoreData {
  library: Map<string, Indicator>;
  indicatorById: Map<string, Indicator>;
  defs: Map<string, IndicatorDef>;
  /** Each unit's indicator set, in its order. */
  assignmentsOf: Map<string, Assignment[]>;
  /** The units reporting each indicator (by indicator id). */
  reportingOf: Map<string, string[]>;
  /** Each unit's rows up to the window's end (units whose scorecard is computed). */
  history: Map<string, ScoreRow[]>;
  /** Each reporting unit's rows inside the window (for ranks and sibling benchmarks). */
  window: Map<string, ScoreRow[]>;
  targets: Map<string, TargetRow[]>;
  /** By `unit/indicator` id. */
  selectionOf: Map<string, Selection>;
  /** By `benchmark/indicator` id, latest period first. */
  benchmarkValuesOf: Map<string, BenchmarkValue[]>;
  comparable: { scope_a: string; scope_b: string }[];
  /** Each unit's peer class (对标分组): ranks compare a unit only with units of its class. */
  peerClassOf: Map<string, string>;
  /**
   * Computed once per load and shared by every unit's scorecard (one period and scope per load):
   * peer values, ranks, parsed formulas, formula inputs, earlier windows by a unit's first month.
   */
  cache: { peerData?: Map<string, MonthlyValues>; ranks: Map<string, ReturnType<typeof rankUnits>>; formulas: Map<string, Formula>; inputs: Map<string, string[]>; earlier: Map<string, string[][]> };
}

const groupBy = <T>(rows: T[], key: (r: T) => string) => {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
};

export function scorecardService(deps: Deps) {
  const { db } = deps.database;

  async function load(unitIds: string[], months: string[], allReporting: boolean): Promise<ScoreData> {
    const end = months.at(-1)!;
    const libraryList = await listIndicators(db);
    const assignments = await db.selectFrom('indicator_assignments').select(['unit_id', 'indicator_id', 'weight', 'sort_order']).execute();
    const own = await loadScoreRows(db, { unitIds, upTo: end });
    const history = groupBy(own, (r) => r.unit_id);
    let window: Map<string, ScoreRow[]>;
    if (allReporting) window = groupBy(own.filter((r) => r.period >= months[0]! && r.period <= end), (r) => r.unit_id);
    else {
      const indicatorIds = new Set(assignments.filter((a) => unitIds.includes(a.unit_id)).map((a) => a.indicator_id));
      const peers = [...new Set(assignments.filter((a) => indicatorIds.has(a.indicator_id)).map((a) => a.unit_id))];
      window = groupBy(await loadScoreRows(db, { unitIds: peers, periods: months }), (r) => r.unit_id);
    }
    const firstYear = Number(months[0]!.slice(0, 4));
    const targetRows = await loadTargetsOf(db, unitIds, [firstYear, firstYear - 1]);
    const selections = (await db
      .selectFrom('benchmark_selections as s')
      .leftJoin('benchmarks as b', 'b.id', 's.benchmark_id')
      .select(['s.unit_id', 's.indicator_id', 's.use_history_best', 's.stage', 'b.id as benchmark_id', 'b.code', 'b.name_zh', 'b.name_en', 'b.kind', 'b.sibling_unit_id'])
      .where('s.unit_id', 'in', unitIds.length ? unitIds : ['00000000-0000-0000-0000-000000000000'])
      .execute()) as Selection[];
    const benchmarkIds = [...new Set(selections.map((s) => s.benchmark_id).filter((id): id is string => id !== null))];
    const benchmarkValues: BenchmarkValue[] = benchmarkIds.length
      ? await db.selectFrom('benchmark_values').select(['benchmark_id', 'indicator_id', 'period', 'value', 'scope_tag']).where('benchmark_id', 'in', benchmarkIds).where('period', '<=', end).orderBy('period', 'desc').execute()
      : [];
    const assignmentsOf = groupBy(assignments, (a) => a.unit_id);
    for (const list of assignmentsOf.values()) list.sort((a, b) => a.sort_order - b.sort_order);
    return {
      library: new Map(libraryList.map((i) => [i.code, i])),
      indicatorById: new Map(libraryList.map((i) => [i.id, i])),
      defs: new Map<string, IndicatorDef>(libraryList.map((i) => [i.code, toDef(i)])),
      assignmentsOf,
      reportingOf: new Map([...groupBy(assignments, (a) => a.indicator_id)].map(([id, list]) => [id, list.map((a) => a.unit_id)])),
      history,
      window,
      targets: groupBy(targetRows, (r) => r.unit_id),
      // The first selection of a unit and indicator, as a search of the list would find it.
      selectionOf: new Map(selections.toReversed().map((s) => [`${s.unit_id}/${s.indicator_id}`, s])),
      benchmarkValuesOf: groupBy(benchmarkValues, (v) => `${v.benchmark_id}/${v.indicator_id}`),
      comparable: await db.selectFrom('comparable_scopes').selectAll().execute(),
      peerClassOf: new Map((await db.selectFrom('units').select(['id', 'peer_class']).execute()).map((u) => [u.id, u.peer_class])),
      cache: { ranks: new Map(), formulas: new Map(), inputs: new Map(), earlier: new Map() },
    };
  }

  async function compute(data: ScoreData, unit: UnitRow, period: Period, scope: Scope): Promise<Scorecard> {
    const months = windowOf(period, scope);
    const end = months.at(-1)!;
    const { library, defs } = data;
    const mine = data.assignmentsOf.get(unit.id) ?? [];
    const set = mine.map((a) => ({ ind: data.indicatorById.get(a.indicator_id)!, weight: Number(a.weight) })).filter((x) => x.ind);

    const own = data.history.get(unit.id) ?? [];
    const all = monthlyValues(own);
    const approved = monthlyValues(own.filter((r) => r.status === 'approved'));
    const firstMonth = own.reduce((m, r) => (r.period < m ? r.period : m), end);
    // Statuses are asked for the window's months only.
    const statusOf = new Map(own.filter((r) => r.period >= months[0]! && r.period <= end).map((r) => [`${r.code}/${r.period}`, r.status]));
    // Ranks count approved values only, and never suspect ones (system.md: unconfirmed suspect data never feed ranks).
    const peerData = (data.cache.peerData ??= new Map([...data.window].map(([u, rows]) => [u, monthlyValues(rows.filter((r) => r.status === 'approved' && !r.suspect))])));
    const targets = targetIndex(data.targets.get(unit.id) ?? []);
    const isComparable = (a: string, b: string) => !a || !b || a === b || data.comparable.some((c) => (c.scope_a === a && c.scope_b === b) || (c.scope_a === b && c.scope_b === a));

    const yoyWindow = windowOf(sameLastYear(period), scope);
    const prev = previousPeriod(period);
    // Period on period compares like with like: for year to date there is none (Jan–Feb against Jan is meaningless).
    const popWindow = scope === 'ytd' ? null : windowOf(prev, scope);
    let earlier = data.cache.earlier.get(firstMonth);
    if (!earlier) data.cache.earlier.set(firstMonth, (earlier = earlierWindows(period, scope, firstMonth)));
    const trendMonths = monthsEnding(end, 13);
    const value = (code: string, w: readonly string[], d: MonthlyValues) => aggregateValue(code, w, defs, d, data.cache.formulas);

    const rows: ScorecardRow[] = [];
    for (const { ind, weight } of set) {
      const def = defs.get(ind.code)!;
      const round = (v: number | null) => roundTo(v, ind.precision);
      const pct = (v: number | null) => roundTo(v, 1);
      const actual = value(ind.code, months, all);
      const levels = targets.forWindow(ind, months);
      const target = levels?.target ?? null;

      // Bests and records count approved data only.
      const approvedNow = value(ind.code, months, approved);
      const earlierValues = earlier.map((w) => value(ind.code, w, approved));
      const history = earlier.map((w, i) => ({ period: w.length === 1 ? w[0]! : `${w[0]}…${w.at(-1)}`, value: earlierValues[i]! })).filter((h): h is { period: string; value: number } => h.value !== null);
      const candidates = approvedNow === null ? history : [...history, { period: scope === 'ytd' ? `${months[0]}…${end}` : formatPeriod(period), value: approvedNow }];
      let best: { period: string; value: number } | null = null;
      for (const c of candidates) if (!best || isBetter(def, c.value, best.value)) best = c;
      const isRecord = approvedNow !== null && history.length > 0 && history.every((h) => isBetter(def, approvedNow, h.value));
      const sameMonths = period.kind === 'month' && scope === 'period' ? earlierValues.filter((v, i): v is number => v !== null && earlier[i]![0]!.slice(5) === months[0]!.slice(5)) : [];
      const isMonthRecord = approvedNow !== null && sameMonths.length > 0 && sameMonths.every((v) => isBetter(def, approvedNow, v));

      // The selected benchmark's value for this window.
      const sel = data.selectionOf.get(`${unit.id}/${ind.id}`);
      let benchmark: ScorecardRow['benchmark'] = null;
      if (sel?.use_history_best) {
        benchmark = { code: 'HISTORY_BEST', name: '历史最好水平', nameEn: 'Historical best', kind: 'history_best', value: round(best?.value ?? null), scopeTag: ind.scopeTag, comparable: true, stage: sel.stage };
      } else if (sel?.benchmark_id) {
        let bValue: number | null = null;
        let scopeTag = ind.scopeTag;
        if (sel.kind === 'sibling' && sel.sibling_unit_id) {
          const sib = data.window.get(sel.sibling_unit_id) ?? (await loadScoreRows(db, { unitIds: [sel.sibling_unit_id], periods: months }));
          bValue = value(ind.code, months, monthlyValues(sib.filter((r) => r.status === 'approved')));
        } else {
          const values = (data.benchmarkValuesOf.get(`${sel.benchmark_id}/${ind.id}`) ?? []).filter((v) => v.period <= end);
          const exact = months.length === 1 ? values.find((v) => v.period === end) : undefined;
          const pick = exact ?? values.find((v) => v.period === end.slice(0, 4)) ?? values.find((v) => v.period.length === 7) ?? values[0];
          if (pick) {
            bValue = Number(pick.value);
            scopeTag = pick.scope_tag || ind.scopeTag;
          }
        }
        benchmark = { code: sel.code!, name: sel.name_zh!, nameEn: sel.name_en || sel.name_zh!, kind: sel.kind as 'sibling', value: round(bValue), scopeTag, comparable: isComparable(ind.scopeTag, scopeTag), stage: sel.stage };
      }

      const rankKey = `${ind.code}/${unit.peer_class}`;
      let ranking = data.cache.ranks.get(rankKey);
      if (!ranking) {
        const reporting = (data.reportingOf.get(ind.id) ?? []).filter((u) => (data.peerClassOf.get(u) ?? '') === unit.peer_class);
        ranking = rankUnits(def, new Map(reporting.map((u) => [u, value(ind.code, months, peerData.get(u) ?? new Map())])));
        data.cache.ranks.set(rankKey, ranking);
      }
      let inputs = data.cache.inputs.get(ind.code);
      if (!inputs) data.cache.inputs.set(ind.code, (inputs = inputsOf(ind.code, library)));
      const statuses = inputs.flatMap((code) => months.map((m) => statusOf.get(`${code}/${m}`)).filter((s): s is string => s !== undefined));

      rows.push({
        indicator: ind.code,
        name: ind.nameZh,
        nameEn: ind.nameEn,
        uom: ind.uom,
        direction: ind.direction,
        category: ind.category,
        precision: ind.precision,
        aggregation: ind.aggregation,
        formula: ind.formula,
        scopeTag: ind.scopeTag,
        weight,
        derived: ind.aggregation === 'formula',
        status: combinedStatus(statuses),
        actual: round(actual),
        target: round(target),
        floor: round(levels?.floor ?? null),
        stretch: round(levels?.stretch ?? null),
        completionRate: pct(completionRate(def, actual, target)),
        benchmark,
        gapToTarget: round(signedGap(def, actual, target)),
        gapToBenchmark: benchmark?.comparable ? round(signedGap(def, actual, benchmark.value)) : null,
        historicalBest: round(best?.value ?? null),
        historicalBestPeriod: best?.period ?? null,
        gapToHistoricalBest: round(signedGap(def, actual, best?.value ?? null)),
        yoy: pct(percentChange(actual, value(ind.code, yoyWindow, all))),
        pop: popWindow ? pct(percentChange(actual, value(ind.code, popWindow, all))) : null,
        attained: isAttained(def, actual, target),
        isRecord,
        isMonthRecord,
        rank: ranking.rank.get(unit.id) ?? null,
        rankOf: ranking.rankOf,
        trend: trendMonths.map((m) => ({ period: m, value: round(value(ind.code, [m], all)) })),
      });
    }
    return { unit: unit.code, unitName: unit.name_zh, unitNameEn: unit.name_en, peerClass: unit.peer_class, period: formatPeriod(period), scope, months, rows };
  }

  function parse(periodText: string): Period {
    const period = parsePeriod(periodText);
    if (!period) throw businessRule('PERIOD_INVALID', `Not a period: ${periodText}`);
    return period;
  }

  return {
    async scorecard(actor: Actor, unitCode: string, periodText: string, scope: Scope): Promise<Scorecard> {
      const period = parse(periodText);
      const unit = await findUnitByCode(db, unitCode);
      if (!unit || !inScope(await visibleUnitIds(db, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${unitCode}`);
      return compute(await load([unit.id], windowOf(period, scope), false), unit, period, scope);
    },

    /** The scorecards of several units at once, reading every row once (the group view). */
    async scorecards(units: UnitRow[], periodText: string, scope: Scope): Promise<Scorecard[]> {
      const period = parse(periodText);
      const reporting = [...new Set((await db.selectFrom('indicator_assignments').select('unit_id').execute()).map((a) => a.unit_id))];
      const data = await load(reporting, windowOf(period, scope), true);
      const out: Scorecard[] = [];
      for (const u of units) out.push(await compute(data, u, period, scope));
      return out;
    },
  };
}
export type ScorecardService = ReturnType<typeof scorecardService>;
