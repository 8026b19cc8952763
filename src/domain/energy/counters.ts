/**
 * Interval consumption from a meter's readings: the arithmetic of registers.
 *
 * Units: `at`, `start` and `end` are instants in epoch milliseconds; `value` is in the meter's own
 * register unit (what the display shows, e.g. kWh before the CT/PT ratio); `consumption` is
 * value × multiplier, in the meter's unit of measure (e.g. kWh at the primary side). Nothing is
 * rounded: registers are float64 and sums must reconcile.
 *
 * Rules (the result depends only on the set of readings, never on their arrival order):
 * - Readings are sorted by `at`; exact duplicates (same `at`, same value) are one reading (a resend
 *   never counts twice). Two different values for the same `at` are a conflict: that instant is
 *   reported and left out (treated as missing), never guessed.
 * - Counter: consumption = (v₂ − v₁) × multiplier. A decrease is a rollover when the meter has a
 *   rollover (the modulus M: the register shows 0 … M − 1 and then wraps) and the wrapped advance
 *   M − v₁ + v₂ is plausible, that is 0 < M − v₁ + v₂ < M / 2 (a meter that advanced more than half
 *   its range between two readings is less likely than a reset). Otherwise it is a reset: the
 *   register restarted at 0, so the advance is v₂.
 * - Replacement at instant t: readings at or after t come from the new meter. The interval
 *   (p, c] with p.at < t ≤ c.at counts (oldFinal − v₁) + (v₂ − newInitial), each leg judged by the
 *   rollover/reset rule above; several replacements inside one interval chain the same way.
 * - Interval meter: a reading's value IS the consumption of the interval ending at `at`. The
 *   interval starts at `at − intervalMs` when the meter has an expected interval, else at the
 *   previous reading's `at` (so without `intervalMs` the first reading only opens the series, as a
 *   counter's first reading does). Rollover and replacements do not apply to interval meters.
 * - Flags: 'negative' when an interval's consumption is below 0; 'gap' when an interval is longer
 *   than 1.5 × intervalMs (only when `intervalMs` is given). A gap is still counted: the
 *   consumption is real, only its timing is coarse.
 */

/** Milliseconds since the Unix epoch. */
export type Instant = number;

/** One register reading as received. */
export interface Reading {
  at: Instant;
  value: number;
}

/** A meter exchange: the old register's last value and the new register's first value. */
export interface Replacement {
  at: Instant;
  oldFinal: number;
  newInitial: number;
}

/** What the arithmetic needs to know about a meter. */
export interface MeterSpec {
  kind: 'counter' | 'interval';
  /** The modulus: the register shows 0 … rollover − 1, then wraps; null when it never wraps. */
  rollover: number | null;
  /** CT/PT ratio (≥ 0): consumption = register advance × multiplier. */
  multiplier: number;
  replacements: readonly Replacement[];
  /** The expected interval between readings (e.g. 900 000 for 15 minutes), when known. */
  intervalMs?: number | null;
}

export type IntervalFlag = 'rollover' | 'reset' | 'replacement' | 'negative' | 'gap';

/** Consumption over (start, end]. */
export interface Interval {
  start: Instant;
  end: Instant;
  consumption: number;
  /** In the fixed order replacement, rollover, reset, negative, gap; each at most once. */
  flags: IntervalFlag[];
}

/** Different values received for one instant; `values` distinct and ascending. */
export interface ReadingConflict {
  at: Instant;
  values: number[];
}

export interface IntervalResult {
  intervals: Interval[];
  conflicts: ReadingConflict[];
}

const FLAG_ORDER: readonly IntervalFlag[] = ['replacement', 'rollover', 'reset', 'negative', 'gap'];
/** An interval longer than this many expected intervals is a gap. */
export const GAP_FACTOR = 1.5;

