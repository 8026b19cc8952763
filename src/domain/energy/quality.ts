/**
 * Data quality of a meter's day: is the consumption believable enough to enter indicators?
 *
 * The day is a Shanghai calendar day [day, day + 24 h); the expected intervals are the grid
 * day + k·intervalMs, and an interval belongs to the slot whose grid end is nearest its `end`
 * (so a late reading still fills its slot; lateness is EQ_DRIFT's business). `intervalMs` must
 * divide 24 hours. Units: instants and durations in epoch milliseconds; consumption in the meter's
 * unit of measure; shares 0–1; the score 0–100 (unrounded).
 *
 * Rules and the choices made where the issue left room:
 * - EQ_COMPLETENESS: received ÷ expected intervals below 0.9 (`poorBelow`).
 * - EQ_GAP: one finding per run of consecutive missing slots, with its start, end and length.
 * - EQ_STUCK: a run of contiguous intervals (each starting where the previous ended) without
 *   movement, lasting ≥ N expected intervals (default 8 = 2 hours of 15-minute data): a counter
 *   whose consumption is exactly 0, an interval meter repeating exactly the same value. Only for
 *   meters that normally move (`normallyMoves`, default true: the caller knows the meter's history;
 *   a standby feeder that is often idle passes false).
 * - EQ_NEGATIVE: one finding per interval with consumption below 0.
 * - EQ_SPIKE: an interval whose rate (consumption per expected interval, so a coarse gap interval
 *   is not a spike for being long) exceeds k × the median rate of the day's intervals (default
 *   k = 5). A simple median multiple rather than a MAD rule: it reads as "five times a normal
 *   quarter-hour" to plant staff, and a MAD of 0 on flat loads would flag every wobble. It needs
 *   at least 4 intervals and a median above 0; otherwise no interval is judged.
 * - EQ_DRIFT: readings off the grid by more than a tolerance (default 1 minute on a fixed grid,
 *   including daily data; 1 day for monthly readings, see `findDrift`); one finding per day with
 *   the count and the worst offset.
 * - EQ_RECONCILE: Σ daily consumption against the month's own total, off by more than 5 % of the
 *   month's total (`reconcileMonth`, separate: it is a month's finding, not a day's).
 *
 * Score per meter-day: 100 × completeness × (1 − penalties), a penalty for each rule that found
 * something: stuck 0.25, negative 0.25, spike 0.15, drift 0.10 (gaps are already in completeness).
 * So a complete clean day is 100, an empty day 0, 85 % of the data and nothing else wrong 85, a
 * complete day with a stuck run 75, and the worst complete day 25.
 */
import { bucketStart, DAY_MS, nextBucketStart } from './buckets';
import type { Instant, Reading } from './counters';

export type QualityCode = 'EQ_COMPLETENESS' | 'EQ_GAP' | 'EQ_STUCK' | 'EQ_NEGATIVE' | 'EQ_SPIKE' | 'EQ_DRIFT' | 'EQ_RECONCILE';
/** What explains a finding, flat and serialisable. */
export type QualityFacts = Readonly<Record<string, number | string | null>>;

export interface QualityFinding {
  code: QualityCode;
  facts: QualityFacts;
}

type Span = Readonly<{ start: Instant; end: Instant; consumption: number }>;

export interface MeterDayInput {
  /** The instant the Shanghai day starts (00:00 +08:00). */
  day: Instant;
  /** The meter's expected interval; divides 24 hours. */
  intervalMs: number;
  kind: 'counter' | 'interval';
  /** The day's raw readings, for EQ_DRIFT (others are ignored). */
  readings: readonly Reading[];
  /** The day's intervals (from `intervalsFromReadings`); those whose slot is not in the day are ignored. */
  intervals: readonly Span[];
}

export interface QualityOptions {
  /** EQ_STUCK: minimum run, in expected intervals. Default 8. */
  stuckIntervals?: number;
  /** EQ_SPIKE: the multiple of the day's median rate. Default 5. */
  spikeFactor?: number;
  /** EQ_DRIFT: tolerance in ms. Default 60 000. */
  driftToleranceMs?: number;
  /** EQ_STUCK applies only to meters that normally move. Default true. */
  normallyMoves?: boolean;
  /** EQ_COMPLETENESS: completeness below this is poor. Default 0.9. */
  poorBelow?: number;
}

