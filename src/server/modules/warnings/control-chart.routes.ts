import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { aggregateValue, type IndicatorDef } from '../../../domain/benchmarking/indicator-math';
import { monthsBetween } from '../../../domain/benchmarking/period';
import { evaluateRules, RULES, valueAt, WESTERN_ELECTRIC_RULES, xmrLimits, type RuleCode, type Signal } from '../../../domain/warnings/control-chart';
import { isControlChart } from '../../../domain/warnings/rules';
import { actorOf } from '../../auth/guard';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps } from '../../context';
import { notFound } from '../../errors';
import { listIndicators } from '../indicators/indicators.repository';
import { monthlyValues, toDef } from '../measurements/measurements.service';
import { findUnitByCode } from '../units/units.repository';
import { controlChartQuery, controlChartResponse, type ControlChart, type ControlChartQuery } from './control-chart.schemas';
import { listRuleRows } from './warnings.repository';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DEFAULT_BASELINE_MONTHS = 24;

/** A number for a sentence: at most 6 significant digits, true minus sign. */
const fig = (x: number | string | null | undefined): string => (typeof x === 'number' ? String(Number(x.toPrecision(6))).replace('-', '−') : String(x ?? '—'));
const span = (periods: readonly string[]) => (periods.length === 1 ? periods[0]! : `${periods[0]}…${periods.at(-1)}`);

/** A signal in words, English and Chinese, from the rule's facts. */
function explain(rule: RuleCode, side: 'above' | 'below' | null, periods: readonly string[], facts: Signal['facts'], limits: { mean: number; ucl: number; lcl: number }): { en: string; zh: string } {
  const up = side === 'above';
  switch (rule) {
    case 'WE1':
    case 'N1':
      return {
        en: `${periods.at(-1)}: ${fig(facts.value)} is ${up ? 'above the upper' : 'below the lower'} control limit ${fig(up ? limits.ucl : limits.lcl)} (${fig(facts.distanceSigmas)}σ from the mean ${fig(limits.mean)}).`,
        zh: `${periods.at(-1)}：${fig(facts.value)} ${up ? '高于上控制限' : '低于下控制限'} ${fig(up ? limits.ucl : limits.lcl)}（距均值 ${fig(limits.mean)} ${fig(facts.distanceSigmas)}σ）。`,
      };
    case 'WE2':
    case 'WE3':
    case 'N5':
    case 'N6':
      return {
        en: `${facts.beyond} of ${facts.window} consecutive points (${periods.join(', ')}) beyond ${facts.sigmas}σ ${up ? 'above' : 'below'} the mean (the line at ${fig(facts.line)}).`,
        zh: `连续 ${facts.window} 点中有 ${facts.beyond} 点（${periods.join('、')}）在均值${up ? '上方' : '下方'} ${facts.sigmas}σ 线 ${fig(facts.line)} 之外。`,
      };
    case 'WE4':
    case 'N2':
      return {
        en: `${periods.length} points in a row (${span(periods)}) ${up ? 'above' : 'below'} the centre line ${fig(limits.mean)}.`,
        zh: `连续 ${periods.length} 点（${span(periods)}）位于中心线 ${fig(limits.mean)} ${up ? '上方' : '下方'}。`,
      };
    case 'N3': {
      const rising = facts.direction === 'increasing';
      return {
        en: `${periods.length} points in a row (${span(periods)}) continually ${rising ? 'increasing' : 'decreasing'}, from ${fig(facts.first)} to ${fig(facts.last)}.`,
        zh: `连续 ${periods.length} 点（${span(periods)}）持续${rising ? '上升' : '下降'}，由 ${fig(facts.first)} 到 ${fig(facts.last)}。`,
      };
    }
    case 'N4':
      return { en: `${periods.length} points in a row (${span(periods)}) alternating up and down.`, zh: `连续 ${periods.length} 点（${span(periods)}）交替升降。` };
    case 'N7':
      return {
        en: `${periods.length} points in a row (${span(periods)}) within 1σ of the mean (${fig(facts.lineBelow)}…${fig(facts.lineAbove)}): less variation than the baseline.`,
        zh: `连续 ${periods.length} 点（${span(periods)}）都在均值 1σ 以内（${fig(facts.lineBelow)}…${fig(facts.lineAbove)}），波动明显小于基线。`,
      };
    case 'N8':
      return {
        en: `${periods.length} points in a row (${span(periods)}) none within 1σ of the mean, on both sides (${fig(facts.above)} above, ${fig(facts.below)} below).`,
        zh: `连续 ${periods.length} 点（${span(periods)}）都在均值 1σ 以外且分布在两侧（上方 ${fig(facts.above)} 点、下方 ${fig(facts.below)} 点）。`,
      };
  }
}