/** Sorts by instant, merges exact duplicates and separates same-instant conflicts. */
export function normaliseReadings(readings: readonly Reading[]): { readings: Reading[]; conflicts: ReadingConflict[] } {
  for (const r of readings) {
    if (!Number.isFinite(r.at) || !Number.isFinite(r.value)) throw new RangeError(`a reading needs a finite instant and value, got at=${r.at} value=${r.value}`);
  }
  const sorted = [...readings].sort((x, y) => x.at - y.at || x.value - y.value);
  const out: Reading[] = [];
  const conflicts: ReadingConflict[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    const values: number[] = [];
    while (j < sorted.length && sorted[j]!.at === sorted[i]!.at) {
      const v = sorted[j]!.value;
      if (values.length === 0 || values[values.length - 1] !== v) values.push(v);
      j++;
    }
    if (values.length === 1) out.push({ at: sorted[i]!.at, value: values[0]! });
    else conflicts.push({ at: sorted[i]!.at, values });
    i = j;
  }
  return { readings: out, conflicts };
}

/** How far a register advanced from `from` to `to`, in register units, and how that was judged. */
export function registerAdvance(from: number, to: number, rollover: number | null): { advance: number; flag: 'rollover' | 'reset' | null } {
  if (to >= from) return { advance: to - from, flag: null };
  if (rollover !== null) {
    const wrapped = rollover - from + to;
    if (wrapped > 0 && wrapped < rollover / 2) return { advance: wrapped, flag: 'rollover' };
  }
  return { advance: to, flag: 'reset' };
}

function checkMeter(meter: MeterSpec): void {
  if (!Number.isFinite(meter.multiplier) || meter.multiplier < 0) throw new RangeError(`multiplier must be finite and ≥ 0, got ${meter.multiplier}`);
  if (meter.rollover !== null && !(Number.isFinite(meter.rollover) && meter.rollover > 0)) throw new RangeError(`rollover must be null or finite and > 0, got ${meter.rollover}`);
  const ms = meter.intervalMs ?? null;
  if (ms !== null && !(Number.isFinite(ms) && ms > 0)) throw new RangeError(`intervalMs must be finite and > 0, got ${ms}`);
  for (const r of meter.replacements) {
    if (![r.at, r.oldFinal, r.newInitial].every(Number.isFinite)) throw new RangeError(`a replacement needs finite at, oldFinal and newInitial`);
  }
}

function ordered(flags: ReadonlySet<IntervalFlag>): IntervalFlag[] {
  return FLAG_ORDER.filter((f) => flags.has(f));
}

/** Interval consumption from a meter's readings (any order, duplicates allowed); see the module rules. */
export function intervalsFromReadings(readings: readonly Reading[], meter: MeterSpec): IntervalResult {
  checkMeter(meter);
  const { readings: rs, conflicts } = normaliseReadings(readings);
  const intervalMs = meter.intervalMs ?? null;
  const replacements = [...meter.replacements].sort((x, y) => x.at - y.at);
  const intervals: Interval[] = [];

  const finish = (start: Instant, end: Instant, advance: number, flags: Set<IntervalFlag>) => {
    const consumption = advance * meter.multiplier;
    if (consumption < 0) flags.add('negative');
    if (intervalMs !== null && end - start > GAP_FACTOR * intervalMs) flags.add('gap');
    intervals.push({ start, end, consumption, flags: ordered(flags) });
  };

  if (meter.kind === 'interval') {
    rs.forEach((r, i) => {
      const start = intervalMs !== null ? r.at - intervalMs : i > 0 ? rs[i - 1]!.at : null;
      if (start !== null) finish(start, r.at, r.value, new Set());
    });
    return { intervals, conflicts };
  }

  let k = 0; // first replacement not yet passed
  for (let i = 1; i < rs.length; i++) {
    const p = rs[i - 1]!;
    const c = rs[i]!;
    while (k < replacements.length && replacements[k]!.at <= p.at) k++;
    const flags = new Set<IntervalFlag>();
    let from = p.value;
    let advance = 0;
    while (k < replacements.length && replacements[k]!.at <= c.at) {
      const rep = replacements[k]!;
      const leg = registerAdvance(from, rep.oldFinal, meter.rollover);
      advance += leg.advance;
      if (leg.flag) flags.add(leg.flag);
      flags.add('replacement');
      from = rep.newInitial;
      k++;
    }
    const last = registerAdvance(from, c.value, meter.rollover);
    advance += last.advance;
    if (last.flag) flags.add(last.flag);
    finish(p.at, c.at, advance, flags);
  }
  return { intervals, conflicts };
}
