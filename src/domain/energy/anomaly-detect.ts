/**
 * Energy anomalies on one meter's daily series (issue 5, part 5): an ISO 50006 regression baseline
 * with a CUSUM of the differences (EN_DRIFT), and an individuals chart of daily consumption per tonne
 * (EN_CHART). Pure: the caller passes the days (Shanghai calendar days, 'YYYY-MM-DD') with their
 * production and consumption, and gets per-day checks to replay through the debounce, plus the
 * evidence (every day with its expected value, use per tonne and CUSUM) the anomaly view draws.
 *
 * Both watch for more use than expected only: less energy per tonne is good news, and bad data are
 * the data-quality rules' business. A day is usable when it has consumption and production > 0
 * (the caller leaves suspect days out as null); unusable days are shown but neither fitted nor checked.
 */
import { xmrLimits, evaluateRules, type RuleCode } from '../warnings/control-chart';
import { INITIAL_WARNING_STATE, step, type WarningPolicy, type WarningState } from '../warnings/debounce';
import { cusum, fitBaseline, type BaselineReason } from './baseline';

/** One day of one meter: consumption in the meter's unit, production of its unit (null: unknown or left out). */
export interface AnomalyDay {
  day: string;
  production: number | null;
  consumption: number | null;
}

export interface DriftSpec {
  /** First day of the baseline window; null = the first usable day. */
  baselineFrom: string | null;
  baselineDays: number;
  /** CUSUM allowance and decision interval, in residual standard deviations. */
  k: number;
  h: number;
  /** The least R² for the baseline to be accepted (ISO 50006: 0.75). */
  minR2: number;
}

export interface ChartSpec {
  baselineFrom: string | null;
  baselineDays: number;
  /** Run rules applied to the days after the baseline (signals above the centre line only). */
  rules: readonly RuleCode[];
}

/** What the anomaly view draws for a day. */
export interface EvidencePoint {
  day: string;
  production: number | null;
  consumption: number | null;
  /** a × production + b; null without an accepted baseline or a usable day. */
  expected: number | null;
  perTonne: number | null;
  /** Upper CUSUM in consumption units (S⁺ × σ̂); null before monitoring or on an unusable day. */
  cusum: number | null;
}

/** One monitored day's evaluation: does the condition hold, and why. */
export interface DayCheck {
  day: string;
  holds: boolean;
  facts: Readonly<Record<string, unknown>>;
}

export interface FitFacts {
  a: number | null;
  b: number | null;
  r2: number | null;
  n: number;
  residualSd: number | null;
  from: string;
  to: string;
  accepted: boolean;
  reasons: (BaselineReason | 'WINDOW_INCOMPLETE')[];
}

export interface DriftResult {
  /** The fit over the baseline window, accepted or not; null when there is no usable day at all. */
  fit: FitFacts | null;
  /** The fit when accepted (what predictions come from), else null. */
  baseline: FitFacts | null;
  /** The first monitored day (after the baseline window); null without a window. */
  monitorFrom: string | null;
  /** h · σ̂ in consumption units; null without an accepted baseline. */
  threshold: number | null;
  points: EvidencePoint[];
  checks: DayCheck[];
  /** The first monitored day the upper CUSUM exceeded h. */
  crossedOn: string | null;
}

export interface ChartResult {
  limits: { center: number; lower: number; upper: number; sigma: number; from: string; to: string } | null;
  /** Why there are no limits (too few baseline values, window not complete). */
  reason: string | null;
  monitorFrom: string | null;
  points: EvidencePoint[];
  checks: DayCheck[];
}

/** Days a drift must still show in (mean standardised residual above k) for EN_DRIFT to hold. */
export const PERSIST_DAYS = 7;

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

/** 'YYYY-MM-DD' plus n calendar days. */
export function addDay(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY).toISOString().slice(0, 10);
}

/** The instant a Shanghai day ends (00:00 of the next day, Asia/Shanghai): when its check is made. */
export function dayEnd(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d + 1) - SHANGHAI;
}

const usable = (p: AnomalyDay): p is AnomalyDay & { production: number; consumption: number } =>
  p.production !== null && p.consumption !== null && Number.isFinite(p.production) && Number.isFinite(p.consumption) && p.production > 0;

