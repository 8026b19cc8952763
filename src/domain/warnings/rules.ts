/**
 * Warning rules as data: what each rule code checks at each month of one unit's series of one
 * indicator, and the debounced state that follows from replaying those checks (debounce.ts).
 *
 * The scan replays a fixed window of months every time instead of stepping once per scan, so the
 * state is a function of the data and the clock alone: a second scan with the same data changes
 * nothing, a corrected value re-evaluated resolves its warning, and "hold for N periods" counts
 * months, not hourly scans.
 */
import { isAttained, signedGap, type IndicatorDef } from '../benchmarking/indicator-math';
import type { MonthKey } from '../benchmarking/period';
import type { TargetLevels } from '../benchmarking/targets';
import { evaluateRules, NELSON_RULES, RULES, valueAt, WESTERN_ELECTRIC_RULES, xmrLimits, type RuleCode, type Series, type Signal } from './control-chart';
import { findJumps, findOutOfRange, findStuck, type DqCode, type Instant } from './data-quality';
import { INITIAL_WARNING_STATE, step, type WarningPolicy, type WarningState } from './debounce';

export type WarningRuleCode = 'TARGET' | 'GAP_WIDENING' | RuleCode | DqCode;
export const CONTROL_CHART_CODES: readonly RuleCode[] = [...WESTERN_ELECTRIC_RULES, ...NELSON_RULES];
export const DATA_QUALITY_CODES: readonly DqCode[] = ['DQ_RANGE', 'DQ_STUCK', 'DQ_JUMP', 'DQ_MISSING'];
export const WARNING_RULE_CODES: readonly WarningRuleCode[] = ['TARGET', 'GAP_WIDENING', ...CONTROL_CHART_CODES, ...DATA_QUALITY_CODES];

/** Whether a code is a data-quality rule (its firing marks values suspect). */
export function isDataQuality(code: string): code is DqCode {
  return (DATA_QUALITY_CODES as readonly string[]).includes(code);
}
/** Whether a code is a control-chart run rule. */
export function isControlChart(code: string): code is RuleCode {
  return (CONTROL_CHART_CODES as readonly string[]).includes(code);
}

export type Light = 'green' | 'yellow' | 'red';
/** stretch / attained / floor: at or beyond that level (by direction; attained is inside the band for bands); any: always. */
export type LightCondition = 'stretch' | 'attained' | 'floor' | 'any';
export interface LightRule {
  light: Light;
  when: LightCondition;
}

/** A rule's code with its parameters (the API validates them; defaults in `defaultParams`). */
export type RuleSpec =
  | { code: 'TARGET'; lights: readonly LightRule[] }
  | { code: 'GAP_WIDENING'; periods: number }
  | { code: RuleCode; baselineMonths: number; baselineFrom: MonthKey | null; screenRanges: boolean }
  | { code: 'DQ_RANGE' }
  | { code: 'DQ_STUCK'; periods: number }
  | { code: 'DQ_JUMP'; k: number; baselineMonths: number }
  | { code: 'DQ_MISSING'; deadlineDay: number; lookbackMonths: number };

export const DEFAULT_LIGHTS: readonly LightRule[] = [
  { light: 'green', when: 'attained' },
  { light: 'yellow', when: 'floor' },
  { light: 'red', when: 'any' },
];

/** How many months the scan replays (plus holdPeriods − 1, so a hold can complete at its start). */
export const REPLAY_MONTHS = 12;

const lightWords: Record<LightCondition, string> = { stretch: 'at or beyond the stretch', attained: 'when the target is attained', floor: 'at or beyond the floor', any: 'otherwise' };

