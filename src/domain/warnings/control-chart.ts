/**
 * Individuals (XmR) control charts and the Western Electric and Nelson run rules.
 *
 * Limits come from a frozen baseline (phase I) and are applied to a monitored series (phase II);
 * the rules read only `mean`, `ucl` and `lcl`, so limits stored earlier or set by hand work too.
 *
 * Conventions, the same for every rule (Nelson, JQT 1984; numerics.net's rule notes):
 * - Zones are thirds of the distance from the centre line to each control limit, so "beyond 3σ"
 *   is exactly "outside the limits" (2.66 is 3/1.128 rounded, so (ucl − mean)/3 and `sigma`
 *   differ by 0.02 %; the rules use the former, DQ_JUMP the latter).
 * - "Beyond kσ" is strict: a point exactly on a zone line is within that zone, not beyond it.
 *   "Within 1σ" (N7) is the complement of "beyond 1σ" (N8), so every point is one or the other.
 * - A point exactly on the centre line is on neither side: it breaks a same-side run (WE4, N2).
 * - N3 "continually increasing": each point strictly above the one before; an equal pair breaks
 *   the trend. N4 "alternate in direction": each change strictly reverses the previous one; an
 *   equal pair is no direction and breaks the alternation.
 * - A missing period (null, or a non-finite number) breaks every run: WE4, N2, N3, N4, N7 and N8
 *   need their points in consecutive periods, all present. For the k-of-m rules (WE2/N5, WE3/N6)
 *   the non-beyond point(s) may be anywhere, so a missing period in the window (or a period before
 *   the series starts) simply does not count as beyond: the pattern holds whatever its value was.
 * - A signal is reported at every point that completes a pattern (a run of 10 above the line gives
 *   WE4 at its 8th, 9th and 10th point), so "did this rule fire at the latest period" is a lookup.
 *   For k-of-m rules the completing point must itself be beyond: [A, A, ·] fires at the second A
 *   only.
 * - A baseline without variation (MR̄ = 0) gives zero-width limits, so every point off the centre
 *   line is beyond 3σ; DQ_STUCK on the baseline tells whether such limits deserve trust.
 */

/** The XmR constants: E2 = 3/d2 for moving ranges of 2, and d2 itself. */
const E2 = 2.66;
const D2 = 1.128;
/** Nelson (JQT 1982): moving ranges above 3.5·MR̄ are special causes, not common variation. */
const MR_SCREEN = 3.5;

/** Individuals-chart limits from a baseline. */
export interface XmrLimits {
  mean: number;
  /** Mean moving range (of consecutive baseline values). */
  mrBar: number;
  ucl: number;
  lcl: number;
  /** σ̂ = MR̄ / d2 = MR̄ / 1.128. */
  sigma: number;
}

export type Side = 'above' | 'below';
/** What explains a signal, flat and serialisable (values, limits, counts, periods). */
export type Facts = Readonly<Record<string, number | string | null>>;

/** One finding: which rule, the point that completed it, the points involved and why. */
export interface Signal<Code extends string = string> {
  rule: Code;
  index: number;
  /** Indices of the points that make the pattern, ascending, ending with `index`. */
  points: number[];
  side: Side | null;
  facts: Facts;
}

/** A value per consecutive period; null for a period with no value. */
export type Series = readonly (number | null)[];

export type RuleCode = 'WE1' | 'WE2' | 'WE3' | 'WE4' | 'N1' | 'N2' | 'N3' | 'N4' | 'N5' | 'N6' | 'N7' | 'N8';

export const WESTERN_ELECTRIC_RULES: readonly RuleCode[] = ['WE1', 'WE2', 'WE3', 'WE4'];
export const NELSON_RULES: readonly RuleCode[] = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'];

