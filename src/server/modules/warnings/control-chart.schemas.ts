import { z } from 'zod';
import { CONTROL_CHART_CODES } from '../../../domain/warnings/rules';
import { indicatorCode } from '../indicators/indicators.schemas';
import { monthPeriod, unitCode } from '../measurements/measurements.schemas';

const ruleCodes = CONTROL_CHART_CODES as readonly string[];

export const controlChartQuery = z.strictObject({
  unit: unitCode,
  indicator: indicatorCode,
  /** Comma-separated rule codes (WE1…WE4, N1…N8); default: the indicator's control-chart warning rules, else WE1–WE4. */
  rules: z
    .string()
    .max(200)
    .regex(/^[A-Z0-9]+(,[A-Z0-9]+)*$/, 'comma-separated rule codes')
    .refine((s) => s.split(',').every((c) => ruleCodes.includes(c)), { message: `rules are ${CONTROL_CHART_CODES.join(', ')}` })
    .optional(),
  /** The months shown (the baseline and the rules still use the whole series). */
  from: monthPeriod.optional(),
  to: monthPeriod.optional(),
  /** Baseline (phase I) override; default: the indicator's control-chart rule's, else 24 months from the first value. */
  baselineFrom: monthPeriod.optional(),
  baselineMonths: z.coerce.number().int().min(2).max(120).optional(),
});
export type ControlChartQuery = z.infer<typeof controlChartQuery>;

export const controlChartResponse = z.object({
  unit: z.string(),
  indicator: z.string(),
  /** higher / lower / band: whether a signal is favourable. */
  direction: z.string(),
  rules: z.array(z.string()),
  points: z.array(
    z.object({
      period: z.string(),
      /** The reported value (submitted or approved), suspect ones included. */
      value: z.number().nullable(),
      /** Held back as suspect: shown, but left out of the limits and the rules. */
      suspect: z.boolean(),
      /** |value − previous value| of the values the rules read; null at a gap. */
      movingRange: z.number().nullable(),
      /** Part of the baseline (phase I) the limits come from. */
      baseline: z.boolean(),
    }),
  ),
  mean: z.number().nullable(),
  /** MR̄, the mean moving range of the baseline. */
  mr: z.number().nullable(),
  ucl: z.number().nullable(),
  lcl: z.number().nullable(),
  sigma: z.number().nullable(),
  baseline: z.object({ from: z.string(), to: z.string(), months: z.number().int(), source: z.enum(['query', 'rule', 'default']) }).nullable(),
  /** Why there are no limits (too short a series for the baseline). */
  note: z.string().nullable(),
  signals: z.array(
    z.object({
      rule: z.string(),
      definition: z.string(),
      /** The months that make the pattern. */
      periods: z.array(z.string()),
      /** The months at which the pattern was complete (a long run completes at several). */
      at: z.array(z.string()),
      side: z.enum(['above', 'below']).nullable(),
      /** Good news for the indicator's direction (a point below the LCL of a lower-is-better indicator); null when it has none. */
      favourable: z.boolean().nullable(),
      explanation: z.string(),
      explanationZh: z.string(),
      facts: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
    }),
  ),
});
export type ControlChart = z.infer<typeof controlChartResponse>;