export interface MeterDayQuality {
  day: Instant;
  expected: number;
  received: number;
  /** received ÷ expected, 0–1. */
  completeness: number;
  poor: boolean;
  /** 0–100; see the module comment for the weights. */
  score: number;
  findings: QualityFinding[];
}

export const SCORE_PENALTIES: Readonly<Record<'EQ_STUCK' | 'EQ_NEGATIVE' | 'EQ_SPIKE' | 'EQ_DRIFT', number>> = { EQ_STUCK: 0.25, EQ_NEGATIVE: 0.25, EQ_SPIKE: 0.15, EQ_DRIFT: 0.1 };
const MIN_SPIKE_INTERVALS = 4;
/** Default EQ_DRIFT tolerances. */
export const DRIFT_TOLERANCE_GRID_MS = 60_000;
export const DRIFT_TOLERANCE_MONTH_MS = DAY_MS;

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A reading off its grid: the grid point nearest it and the signed offset (at − grid) in ms. */
export interface Drift {
  at: Instant;
  nearest: Instant;
  offsetMs: number;
}

/**
 * Readings farther than `toleranceMs` from their nearest grid point: a fixed grid anchored at
 * Shanghai midnight (`{ intervalMs }`, dividing 24 h), or Shanghai month starts (`'month'`).
 */
