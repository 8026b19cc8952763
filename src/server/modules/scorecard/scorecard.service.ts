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
import { formatPeriod, monthsEnding, monthsOf, parsePeriod, previousPeriod, sameLastYear, yearToDateMonths, type Period } from '../../../domain/benchmarking/period';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps } from '../../context';
import { businessRule, notFound } from '../../errors';
import { listIndicators } from '../indicators/indicators.repository';
import type { Indicator } from '../indicators/indicators.schemas';
import { loadMeasurements, loadTargets, type MeasurementRow } from '../measurements/measurements.repository';
import { monthlyValues, targetIndex, toDef } from '../measurements/measurements.service';
import { findUnitByCode } from '../units/units.repository';
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

export function scorecardService(deps: Deps) {
  const { db } = deps.database;

  return {
    async scorecard(actor: Actor, unitCode: string, periodText: string, scope: Scope): Promise<Scorecard> {
      const period = parsePeriod(periodText);
      if (!period) throw businessRule('PERIOD_INVALID', `Not a period: ${periodText}`);
      const unit = await findUnitByCode(db, unitCode);
      if (!unit || !inScope(await visibleUnitIds(db, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${unitCode}`);

      const months = windowOf(period, scope);
      const end = months.at(-1)!;
      const libraryList = await listIndicators(db);
      const library = new Map(libraryList.map((i) => [i.code, i]));
      const defs = new Map<string, IndicatorDef>(libraryList.map((i) => [i.code, toDef(i)]));
      const assignments = await db.selectFrom('indicator_assignments').select(['unit_id', 'indicator_id', 'weight', 'sort_order']).execute();
      const mine = assignments.filter((a) => a.unit_id === unit.id).sort((a, b) => a.sort_order - b.sort_order);
      const set = mine.map((a) => ({ ind: libraryList.find((i) => i.id === a.indicator_id)!, weight: Number(a.weight) })).filter((x) => x.ind);

      // The unit's whole history up to the window's end: actuals, bests, records, trends.
      const own = await loadMeasurements(db, { unitIds: [unit.id], upTo: end });
      const all = monthlyValues(own);
      const approved = monthlyValues(own.filter((r) => r.status === 'approved'));
      const firstMonth = own.reduce((m, r) => (r.period < m ? r.period : m), end);
      const statusOf = new Map(own.map((r) => [`${r.code}/${r.period}`, r.status]));

      // Every unit that reports the indicator, for ranking, over the same window.
      const peerIds = [...new Set(assignments.filter((a) => set.some((s) => s.ind.id === a.indicator_id)).map((a) => a.unit_id))];
      const peerRows = await loadMeasurements(db, { unitIds: peerIds, periods: months });
      const byUnit = new Map<string, MeasurementRow[]>();
      for (const r of peerRows) byUnit.set(r.unit_id, [...(byUnit.get(r.unit_id) ?? []), r]);
      const peerData = new Map([...byUnit].map(([u, rows]) => [u, monthlyValues(rows)]));

      const years = [...new Set([Number(months[0]!.slice(0, 4)), Number(months[0]!.slice(0, 4)) - 1])];
      const targets = targetIndex(await loadTargets(db, unit.id, years));
      const selections = await db
        .selectFrom('benchmark_selections as s')
        .leftJoin('benchmarks as b', 'b.id', 's.benchmark_id')
        .select(['s.indicator_id', 's.use_history_best', 's.stage', 'b.id as benchmark_id', 'b.code', 'b.name_zh', 'b.kind', 'b.sibling_unit_id'])
        .where('s.unit_id', '=', unit.id)
        .execute();
      const comparable = await db.selectFrom('comparable_scopes').selectAll().execute();
      const isComparable = (a: string, b: string) => !a || !b || a === b || comparable.some((c) => (c.scope_a === a && c.scope_b === b) || (c.scope_a === b && c.scope_b === a));

      const yoyWindow = windowOf(sameLastYear(period), scope);
      const prev = previousPeriod(period);
      const popWindow = scope === 'ytd' && prev.year !== period.year ? null : windowOf(prev, scope);
      const earlier = earlierWindows(period, scope, firstMonth);
      const trendMonths = monthsEnding(end, 13);

      const value = (code: string, w: readonly string[], data: MonthlyValues) => aggregateValue(code, w, defs, data);

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
        const history = earlier.map((w) => ({ period: w.length === 1 ? w[0]! : `${w[0]}…${w.at(-1)}`, value: value(ind.code, w, approved) })).filter((h): h is { period: string; value: number } => h.value !== null);
        const candidates = approvedNow === null ? history : [...history, { period: scope === 'ytd' ? `${months[0]}…${end}` : formatPeriod(period), value: approvedNow }];
        let best: { period: string; value: number } | null = null;
        for (const c of candidates) if (!best || isBetter(def, c.value, best.value)) best = c;
        const isRecord = approvedNow !== null && history.length > 0 && history.every((h) => isBetter(def, approvedNow, h.value));
        const sameMonths = period.kind === 'month' && scope === 'period' ? earlier.filter((w) => w[0]!.slice(5) === months[0]!.slice(5)).map((w) => value(ind.code, w, approved)).filter((v): v is number => v !== null) : [];
        const isMonthRecord = approvedNow !== null && sameMonths.length > 0 && sameMonths.every((v) => isBetter(def, approvedNow, v));

        // The selected benchmark's value for this window.
        const sel = selections.find((s) => s.indicator_id === ind.id);
        let benchmark: ScorecardRow['benchmark'] = null;
        if (sel?.use_history_best) {
          benchmark = { code: 'HISTORY_BEST', name: '历史最好水平', kind: 'history_best', value: round(best?.value ?? null), scopeTag: ind.scopeTag, comparable: true, stage: sel.stage };
        } else if (sel?.benchmark_id) {
          let bValue: number | null = null;
          let scopeTag = ind.scopeTag;
          if (sel.kind === 'sibling' && sel.sibling_unit_id) {
            const sib = await loadMeasurements(db, { unitIds: [sel.sibling_unit_id], periods: months });
            bValue = value(ind.code, months, monthlyValues(sib.filter((r) => r.status === 'approved')));
          } else {
            const values = await db
              .selectFrom('benchmark_values')
              .select(['period', 'value', 'scope_tag'])
              .where('benchmark_id', '=', sel.benchmark_id)
              .where('indicator_id', '=', ind.id)
              .where('period', '<=', end)
              .orderBy('period', 'desc')
              .execute();
            const exact = months.length === 1 ? values.find((v) => v.period === end) : undefined;
            const pick = exact ?? values.find((v) => v.period === end.slice(0, 4)) ?? values.find((v) => v.period.length === 7) ?? values[0];
            if (pick) {
              bValue = Number(pick.value);
              scopeTag = pick.scope_tag || ind.scopeTag;
            }
          }
          benchmark = { code: sel.code!, name: sel.name_zh!, kind: sel.kind as 'sibling', value: round(bValue), scopeTag, comparable: isComparable(ind.scopeTag, scopeTag), stage: sel.stage };
        }

        const ranking = rankUnits(def, new Map(peerIds.filter((u) => assignments.some((a) => a.unit_id === u && a.indicator_id === ind.id)).map((u) => [u, value(ind.code, months, peerData.get(u) ?? new Map())])));
        const statuses = inputsOf(ind.code, library).flatMap((code) => months.map((m) => statusOf.get(`${code}/${m}`)).filter((s): s is string => s !== undefined));

        rows.push({
          indicator: ind.code,
          name: ind.nameZh,
          nameEn: ind.nameEn,
          uom: ind.uom,
          direction: ind.direction,
          category: ind.category,
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
      return { unit: unit.code, unitName: unit.name_zh, unitNameEn: unit.name_en, period: formatPeriod(period), scope, months, rows };
    },
  };
}
export type ScorecardService = ReturnType<typeof scorecardService>;