/** The value of a period when it has a usable one. */
export function valueAt(series: Series, i: number): number | null {
  const v = series[i];
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

const average = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * XmR limits from a baseline of at least two finite values (null otherwise): mean ± 2.66·MR̄.
 * With `screenRanges`, moving ranges above 3.5·MR̄ are left out and MR̄ is computed again once.
 */
export function xmrLimits(baseline: readonly number[], options: { screenRanges?: boolean } = {}): XmrLimits | null {
  if (baseline.length < 2 || !baseline.every((x) => Number.isFinite(x))) return null;
  const mean = average(baseline);
  const ranges = baseline.slice(1).map((x, i) => Math.abs(x - baseline[i]!));
  let mrBar = average(ranges);
  // At least one range is ≤ the mean of all of them, so the screened list is never empty.
  if (options.screenRanges) mrBar = average(ranges.filter((r) => r <= MR_SCREEN * mrBar));
  return { mean, mrBar, ucl: mean + E2 * mrBar, lcl: mean - E2 * mrBar, sigma: mrBar / D2 };
}

/** The zone lines at 1σ, 2σ and 3σ above and below the centre line (3σ is the control limit). */
export function zoneLines(limits: Pick<XmrLimits, 'mean' | 'ucl' | 'lcl'>): { above: readonly [number, number, number]; below: readonly [number, number, number] } {
  const up = limits.ucl - limits.mean;
  const down = limits.mean - limits.lcl;
  return {
    above: [limits.mean + up / 3, limits.mean + (2 * up) / 3, limits.ucl],
    below: [limits.mean - down / 3, limits.mean - (2 * down) / 3, limits.lcl],
  };
}

type Lines = ReturnType<typeof zoneLines>;
type Sigmas = 1 | 2 | 3;

/** The side on which a value is strictly beyond the kσ line, or null when it is not. */
function beyond(lines: Lines, v: number, sigmas: Sigmas): Side | null {
  const at = (sigmas - 1) as 0 | 1 | 2;
  if (v > lines.above[at]) return 'above';
  if (v < lines.below[at]) return 'below';
  return null;
}

function sideOf(mean: number, v: number): Side | null {
  if (v > mean) return 'above';
  if (v < mean) return 'below';
  return null;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, j) => from + j);

/** How many σ-zones from the centre a value lies (signed), null for zero-width limits. */
function zonesFromCentre(limits: Pick<XmrLimits, 'mean' | 'ucl' | 'lcl'>, v: number): number | null {
  const width = v >= limits.mean ? (limits.ucl - limits.mean) / 3 : (limits.mean - limits.lcl) / 3;
  return width > 0 ? (v - limits.mean) / width : null;
}

type Check = (limits: XmrLimits, series: Series) => Signal<RuleCode>[];

/** WE1 / N1: one point beyond a control limit. */
function findBeyondLimits(rule: RuleCode): Check {
  return (limits, series) => {
    const lines = zoneLines(limits);
    const out: Signal<RuleCode>[] = [];
    for (let i = 0; i < series.length; i++) {
      const v = valueAt(series, i);
      const side = v === null ? null : beyond(lines, v, 3);
      if (v === null || side === null) continue;
      out.push({ rule, index: i, points: [i], side, facts: { value: v, limit: side === 'above' ? limits.ucl : limits.lcl, mean: limits.mean, distanceSigmas: zonesFromCentre(limits, v) } });
    }
    return out;
  };
}

/** WE2 / N5 and WE3 / N6: k of m consecutive periods beyond the σ line, on the completing point's side. */
function findKOfM(rule: RuleCode, k: number, m: number, sigmas: Sigmas): Check {
  return (limits, series) => {
    const lines = zoneLines(limits);
    const out: Signal<RuleCode>[] = [];
    for (let i = 0; i < series.length; i++) {
      const v = valueAt(series, i);
      const side = v === null ? null : beyond(lines, v, sigmas);
      if (side === null) continue;
      const from = Math.max(0, i - m + 1);
      const points = range(from, i).filter((j) => {
        const w = valueAt(series, j);
        return w !== null && beyond(lines, w, sigmas) === side;
      });
      if (points.length < k) continue;
      const line = (side === 'above' ? lines.above : lines.below)[(sigmas - 1) as 0 | 1 | 2];
      out.push({ rule, index: i, points, side, facts: { beyond: points.length, required: k, window: m, sigmas, line, windowStart: from } });
    }
    return out;
  };
}

/**
 * The length of the run ending at each index: `next` gets a present value and the run ending at
 * the period before (0 when none) and says how long the run ending here is; a missing value is 0.
 */
function runLengths(series: Series, next: (i: number, v: number, before: number) => number): number[] {
  const runs: number[] = [];
  for (let i = 0; i < series.length; i++) {
    const v = valueAt(series, i);
    runs.push(v === null ? 0 : next(i, v, i > 0 ? runs[i - 1]! : 0));
  }
  return runs;
}

/** One signal per index where a run reaches `length`, over the last `length` points. */
function signalRuns(runs: readonly number[], length: number, make: (i: number, points: number[], runLength: number) => Signal<RuleCode> | null): Signal<RuleCode>[] {
  const out: Signal<RuleCode>[] = [];
  runs.forEach((run, i) => {
    const s = run >= length ? make(i, range(i - length + 1, i), run) : null;
    if (s) out.push(s);
  });
  return out;
}

/** WE4 (8) / N2 (9): a run of points on the same side of the centre line. */
function findSameSideRun(rule: RuleCode, length: number): Check {
  return (limits, series) => {
    const sides = series.map((_, i) => {
      const v = valueAt(series, i);
      return v === null ? null : sideOf(limits.mean, v);
    });
    const runs = runLengths(series, (i, _v, before) => (sides[i] === null ? 0 : before > 0 && sides[i - 1] === sides[i] ? before + 1 : 1));
    return signalRuns(runs, length, (i, points, runLength) => ({ rule, index: i, points, side: sides[i]!, facts: { length, runLength, mean: limits.mean } }));
  };
}