/** The rule in words, stored with every warning's facts so a reader needs nothing else. */
export function ruleDefinition(spec: RuleSpec): string {
  switch (spec.code) {
    case 'TARGET':
      return `Status lights, first match wins: ${spec.lights.map((l) => `${l.light} ${lightWords[l.when]}`).join('; ')}. A red value without a measure raises the warning.`;
    case 'GAP_WIDENING':
      return `The gap to the selected benchmark (positive = better) got worse ${spec.periods} months in a row.`;
    case 'DQ_RANGE':
      return "A value outside the indicator's reasonable range (rangeMin … rangeMax).";
    case 'DQ_STUCK':
      return `The same value ${spec.periods} months in a row.`;
    case 'DQ_JUMP':
      return `A change from the month before larger than ${spec.k}σ (σ from the moving ranges of the first ${spec.baselineMonths} months).`;
    case 'DQ_MISSING':
      return `No value once the reporting deadline has passed (day ${spec.deadlineDay} of the following month, Asia/Shanghai).`;
    default:
      return `${RULES[spec.code].definition} (XmR limits from ${spec.baselineFrom ? `${spec.baselineMonths} months from ${spec.baselineFrom}` : `the first ${spec.baselineMonths} months`}).`;
  }
}

/** The first light whose condition the value meets, or null (no value, or no condition met). */
export function lightOf(def: IndicatorDef, value: number | null, levels: TargetLevels | null, lights: readonly LightRule[]): LightRule | null {
  if (value === null) return null;
  const atOrBeyond = (level: number | null | undefined) => level !== null && level !== undefined && signedGap(def, value, level)! >= -1e-12;
  for (const l of lights) {
    if (l.when === 'any') return l;
    if (l.when === 'attained' && isAttained(def, value, levels?.target ?? null) === true) return l;
    if (l.when === 'stretch' && def.direction !== 'band' && atOrBeyond(levels?.stretch)) return l;
    if (l.when === 'floor' && def.direction !== 'band' && atOrBeyond(levels?.floor)) return l;
  }
  return null;
}

/** JSON facts that explain a check: values, limits, periods, the rule in words. */
export type CheckFacts = Readonly<Record<string, unknown>>;

/** One month's evaluation of a rule: does the condition hold, why, and which months it names. */
export interface PeriodCheck {
  period: MonthKey;
  holds: boolean;
  facts: CheckFacts;
  /** The months whose values make the finding (data quality: the values to hold back as suspect). */
  points: MonthKey[];
}

/** The months and values of one unit's series, oldest first, one entry per consecutive month. */
export interface MonthlySeries {
  months: readonly MonthKey[];
  values: Series;
}

const none = (period: MonthKey, facts: CheckFacts = {}): PeriodCheck => ({ period, holds: false, facts, points: [] });

/** TARGET: the status light per month; the condition is a red light without a measure. */
export function checkTarget(spec: Extract<RuleSpec, { code: 'TARGET' }>, def: IndicatorDef, s: MonthlySeries, levelsOf: (m: MonthKey) => TargetLevels | null, hasMeasure: (m: MonthKey) => boolean): PeriodCheck[] {
  return s.months.map((period, i) => {
    const value = valueAt(s.values, i);
    const levels = levelsOf(period);
    const light = lightOf(def, value, levels, spec.lights);
    const measure = hasMeasure(period);
    const facts = { value, target: levels?.target ?? null, floor: levels?.floor ?? null, stretch: levels?.stretch ?? null, direction: def.direction, light: light?.light ?? null, matched: light?.when ?? null, measure };
    return { period, holds: light?.light === 'red' && !measure, facts, points: value === null ? [] : [period] };
  });
}

/**
 * GAP_WIDENING: the signed gap to the benchmark (positive = better) fell `periods` months in a row,
 * i.e. periods + 1 consecutive months with both values, each gap strictly below the one before.
 */
export function checkGapWidening(spec: Extract<RuleSpec, { code: 'GAP_WIDENING' }>, def: IndicatorDef, s: MonthlySeries, benchmarks: readonly (number | null)[], benchmarkLabel: string): PeriodCheck[] {
  const gaps = s.months.map((_, i) => signedGap(def, valueAt(s.values, i), benchmarks[i] ?? null));
  return s.months.map((period, i) => {
    const from = i - spec.periods;
    let holds = from >= 0;
    for (let j = Math.max(from + 1, 1); holds && j <= i; j++) {
      const a = gaps[j - 1];
      const b = gaps[j];
      holds = a !== null && a !== undefined && b !== null && b !== undefined && b < a - 1e-12;
    }
    const window = s.months.slice(Math.max(0, from), i + 1);
    const at = (xs: readonly (number | null)[]) => window.map((_, k) => xs[Math.max(0, from) + k] ?? null);
    const facts = { benchmark: benchmarkLabel, periods: window, values: at(s.values as (number | null)[]), benchmarkValues: at(benchmarks), gaps: at(gaps), required: spec.periods };
    return { period, holds, facts, points: holds ? window : [] };
  });
}

