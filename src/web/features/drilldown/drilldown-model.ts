import { aggregateValue, type IndicatorDef } from '../../../domain/benchmarking/indicator-math';
import { monthsOf, parsePeriod, yearToDateMonths } from '../../../domain/benchmarking/period';
import type { MeasurementDetail } from './queries';

export type DrilldownScope = 'period' | 'ytd';

/** A number to explain: a unit's indicator for a period (a month, quarter or year), this period or year to date. */
export interface DrilldownTarget {
  unit: string;
  indicator: string;
  period: string;
  scope?: DrilldownScope;
}

/** The months a number of a period and scope is made of, counted as the scorecard counts them. */
export function windowMonths(period: string, scope: DrilldownScope = 'period'): string[] {
  const parsed = parsePeriod(period);
  if (!parsed) return [];
  return scope === 'ytd' ? yearToDateMonths(parsed) : monthsOf(parsed);
}

export const historyActions = ['save', 'save_approved', 'submit', 'approve', 'return', 'reopen'] as const;
export type HistoryAction = (typeof historyActions)[number];

/**
 * What a history entry of the drill-down API did: `measurement.save_approved (DJ_AL_OUT)` is a
 * change to the formula input DJ_AL_OUT. `action` is null for an action this page has no words for.
 */
export function parseHistoryAction(text: string): { action: HistoryAction | null; raw: string; input: string | null } {
  const match = /^(\S+)(?: \(([^)]+)\))?$/.exec(text);
  const raw = match?.[1] ?? text;
  const name = raw.replace(/^measurement\./, '');
  const action = (historyActions as readonly string[]).includes(name) ? (name as HistoryAction) : null;
  return { action, raw, input: match?.[2] ?? null };
}

type Status = NonNullable<MeasurementDetail['status']>;

/** The review state of a value made of several values: theirs when they agree, else "mixed" (as the scorecard says). */
export function combinedStatus(statuses: readonly (Status | null)[]): Status | 'mixed' | null {
  const present = [...new Set(statuses.filter((status): status is Status => status !== null))];
  if (present.length === 0) return null;
  return present.length === 1 ? present[0]! : 'mixed';
}

/** The status to show for a month's value: its own, or for a formula that of its inputs together. */
export function detailStatus(detail: MeasurementDetail): Status | 'mixed' | null {
  return detail.formula ? combinedStatus(detail.inputs.map((input) => input.status)) : detail.status;
}

/**
 * A window's value from its months' details, with the domain's own aggregation (sums add,
 * averages average, formulas divide the inputs' window totals), and the window totals of a
 * formula's inputs. A formula whose input is itself a formula has no value here: the API gives
 * the values of typed inputs only.
 */
export function windowValues(
  indicator: string,
  months: readonly string[],
  details: readonly MeasurementDetail[],
  defs: ReadonlyMap<string, IndicatorDef>,
): { value: number | null; inputs: Map<string, number | null> } {
  const data = new Map<string, Map<string, number>>();
  const put = (code: string, month: string, value: number | null) => {
    if (value === null) return;
    let series = data.get(code);
    if (!series) data.set(code, (series = new Map()));
    series.set(month, value);
  };
  for (const detail of details) {
    if (!detail.formula) put(detail.indicator, detail.period, detail.value);
    for (const input of detail.inputs) put(input.indicator, detail.period, input.value);
  }
  const inputs = new Map<string, number | null>();
  for (const code of details[0]?.inputs.map((input) => input.indicator) ?? []) inputs.set(code, aggregateValue(code, months, defs, data));
  return { value: aggregateValue(indicator, months, defs, data), inputs };
}

/** A formula with its inputs' figures in place of their codes: `DJ_DC_KWH / DJ_AL_OUT` → `268,613,271 / 20,907`. */
export function substituteFormula(formula: string, figureOf: (code: string) => string): string {
  // The same tokens the server takes for inputs: a code, without trailing dots.
  return formula.replace(/[A-Za-z_][A-Za-z0-9_.]*/g, (token) => {
    const code = token.replace(/\.+$/, '');
    return figureOf(code) + token.slice(code.length);
  });
}