/** The baseline window [from, to] and the sorted days; null when no day is usable. */
function windowOf(days: readonly AnomalyDay[], baselineFrom: string | null, baselineDays: number): { sorted: AnomalyDay[]; from: string; to: string; complete: boolean } | null {
  if (!Number.isInteger(baselineDays) || baselineDays < 2) throw new RangeError(`baselineDays must be a whole number ≥ 2, got ${baselineDays}`);
  const sorted = [...days].sort((a, b) => a.day.localeCompare(b.day));
  const from = baselineFrom ?? sorted.find(usable)?.day ?? null;
  if (from === null) return null;
  const to = addDay(from, baselineDays - 1);
  const last = sorted.at(-1)?.day ?? from;
  return { sorted: sorted.filter((p) => p.day >= from), from, to, complete: last >= to };
}

/**
 * EN_DRIFT: fits consumption = a × production + b over the baseline window (ISO 50006, accepted
 * when R² ≥ minR2 over at least 10 usable days) and runs the upper tabular CUSUM of actual −
 * expected over the days after it. A day's condition holds when S⁺ > h and the drift is still there
 * (the mean standardised residual of the last PERSIST_DAYS usable days is above k), so a repaired
 * leak resolves instead of waiting for the sum to drain. Without an accepted baseline nothing holds.
 */
export function detectDrift(days: readonly AnomalyDay[], spec: DriftSpec): DriftResult {
  const w = windowOf(days, spec.baselineFrom, spec.baselineDays);
  if (!w) return { fit: null, baseline: null, monitorFrom: null, threshold: null, points: [], checks: [], crossedOn: null };
  const inWindow = w.sorted.filter((p) => p.day <= w.to && usable(p)) as { day: string; production: number; consumption: number }[];
  const raw = fitBaseline(inWindow, { minR2: spec.minR2 });
  const reasons: FitFacts['reasons'] = [...raw.reasons];
  if (!w.complete) reasons.push('WINDOW_INCOMPLETE');
  const fit: FitFacts = { a: raw.a, b: raw.b, r2: raw.r2, n: raw.n, residualSd: raw.residualSd, from: w.from, to: w.to, accepted: reasons.length === 0, reasons };
  const sd = fit.residualSd;
  const baseline = fit.accepted && sd !== null && sd > 0 ? fit : null;
  const monitorFrom = addDay(w.to, 1);
  const expectedOf = (p: AnomalyDay) => (baseline && usable(p) ? baseline.a! * p.production + baseline.b! : null);

  const monitored = w.sorted.filter((p) => p.day >= monitorFrom && usable(p)) as { day: string; production: number; consumption: number }[];
  const sums = baseline ? cusum(monitored, { a: baseline.a, b: baseline.b, residualSd: sd }, { k: spec.k, h: spec.h }) : null;
  const cusumByDay = new Map<string, number>();
  const checks: DayCheck[] = [];
  let crossedOn: string | null = null;
  if (sums && baseline) {
    monitored.forEach((p, i) => {
      const upper = sums.upper[i]!;
      const recent = sums.residuals.slice(Math.max(0, i - PERSIST_DAYS + 1), i + 1);
      const recentMean = recent.reduce((s, e) => s + e / sd!, 0) / recent.length;
      if (crossedOn === null && upper > spec.h) crossedOn = p.day;
      cusumByDay.set(p.day, upper * sd!);
      const holds = upper > spec.h && recentMean > spec.k;
      checks.push({
        day: p.day,
        holds,
        facts: { day: p.day, production: p.production, consumption: p.consumption, expected: p.consumption - sums.residuals[i]!, residual: sums.residuals[i]!, cusumSigma: upper, cusum: upper * sd!, threshold: spec.h * sd!, recentMeanSigma: recentMean },
      });
    });
  }
  const points = w.sorted.map((p) => ({
    day: p.day,
    production: p.production,
    consumption: p.consumption,
    expected: expectedOf(p),
    perTonne: usable(p) ? p.consumption / p.production : null,
    cusum: cusumByDay.get(p.day) ?? null,
  }));
  return { fit, baseline, monitorFrom, threshold: baseline ? spec.h * sd! : null, points, checks, crossedOn };
}