export function findDrift(readings: readonly Reading[], grid: { intervalMs: number } | 'month', toleranceMs?: number): Drift[] {
  const tol = toleranceMs ?? (grid === 'month' ? DRIFT_TOLERANCE_MONTH_MS : DRIFT_TOLERANCE_GRID_MS);
  if (!(tol >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${tol}`);
  if (grid !== 'month') checkInterval(grid.intervalMs);
  const out: Drift[] = [];
  for (const r of readings) {
    let nearest: Instant;
    if (grid === 'month') {
      const from = bucketStart(r.at, 'month');
      const to = nextBucketStart(from, 'month');
      nearest = r.at - from <= to - r.at ? from : to;
    } else {
      const day = bucketStart(r.at, 'day');
      nearest = day + Math.round((r.at - day) / grid.intervalMs) * grid.intervalMs;
    }
    const offsetMs = r.at - nearest;
    if (Math.abs(offsetMs) > tol) out.push({ at: r.at, nearest, offsetMs });
  }
  return out.sort((a, b) => a.at - b.at);
}

function checkInterval(intervalMs: number): void {
  if (!(Number.isInteger(intervalMs) && intervalMs > 0 && DAY_MS % intervalMs === 0)) throw new RangeError(`intervalMs must be a whole divisor of 24 hours, got ${intervalMs}`);
}

/** Quality of one meter's day: completeness, gaps, stuck runs, negatives, spikes, drift, and a 0–100 score. */
export function assessMeterDay(input: MeterDayInput, options: QualityOptions = {}): MeterDayQuality {
  const { day, intervalMs, kind } = input;
  checkInterval(intervalMs);
  if (bucketStart(day, 'day') !== day) throw new RangeError(`day must be the start of a Shanghai day, got ${day}`);
  const stuckN = options.stuckIntervals ?? 8;
  const k = options.spikeFactor ?? 5;
  const poorBelow = options.poorBelow ?? 0.9;
  if (!(stuckN >= 1)) throw new RangeError(`stuckIntervals must be ≥ 1, got ${stuckN}`);
  if (!(k > 0)) throw new RangeError(`spikeFactor must be > 0, got ${k}`);

  const expected = DAY_MS / intervalMs;
  const slotOf = (end: Instant) => Math.round((end - day) / intervalMs) - 1;
  const intervals = input.intervals.filter((x) => slotOf(x.end) >= 0 && slotOf(x.end) < expected).sort((a, b) => a.end - b.end || a.start - b.start);
  const filled = new Set(intervals.map((x) => slotOf(x.end)));
  const received = filled.size;
  const completeness = received / expected;
  const findings: QualityFinding[] = [];

  if (completeness < poorBelow) findings.push({ code: 'EQ_COMPLETENESS', facts: { received, expected, completeness, threshold: poorBelow } });

  for (let s = 0; s < expected; s++) {
    if (filled.has(s)) continue;
    let e = s;
    while (e + 1 < expected && !filled.has(e + 1)) e++;
    findings.push({ code: 'EQ_GAP', facts: { start: day + s * intervalMs, end: day + (e + 1) * intervalMs, intervals: e - s + 1 } });
    s = e;
  }

  if (options.normallyMoves ?? true) findings.push(...findStuckRuns(intervals, kind, intervalMs, stuckN));

  for (const x of intervals) if (x.consumption < 0) findings.push({ code: 'EQ_NEGATIVE', facts: { start: x.start, end: x.end, consumption: x.consumption } });

  const timed = intervals.filter((x) => x.end > x.start);
  if (timed.length >= MIN_SPIKE_INTERVALS) {
    const rates = timed.map((x) => (x.consumption * intervalMs) / (x.end - x.start));
    const med = median(rates);
    const threshold = k * med;
    if (med > 0) {
      timed.forEach((x, i) => {
        if (rates[i]! > threshold) findings.push({ code: 'EQ_SPIKE', facts: { start: x.start, end: x.end, consumption: x.consumption, rate: rates[i]!, median: med, factor: k, threshold } });
      });
    }
  }

  const tol = options.driftToleranceMs ?? DRIFT_TOLERANCE_GRID_MS;
  const drifts = findDrift(input.readings.filter((r) => r.at >= day && r.at < day + DAY_MS), { intervalMs }, tol);
  if (drifts.length > 0) {
    const worst = drifts.reduce((w, d) => (Math.abs(d.offsetMs) > Math.abs(w.offsetMs) ? d : w));
    findings.push({ code: 'EQ_DRIFT', facts: { readings: drifts.length, worstAt: worst.at, worstOffsetMs: worst.offsetMs, toleranceMs: tol } });
  }

  const penalty = (Object.keys(SCORE_PENALTIES) as (keyof typeof SCORE_PENALTIES)[]).reduce((p, code) => (findings.some((f) => f.code === code) ? p + SCORE_PENALTIES[code] : p), 0);
  return { day, expected, received, completeness, poor: completeness < poorBelow, score: 100 * completeness * (1 - penalty), findings };
}

/** EQ_STUCK runs among contiguous intervals without movement, lasting ≥ n expected intervals. */
function findStuckRuns(intervals: readonly Span[], kind: 'counter' | 'interval', intervalMs: number, n: number): QualityFinding[] {
  const out: QualityFinding[] = [];
  const still = (x: Span, prev: Span | undefined) => (kind === 'counter' ? x.consumption === 0 : prev !== undefined && prev.end === x.start && prev.consumption === x.consumption);
  let runStart = -1;
  const close = (last: number) => {
    if (runStart < 0) return;
    // An interval meter's run starts with the first of the repeated values, which `still` does not mark.
    const first = kind === 'interval' ? runStart - 1 : runStart;
    const a = intervals[first]!;
    const b = intervals[last]!;
    const length = (b.end - a.start) / intervalMs;
    if (length >= n) out.push({ code: 'EQ_STUCK', facts: { start: a.start, end: b.end, intervals: length, consumption: a.consumption } });
    runStart = -1;
  };
  intervals.forEach((x, i) => {
    const prev = i > 0 ? intervals[i - 1] : undefined;
    const contiguous = prev !== undefined && prev.end === x.start;
    if (still(x, prev)) {
      if (runStart >= 0 && !contiguous) close(i - 1);
      if (runStart < 0) runStart = i;
    } else close(i - 1);
  });
  close(intervals.length - 1);
  return out;
}

export interface Reconciliation {
  dailySum: number;
  monthTotal: number;
  /** dailySum − monthTotal. */
  difference: number;
  /** |difference| ÷ |monthTotal|; null when the month's total is 0. */
  relativeDifference: number | null;
  ok: boolean;
  finding: QualityFinding | null;
}

/** EQ_RECONCILE: Σ daily consumption against the month's own total, within `tolerance` (default 5 %) of the latter. */
export function reconcileMonth(daily: readonly number[], monthTotal: number, tolerance = 0.05): Reconciliation {
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${tolerance}`);
  const dailySum = daily.reduce((a, b) => a + b, 0);
  const difference = dailySum - monthTotal;
  const relativeDifference = monthTotal === 0 ? null : Math.abs(difference) / Math.abs(monthTotal);
  const ok = relativeDifference === null ? dailySum === 0 : relativeDifference <= tolerance;
  const finding: QualityFinding | null = ok ? null : { code: 'EQ_RECONCILE', facts: { dailySum, monthTotal, difference, relativeDifference, tolerance, days: daily.length } };
  return { dailySum, monthTotal, difference, relativeDifference, ok, finding };
}
