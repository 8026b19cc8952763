/**
 * Verified closure: a problem raised from a data gap counts as verified only when the data show the
 * gap closed for N periods in a row (default 2). Each month after the gap period is checked with
 * the rule that raised the problem: true = the condition is still present, false = good,
 * null = no data for that month. Missing data never count as good.
 */
import type { MonthKey } from '../benchmarking/period';

export const DEFAULT_VERIFY_PERIODS = 2;

export interface PeriodResult {
  period: MonthKey;
  /** true: the condition is still present; false: good; null: no data. */
  holds: boolean | null;
}

export interface VerificationOutcome {
  verified: boolean;
  /** Good months at the end of the checked data (months without data skipped). */
  goodRun: number;
  required: number;
  /** The months of that run. */
  goodPeriods: MonthKey[];
  /** The last month with data, or null when no month after the gap has data. */
  lastChecked: MonthKey | null;
}

/**
 * Decides from the monthly results after the gap period, oldest first. Months without data are
 * skipped: they neither count as good nor break the run (so a late report can only help, and a
 * missing month can never turn a refuted closure into a verified one). Verified when the latest
 * `required` months with data are all good.
 */
export function verifyGapClosed(results: readonly PeriodResult[], required: number = DEFAULT_VERIFY_PERIODS): VerificationOutcome {
  const n = Math.max(1, Math.floor(required));
  const withData = results.filter((r) => r.holds !== null);
  const goodPeriods: MonthKey[] = [];
  for (let i = withData.length - 1; i >= 0 && withData[i]!.holds === false; i--) goodPeriods.unshift(withData[i]!.period);
  return { verified: goodPeriods.length >= n, goodRun: goodPeriods.length, required: n, goodPeriods, lastChecked: withData.at(-1)?.period ?? null };
}