/** Where the baseline starts: the first month at or after `from`, or the first month with a value. */
function baselineStart(s: MonthlySeries, from: MonthKey | null): number {
  if (from) {
    const i = s.months.findIndex((m) => m >= from);
    return i < 0 ? s.months.length : i;
  }
  const i = s.months.findIndex((_, k) => valueAt(s.values, k) !== null);
  return i < 0 ? s.months.length : i;
}

/**
 * WE1…WE4, N1…N8: XmR limits frozen on a baseline of `baselineMonths` months (phase I), the rule
 * applied to the months after it (phase II). Too short a baseline (fewer than 2 values) checks nothing.
 */
export function checkControlChart(spec: Extract<RuleSpec, { code: RuleCode }>, s: MonthlySeries): PeriodCheck[] {
  const start = baselineStart(s, spec.baselineFrom);
  const end = Math.min(s.months.length, start + spec.baselineMonths);
  const baseline = s.values.slice(start, end).filter((v): v is number => v !== null && Number.isFinite(v));
  const limits = end - start === spec.baselineMonths ? xmrLimits(baseline, { screenRanges: spec.screenRanges }) : null;
  if (!limits) return s.months.slice(end).map((m) => none(m, { limits: null, reason: `a baseline needs ${spec.baselineMonths} months with at least 2 values` }));
  const monitored = s.values.slice(end);
  const months = s.months.slice(end);
  const signals = evaluateRules([spec.code], limits, monitored);
  const limitFacts = { mean: limits.mean, ucl: limits.ucl, lcl: limits.lcl, sigma: limits.sigma, mrBar: limits.mrBar, baseline: `${s.months[start]}…${s.months[end - 1]}`, baselineValues: baseline.length };
  return months.map((period, i) => {
    const signal = signals.find((x) => x.index === i);
    const facts = { value: valueAt(monitored, i), ...limitFacts, ...(signal ? { side: signal.side, signal: signal.facts, points: signal.points.map((p) => months[p]!) } : {}) };
    return { period, holds: signal !== undefined, facts, points: signal ? signal.points.map((p) => months[p]!) : [] };
  });
}

/** A value a unit has confirmed: the same period and value are not flagged again. */
export interface ConfirmedPoint {
  period: MonthKey;
  value: number | null;
}

const sameValue = (a: number | null, b: number | null) => a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));

/** Whether every point of a finding was confirmed by the unit with its current value. */
function confirmedAll(points: readonly MonthKey[], s: MonthlySeries, confirmed: readonly ConfirmedPoint[]): boolean {
  return points.every((p) => {
    const v = valueAt(s.values, s.months.indexOf(p));
    return confirmed.some((c) => c.period === p && sameValue(c.value, v));
  });
}

/** One check per month from data-quality signals; findings the unit confirmed are left out. */
function fromSignals(s: MonthlySeries, signals: readonly Signal[], named: (sig: Signal) => number[], confirmed: readonly ConfirmedPoint[], extra: CheckFacts = {}): PeriodCheck[] {
  return s.months.map((period, i) => {
    const sig = signals.find((x) => x.index === i && !confirmedAll(named(x).map((p) => s.months[p]!), s, confirmed));
    if (!sig) return none(period, { value: valueAt(s.values, i), ...extra });
    const points = named(sig).map((p) => s.months[p]!);
    return { period, holds: true, facts: { ...sig.facts, ...extra, side: sig.side, points }, points };
  });
}