/** The control chart of one unit's indicator: values, XmR limits from a baseline, and the rules' signals explained. */
export async function controlChart(deps: Deps, actor: Actor, q: ControlChartQuery): Promise<ControlChart> {
  const { db } = deps.database;
  const unit = await findUnitByCode(db, q.unit);
  if (!unit || !inScope(await visibleUnitIds(db, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${q.unit}`);
  const library = await listIndicators(db);
  const ind = library.find((i) => i.code === q.indicator);
  if (!ind) throw notFound('INDICATOR_NOT_FOUND', `No indicator ${q.indicator}`);
  const defs = new Map<string, IndicatorDef>(library.map((i) => [i.code, toDef(i)]));

  // The indicator's control-chart rules (this unit's first, then every unit's) give the default rules and baseline.
  const configured = (await listRuleRows(db, { indicatorId: ind.id })).filter((r) => r.enabled && isControlChart(r.code) && (r.unit_id === null || r.unit_id === unit.id));
  configured.sort((a, b) => Number(b.unit_id !== null) - Number(a.unit_id !== null));
  const codes = (q.rules ? q.rules.split(',') : configured.length ? [...new Set(configured.map((r) => r.code))] : [...WESTERN_ELECTRIC_RULES]) as RuleCode[];

  // Reported values (submitted or approved), as the warnings scan reads them; suspect ones apart.
  const rows = (
    await db
      .selectFrom('measurements as m')
      .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
      .select(['i.code', 'm.period', 'm.value', 'm.suspect'])
      .where('m.unit_id', '=', unit.id)
      .where('m.status', 'in', ['submitted', 'approved'])
      .execute()
  )
    .filter((r) => MONTH.test(r.period))
    .map((r) => ({ ...r, value: Number(r.value) }));
  const all = monthlyValues(rows);
  const clean = monthlyValues(rows.filter((r) => !r.suspect));
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  let months = periods.length ? monthsBetween(periods[0]!, periods.at(-1)!) : [];
  let shown = months.map((m) => aggregateValue(ind.code, [m], defs, all));
  const first = shown.findIndex((v) => v !== null);
  const last = shown.length - 1 - [...shown].reverse().findIndex((v) => v !== null);
  months = first < 0 ? [] : months.slice(first, last + 1);
  shown = first < 0 ? [] : shown.slice(first, last + 1);
  const series = months.map((m) => aggregateValue(ind.code, [m], defs, clean));

  // Baseline (phase I): the query's, else the rule's, else 24 months from the first value.
  const ruleParams = configured[0]?.params as { baselineFrom?: string | null; baselineMonths?: number; screenRanges?: boolean } | undefined;
  const source = q.baselineFrom || q.baselineMonths ? 'query' : ruleParams ? 'rule' : 'default';
  const baselineMonths = q.baselineMonths ?? (source === 'rule' ? ruleParams?.baselineMonths : undefined) ?? DEFAULT_BASELINE_MONTHS;
  const baselineFrom = q.baselineFrom ?? (source === 'rule' ? ruleParams?.baselineFrom : null) ?? null;
  const screenRanges = source === 'rule' ? Boolean(ruleParams?.screenRanges) : false;
  const startAt = baselineFrom ? months.findIndex((m) => m >= baselineFrom) : series.findIndex((v) => v !== null);
  const start = startAt < 0 ? months.length : startAt;
  const end = Math.min(months.length, start + baselineMonths);
  const baselineValues = series.slice(start, end).filter((v): v is number => v !== null && Number.isFinite(v));
  const limits = end - start === baselineMonths ? xmrLimits(baselineValues, { screenRanges }) : null;

  const signals: ControlChart['signals'] = [];
  if (limits) {
    const monitored = series.slice(end);
    const found = evaluateRules(codes, limits, monitored);
    // A long run completes at several points: one signal per rule and side for overlapping points.
    type Group = { rule: RuleCode; side: 'above' | 'below' | null; points: Set<number>; at: number[]; facts: Signal['facts'] };
    const groups: Group[] = [];
    for (const s of found) {
      const open = groups.findLast((g) => g.rule === s.rule && g.side === s.side && s.points.some((p) => g.points.has(p)));
      if (open && s.rule !== 'WE1' && s.rule !== 'N1') {
        s.points.forEach((p) => open.points.add(p));
        open.at.push(s.index);
        open.facts = s.facts;
      } else groups.push({ rule: s.rule, side: s.side, points: new Set(s.points), at: [s.index], facts: s.facts });
    }
    const favourable = (side: 'above' | 'below' | null) => (side === null || ind.direction === 'band' ? null : (side === 'above') === (ind.direction === 'higher'));
    for (const g of groups.sort((a, b) => a.at[0]! - b.at[0]! || codes.indexOf(a.rule) - codes.indexOf(b.rule))) {
      const named = [...g.points].sort((a, b) => a - b).map((p) => months[end + p]!);
      const text = explain(g.rule, g.side, named, g.facts, limits);
      signals.push({
        rule: g.rule,
        definition: RULES[g.rule].definition,
        periods: named,
        at: g.at.map((i) => months[end + i]!),
        side: g.side,
        favourable: favourable(g.side),
        explanation: text.en,
        explanationZh: text.zh,
        facts: { ...g.facts },
      });
    }
  }

  const inWindow = (m: string) => (!q.from || m >= q.from) && (!q.to || m <= q.to);
  const points = months
    .map((period, i) => {
      const v = valueAt(series, i);
      const before = i > 0 ? valueAt(series, i - 1) : null;
      const value = shown[i] ?? null;
      return { period, value, suspect: value !== null && v !== value, movingRange: v !== null && before !== null ? Math.abs(v - before) : null, baseline: limits !== null && i >= start && i < end };
    })
    .filter((p) => inWindow(p.period));
  return {
    unit: unit.code,
    indicator: ind.code,
    direction: ind.direction,
    rules: codes,
    points,
    mean: limits?.mean ?? null,
    mr: limits?.mrBar ?? null,
    ucl: limits?.ucl ?? null,
    lcl: limits?.lcl ?? null,
    sigma: limits?.sigma ?? null,
    baseline: limits ? { from: months[start]!, to: months[end - 1]!, months: baselineMonths, source } : null,
    note: limits ? null : `A baseline needs ${baselineMonths} months with at least 2 values; the series has ${Math.max(0, months.length - start)} from ${months[start] ?? '—'}`,
    signals: signals.filter((s) => s.at.some(inWindow)),
  };
}

export function controlChartRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/warnings/control-chart',
    {
      config: { access: 'indicator.read' },
      schema: {
        tags: ['warnings'],
        summary: "A unit's indicator as an individuals (XmR) control chart: values, centre line, limits from a baseline, and the run rules' signals explained",
        description:
          'Limits are mean ± 2.66·MR̄ of the baseline (phase I); the rules (WE1–WE4, N1–N8) read the months after it. Suspect values are shown but left out of the limits and the rules, as in the warnings scan.',
        querystring: controlChartQuery,
        response: { 200: controlChartResponse },
      },
    },
    (request) => controlChart(deps, actorOf(request), request.query),
  );
}
