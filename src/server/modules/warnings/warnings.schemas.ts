import { z } from 'zod';
import { CONTROL_CHART_CODES, DEFAULT_LIGHTS, WARNING_RULE_CODES } from '../../../domain/warnings/rules';
import { isoDateTime } from '../../schemas';
import { chartParams, driftParams, ENERGY_RULE_CODES, qualityDefaults, qualityParams } from '../energy/anomalies.schemas';
import { indicatorCode } from '../indicators/indicators.schemas';
import { monthPeriod, unitCode } from '../measurements/measurements.schemas';

export const warningStates = ['inactive', 'pending', 'firing', 'resolved'] as const;
/** The monthly rules of domain/warnings/rules.ts and the energy anomalies (daily, per meter). */
const allRuleCodes: readonly string[] = [...WARNING_RULE_CODES, ...ENERGY_RULE_CODES];
export const warningRuleCodes = allRuleCodes as readonly [string, ...string[]];

// ---- rule parameters, one schema per code (the single source for validation and OpenAPI) ------

const months = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);

const targetParams = z.strictObject({
  /** Ordered; the first light whose condition the value meets is the value's light. */
  lights: z
    .array(z.strictObject({ light: z.enum(['green', 'yellow', 'red']), when: z.enum(['stretch', 'attained', 'floor', 'any']) }))
    .min(1)
    .max(6)
    .default(() => DEFAULT_LIGHTS.map((l) => ({ ...l }))),
});
const gapParams = z.strictObject({ periods: months(2, 12, 3) });
const controlChartParams = z.strictObject({
  baselineMonths: months(6, 120, 24),
  /** The baseline's first month; null = the series' first month with a value. */
  baselineFrom: monthPeriod.nullable().default(null),
  /** Leave moving ranges above 3.5·MR̄ out of MR̄ (special causes in the baseline). */
  screenRanges: z.boolean().default(false),
});
const emptyParams = z.strictObject({});
const stuckParams = z.strictObject({ periods: months(2, 24, 3) });
const jumpParams = z.strictObject({ k: z.number().finite().gt(0).max(10).default(3), baselineMonths: months(6, 120, 24) });
const missingParams = z.strictObject({
  /** Values of a month are due on this day of the following month (Asia/Shanghai). */
  deadlineDay: z.number().int().min(1).max(28).default(10),
  lookbackMonths: months(1, 24, 3),
});

const muteWindow = z
  .strictObject({ from: isoDateTime, to: isoDateTime })
  .refine((w) => Date.parse(w.from) < Date.parse(w.to), { message: 'a mute window ends after it starts (from < to)' });

/** What every rule has besides its code and parameters. */
const ruleFields = {
  holdPeriods: z.number().int().min(1).max(24).default(1),
  notify: z.enum(['once', 'every']).default('once'),
  mute: z.array(muteWindow).max(50).default([]),
  enabled: z.boolean().default(true),
  sortOrder: z.number().int().min(-1_000_000).max(1_000_000).default(0),
};

/** `code` with its own `params`: a discriminated union, so a wrong parameter names its code. */
function ruleVariants<T extends Record<string, z.ZodType>>(extra: T) {
  const variant = <C extends z.ZodType, P extends z.ZodType>(code: C, params: P) => z.strictObject({ code, params, ...ruleFields, ...extra });
  return z.discriminatedUnion('code', [
    variant(z.literal('TARGET'), targetParams.default({ lights: DEFAULT_LIGHTS.map((l) => ({ ...l })) })),
    variant(z.literal('GAP_WIDENING'), gapParams.default({ periods: 3 })),
    variant(z.enum(CONTROL_CHART_CODES as readonly [string, ...string[]]), controlChartParams.default({ baselineMonths: 24, baselineFrom: null, screenRanges: false })),
    variant(z.literal('DQ_RANGE'), emptyParams.default({})),
    variant(z.literal('DQ_STUCK'), stuckParams.default({ periods: 3 })),
    variant(z.literal('DQ_JUMP'), jumpParams.default({ k: 3, baselineMonths: 24 })),
    variant(z.literal('DQ_MISSING'), missingParams.default({ deadlineDay: 10, lookbackMonths: 3 })),
    // Energy anomalies name their meter, so their parameters have no default as a whole.
    variant(z.literal('EN_DRIFT'), driftParams),
    variant(z.literal('EN_CHART'), chartParams),
    // EN_QUALITY watches a unit's meter data: the unit is required (checked by the service).
    variant(z.literal('EN_QUALITY'), qualityParams.default({ ...qualityDefaults })),
  ]);
}