/** DQ_RANGE, DQ_STUCK, DQ_JUMP over a series (DQ_MISSING needs deadlines: `checkMissing`). */
export function checkDataQuality(spec: Extract<RuleSpec, { code: 'DQ_RANGE' | 'DQ_STUCK' | 'DQ_JUMP' }>, s: MonthlySeries, range: { min: number | null; max: number | null }, confirmed: readonly ConfirmedPoint[]): PeriodCheck[] {
  if (spec.code === 'DQ_RANGE') {
    if (range.min === null && range.max === null) return s.months.map((m) => none(m, { min: null, max: null, reason: 'the indicator has no reasonable range' }));
    return fromSignals(s, findOutOfRange(s.values, range), (x) => x.points, confirmed);
  }
  if (spec.code === 'DQ_STUCK') return fromSignals(s, findStuck(s.values, { periods: spec.periods }), (x) => x.points, confirmed);
  const start = baselineStart(s, null);
  const baseline = s.values.slice(start, start + spec.baselineMonths).filter((v): v is number => v !== null && Number.isFinite(v));
  const limits = xmrLimits(baseline);
  if (!limits) return s.months.map((m) => none(m, { reason: 'a baseline needs at least 2 values' }));
  // The value jumped to is the suspect one; the month before is named in the facts.
  return fromSignals(s, findJumps(limits, s.values, { k: spec.k }), (x) => [x.index], confirmed, { baseline: `${s.months[start]}…${s.months[Math.min(s.months.length, start + spec.baselineMonths) - 1]}` });
}

/** DQ_MISSING: each expected month is a check; it holds when the month has no value and its deadline has passed. */
export function checkMissing(spec: Extract<RuleSpec, { code: 'DQ_MISSING' }>, expected: readonly MonthKey[], reported: ReadonlySet<MonthKey>, now: Instant): PeriodCheck[] {
  return expected.map((period) => {
    const deadline = reportingDeadline(period, spec.deadlineDay);
    const holds = !reported.has(period) && now > deadline;
    const facts = { deadline: new Date(deadline).toISOString(), reported: reported.has(period), ...(holds ? { overdueDays: Math.floor((now - deadline) / 86_400_000) } : {}) };
    return { period, holds, facts, points: holds ? [period] : [] };
  });
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The instant a month's values are due: 00:00 Asia/Shanghai on `day` of the following month. */
export function reportingDeadline(period: MonthKey, day: number): Instant {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return Date.UTC(y, m, day) - SHANGHAI_OFFSET_MS;
}

/** The instant a month ends in Asia/Shanghai (00:00 on the 1st of the next month). */
export function monthEnd(period: MonthKey): Instant {
  return reportingDeadline(period, 1);
}

/** The month an instant falls in, in Asia/Shanghai. */
export function monthOf(at: Instant): MonthKey {
  const d = new Date(at + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The result of replaying a warning's checks. */
export interface Replay {
  state: WarningState;
  /** Whether the last evaluation asked for a notice. */
  notify: boolean;
  /** The last month evaluated (null without checks). */
  period: MonthKey | null;
  /** The facts (with their month as `period`) of the last check that held, or of the last check. */
  facts: CheckFacts;
  /** Months named by checks that held while the warning was firing (data quality: to mark suspect). */
  firingPoints: MonthKey[];
}

/**
 * Replays the last REPLAY_MONTHS + holdPeriods − 1 checks through the debounce from its initial
 * state; each month is evaluated at `instantOf(month)` (mute windows are read at that instant).
 */
export function replayWarning(policy: WarningPolicy, checks: readonly PeriodCheck[], instantOf: (m: MonthKey) => Instant): Replay {
  const window = checks.slice(-(REPLAY_MONTHS + policy.holdPeriods - 1));
  let state = INITIAL_WARNING_STATE;
  let notify = false;
  let lastTrue: PeriodCheck | null = null;
  const firing = new Set<MonthKey>();
  for (const c of window) {
    const r = step(policy, state, c.holds, instantOf(c.period));
    state = r.state;
    notify = r.notify;
    if (c.holds) lastTrue = c;
    if (c.holds && state.status === 'firing') for (const p of c.points) firing.add(p);
  }
  const last = window.at(-1) ?? null;
  const shown = lastTrue ?? last;
  return { state, notify, period: last?.period ?? null, facts: shown ? { period: shown.period, ...shown.facts } : {}, firingPoints: [...firing].sort() };
}