/** N3: six points in a row, each strictly above (or each strictly below) the one before. */
function findTrend(rule: RuleCode, length: number): Check {
  return (_limits, series) => {
    const signals = (['increasing', 'decreasing'] as const).flatMap((direction) => {
      const runs = runLengths(series, (i, v, before) => {
        const prev = before > 0 ? valueAt(series, i - 1)! : null;
        return prev !== null && (direction === 'increasing' ? v > prev : v < prev) ? before + 1 : 1;
      });
      return signalRuns(runs, length, (i, points, runLength) => ({ rule, index: i, points, side: null, facts: { length, runLength, direction, first: valueAt(series, points[0]!), last: valueAt(series, i) } }));
    });
    return signals.sort((a, b) => a.index - b.index);
  };
}

/** N4: fourteen points in a row going up and down in turn; an unchanged value breaks the run. */
function findAlternation(rule: RuleCode, length: number): Check {
  return (_limits, series) => {
    // The direction of the change into period i: +1, −1, or 0 when unchanged or a value is missing.
    const change = (i: number): number => {
      const a = i > 0 ? valueAt(series, i - 1) : null;
      const b = valueAt(series, i);
      return a === null || b === null ? 0 : Math.sign(b - a);
    };
    const runs = runLengths(series, (i, _v, before) => {
      if (change(i) === 0) return 1;
      // A change reversing the change before continues the run (which then has at least two
      // points); any other change starts a new pair.
      return change(i - 1) === -change(i) ? before + 1 : 2;
    });
    return signalRuns(runs, length, (i, points, runLength) => ({ rule, index: i, points, side: null, facts: { length, runLength } }));
  };
}

/** N7 (15 within 1σ) and N8 (8 with none within 1σ, on both sides). */
function findZoneRun(rule: RuleCode, length: number, kind: 'within' | 'outside'): Check {
  return (limits, series) => {
    const lines = zoneLines(limits);
    const facts = { length, lineAbove: lines.above[0], lineBelow: lines.below[0] };
    const runs = runLengths(series, (_i, v, before) => ((beyond(lines, v, 1) !== null) === (kind === 'outside') ? before + 1 : 0));
    return signalRuns(runs, length, (i, points, runLength) => {
      if (kind === 'within') return { rule, index: i, points, side: null, facts: { ...facts, runLength } };
      const above = points.filter((j) => beyond(lines, valueAt(series, j)!, 1) === 'above').length;
      const below = length - above;
      return above > 0 && below > 0 ? { rule, index: i, points, side: null, facts: { ...facts, runLength, above, below } } : null;
    });
  };
}

/** Every rule by its stable code, with the definition it implements. */
export const RULES: Readonly<Record<RuleCode, { definition: string; check: Check }>> = {
  WE1: { definition: 'One point beyond 3σ (outside a control limit)', check: findBeyondLimits('WE1') },
  WE2: { definition: '2 of 3 consecutive points beyond 2σ on the same side', check: findKOfM('WE2', 2, 3, 2) },
  WE3: { definition: '4 of 5 consecutive points beyond 1σ on the same side', check: findKOfM('WE3', 4, 5, 1) },
  WE4: { definition: '8 consecutive points on the same side of the centre line', check: findSameSideRun('WE4', 8) },
  N1: { definition: 'One point more than 3σ from the mean', check: findBeyondLimits('N1') },
  N2: { definition: 'Nine points in a row on the same side of the mean', check: findSameSideRun('N2', 9) },
  N3: { definition: 'Six points in a row continually increasing or decreasing', check: findTrend('N3', 6) },
  N4: { definition: 'Fourteen points in a row alternating up and down', check: findAlternation('N4', 14) },
  N5: { definition: '2 of 3 points in a row more than 2σ from the mean on the same side', check: findKOfM('N5', 2, 3, 2) },
  N6: { definition: '4 of 5 points in a row more than 1σ from the mean on the same side', check: findKOfM('N6', 4, 5, 1) },
  N7: { definition: 'Fifteen points in a row within 1σ of the mean, on either side', check: findZoneRun('N7', 15, 'within') },
  N8: { definition: 'Eight points in a row none within 1σ of the mean, with points on both sides', check: findZoneRun('N8', 8, 'outside') },
};

/** Runs the chosen rules (each once) and returns their signals ordered by index, then by rule order. */
export function evaluateRules(codes: readonly RuleCode[], limits: XmrLimits, series: Series): Signal<RuleCode>[] {
  const signals = [...new Set(codes)].flatMap((code) => RULES[code].check(limits, series));
  return signals.sort((a, b) => a.index - b.index);
}