/**
 * EN_CHART: XmR limits of daily consumption per tonne over the baseline window, then the chosen run
 * rules over the days after it; a day holds when a rule completes on it above the centre line.
 */
export function detectChartShift(days: readonly AnomalyDay[], spec: ChartSpec): ChartResult {
  const w = windowOf(days, spec.baselineFrom, spec.baselineDays);
  if (!w) return { limits: null, reason: 'no usable day', monitorFrom: null, points: [], checks: [] };
  const perTonne = (p: AnomalyDay) => (usable(p) ? p.consumption / p.production : null);
  const points: EvidencePoint[] = w.sorted.map((p) => ({ day: p.day, production: p.production, consumption: p.consumption, expected: null, perTonne: perTonne(p), cusum: null }));
  const monitorFrom = addDay(w.to, 1);
  const base = w.sorted.filter((p) => p.day <= w.to).map(perTonne).filter((v): v is number => v !== null);
  const xmr = w.complete ? xmrLimits(base) : null;
  if (!xmr) return { limits: null, reason: w.complete ? 'a baseline needs at least 2 usable days' : 'the baseline window is not complete', monitorFrom, points, checks: [] };
  const monitored = w.sorted.filter((p) => p.day >= monitorFrom);
  const series = monitored.map(perTonne);
  const signals = evaluateRules(spec.rules, xmr, series).filter((s) => s.side !== 'below');
  const limits = { center: xmr.mean, lower: xmr.lcl, upper: xmr.ucl, sigma: xmr.sigma, from: w.from, to: w.to };
  const checks: DayCheck[] = [];
  monitored.forEach((p, i) => {
    const value = series[i]!;
    if (value === null) return;
    const signal = signals.find((s) => s.index === i);
    checks.push({
      day: p.day,
      holds: signal !== undefined,
      facts: { day: p.day, perTonne: value, center: xmr.mean, lower: xmr.lcl, upper: xmr.ucl, ...(signal ? { signal: signal.rule, side: signal.side, days: signal.points.map((k) => monitored[k]!.day) } : {}) },
    });
  });
  return { limits, reason: null, monitorFrom, points, checks };
}

export interface DayReplay {
  state: WarningState;
  /** Whether the last evaluation asked for a notice. */
  notify: boolean;
  /** The last day evaluated (null without checks). */
  day: string | null;
  /** Facts of the last check that held, or of the last check. */
  facts: Readonly<Record<string, unknown>>;
}

/** Replays a meter's day checks through the debounce (hold = days); each day is evaluated at its end. */
export function replayDays(policy: WarningPolicy, checks: readonly DayCheck[]): DayReplay {
  let state = INITIAL_WARNING_STATE;
  let notify = false;
  let lastTrue: DayCheck | null = null;
  for (const c of checks) {
    const r = step(policy, state, c.holds, dayEnd(c.day));
    state = r.state;
    notify = r.notify;
    if (c.holds) lastTrue = c;
  }
  const shown = lastTrue ?? checks.at(-1) ?? null;
  return { state, notify, day: checks.at(-1)?.day ?? null, facts: shown?.facts ?? {} };
}

/**
 * EN_QUALITY's day checks over the window [from, to] (both 'YYYY-MM-DD', from ≤ to): one check per
 * calendar day d, holding when at least one of `faultyDays` (meter days suspect with a data fault
 * and not confirmed, any meter; days outside the window are ignored) falls in [from, d]. Monotone:
 * the warning fires from the first faulty day and stays until the days are confirmed or corrected.
 */
export function qualityChecks(faultyDays: readonly string[], from: string, to: string): DayCheck[] {
  if (from > to) return [];
  const inWindow = [...new Set(faultyDays.filter((d) => d >= from && d <= to))].sort();
  const checks: DayCheck[] = [];
  let seen = 0;
  for (let d = from; d <= to; d = addDay(d, 1)) {
    while (seen < inWindow.length && inWindow[seen]! <= d) seen++;
    checks.push({ day: d, holds: seen > 0, facts: { day: d, firstFaultyDay: inWindow[0] !== undefined && seen > 0 ? inWindow[0] : null, faultyDaysSoFar: seen } });
  }
  return checks;
}