export const createRuleBody = ruleVariants({ indicator: indicatorCode, unit: unitCode.nullable().default(null) });
export type CreateRuleBody = z.infer<typeof createRuleBody>;
/** A whole rule but its indicator and unit; `code` must stay the rule's code. */
export const putRuleBody = ruleVariants({ version: z.number().int().min(1) });
export type PutRuleBody = z.infer<typeof putRuleBody>;

export const ruleSchema = z.object({
  id: z.string(),
  indicator: z.string(),
  /** null: every unit reporting the indicator. */
  unit: z.string().nullable(),
  code: z.enum(warningRuleCodes),
  params: z.record(z.string(), z.unknown()),
  /** The rule in words (also stored in each warning's facts). */
  definition: z.string(),
  holdPeriods: z.number().int(),
  notify: z.enum(['once', 'every']),
  mute: z.array(z.object({ from: z.string(), to: z.string() })),
  enabled: z.boolean(),
  sortOrder: z.number().int(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type WarningRule = z.infer<typeof ruleSchema>;
export const ruleList = z.object({ items: z.array(ruleSchema) });
export const ruleQuery = z.strictObject({ indicator: indicatorCode.optional() });
export const ruleParams = z.strictObject({ id: z.uuid() });

// ---- warnings -------------------------------------------------------------------------------

export const warningSchema = z.object({
  id: z.string(),
  unit: z.string(),
  indicator: z.string(),
  /** The rule's code: TARGET, GAP_WIDENING, WE1…WE4, N1…N8, DQ_RANGE, DQ_STUCK, DQ_JUMP, DQ_MISSING, EN_DRIFT, EN_CHART, EN_QUALITY. */
  rule: z.enum(warningRuleCodes),
  ruleId: z.string(),
  state: z.enum(warningStates),
  /** When the current state began (the evaluated month's end, or the confirmation). */
  since: z.string().nullable(),
  /** The latest month evaluated. */
  period: z.string().nullable(),
  /** Why: the values, limits or levels, the months named, and the rule in words. */
  facts: z.record(z.string(), z.unknown()),
  /** Months whose values this warning holds back as suspect until confirmed or corrected. */
  suspectPeriods: z.array(z.string()),
  notifiedAt: z.string().nullable(),
  confirmedBy: z.string().nullable(),
  confirmedReason: z.string().nullable(),
  version: z.number().int(),
});
export type Warning = z.infer<typeof warningSchema>;
export const warningList = z.object({ rows: z.array(warningSchema) });
/** Without `state`: every warning that is not inactive. */
export const warningQuery = z.strictObject({ unit: unitCode.optional(), indicator: indicatorCode.optional(), state: z.enum(warningStates).optional() });
export const warningParams = z.strictObject({ id: z.uuid() });
export const confirmBody = z.strictObject({ reason: z.string().trim().min(1).max(1000), version: z.number().int().min(1) });

/** Nothing to say: the scan reads every enabled rule (an empty object, or no body). */
export const scanBody = z.strictObject({}).nullish();
export const scanResult = z.object({
  at: z.string(),
  rules: z.number().int(),
  evaluated: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  firing: z.number().int(),
  pending: z.number().int(),
  resolved: z.number().int(),
  /** Values newly marked suspect by firing data-quality warnings. */
  suspectMarked: z.number().int(),
  notified: z.number().int(),
});
export type ScanResult = z.infer<typeof scanResult>;
