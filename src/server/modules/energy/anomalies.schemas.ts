import { z } from 'zod';
import { CONTROL_CHART_CODES } from '../../../domain/warnings/rules';
import { isoDate } from '../../schemas';
import { unitCode } from '../measurements/measurements.schemas';
import { CARRIERS, meterCode } from './energy.schemas';

/**
 * The warning rule codes of energy anomalies (warning_rules.code; see 20261126T0910-energy-anomalies.sql):
 * EN_DRIFT and EN_CHART watch one meter, EN_QUALITY the meter data of a unit (its suspect days).
 */
export const ENERGY_RULE_CODES = ['EN_DRIFT', 'EN_CHART', 'EN_QUALITY'] as const;
export type EnergyRuleCode = (typeof ENERGY_RULE_CODES)[number];
/** The energy rules that name a meter in their parameters. */
export type MeterRuleCode = Exclude<EnergyRuleCode, 'EN_QUALITY'>;
/** Whether a warning rule code is an energy rule (evaluated per day by anomalies.service.ts, not by the monthly scan). */
export function isEnergyRule(code: string): code is EnergyRuleCode {
  return (ENERGY_RULE_CODES as readonly string[]).includes(code);
}

const baselineFields = {
  meter: meterCode,
  /** The baseline window's first day (Asia/Shanghai); null = the meter's first usable day. */
  baselineFrom: isoDate.nullable().default(null),
  baselineDays: z.number().int().min(14).max(366).default(56),
};

/** EN_DRIFT: ISO 50006 regression baseline over `baselineDays` days, then an upper CUSUM (k, h in σ̂). */
export const driftParams = z.strictObject({
  ...baselineFields,
  k: z.number().finite().min(0).max(5).default(0.5),
  h: z.number().finite().gt(0).max(50).default(5),
  minR2: z.number().finite().min(0.5).max(1).default(0.75),
});
export type DriftParams = z.infer<typeof driftParams>;
export const driftDefaults = { baselineFrom: null, baselineDays: 56, k: 0.5, h: 5, minR2: 0.75 } as const;

/** EN_CHART: XmR limits of daily use per tonne over the baseline, run rules after it (signals above only). */
export const chartParams = z.strictObject({
  ...baselineFields,
  rules: z
    .array(z.enum(CONTROL_CHART_CODES as readonly [string, ...string[]]))
    .min(1)
    .max(CONTROL_CHART_CODES.length)
    .refine((r) => new Set(r).size === r.length, { message: 'each run rule once' })
    .default(['WE1', 'WE2']),
});
export type ChartParams = z.infer<typeof chartParams>;
export const chartDefaults = { baselineFrom: null, baselineDays: 56, rules: ['WE1', 'WE2'] } as const;

/**
 * EN_QUALITY: the unit's meter days (the unit and the units below it) that are suspect with a data
 * fault (EQ_STUCK, EQ_NEGATIVE, EQ_SPIKE) and not confirmed, over the last `lookbackDays` days with data.
 */
export const qualityParams = z.strictObject({ lookbackDays: z.number().int().min(1).max(92).default(31) });
export type QualityParams = z.infer<typeof qualityParams>;
export const qualityDefaults = { lookbackDays: 31 } as const;

// ---- GET /api/energy/anomalies ----------------------------------------------------------------

export const anomalyStates = ['pending', 'firing', 'resolved'] as const;
/** Without `state`: pending, firing and resolved; `inactive` lists the rules that watch and found nothing (or have no baseline). */
export const anomalyQuery = z.strictObject({ unit: unitCode.optional(), state: z.enum(['inactive', ...anomalyStates]).optional() });
export const anomalyParams = z.strictObject({ id: z.uuid() });

export const anomalyPoint = z.object({
  day: z.string(),
  production: z.number().nullable(),
  consumption: z.number().nullable(),
  /** a × production + b of the accepted baseline; null without one. */
  expected: z.number().nullable(),
  perTonne: z.number().nullable(),
  /** Upper CUSUM in consumption units; null before monitoring. */
  cusum: z.number().nullable(),
});

/** One meter of an EN_QUALITY warning: its suspect days not confirmed and the fault codes found on them. */
export const qualityMeter = z.object({ meter: z.string(), meterName: z.string(), carrier: z.enum(CARRIERS), days: z.array(z.string()), findings: z.array(z.string()) });
export type QualityMeter = z.infer<typeof qualityMeter>;

export const anomalyRow = z.object({
  /** The warning's id. */
  id: z.string(),
  unit: z.string(),
  unitName: z.string(),
  indicator: z.string().nullable(),
  meter: z.string().nullable(),
  carrier: z.enum(CARRIERS),
  rule: z.enum(ENERGY_RULE_CODES),
  state: z.enum(['inactive', ...anomalyStates]),
  since: z.string().nullable(),
  /** One line, in Chinese. */
  summary: z.string(),
  /** The problem the anomaly raised (problem loop), if any. */
  problemId: z.string().nullable(),
  evidence: z.object({
    baseline: z.object({ a: z.number(), b: z.number(), r2: z.number(), from: z.string(), to: z.string() }).nullable(),
    points: z.array(anomalyPoint),
    /** h · σ̂ in consumption units; null without an accepted baseline. */
    threshold: z.number().nullable(),
    limits: z.object({ center: z.number(), lower: z.number(), upper: z.number() }).nullable(),
    /** EN_QUALITY only: the meters with suspect days not confirmed, their days and fault codes. */
    meters: z.array(qualityMeter).optional(),
    /** EN_QUALITY only: the days watched, up to the last day with data (null without any data). */
    window: z.object({ from: z.string(), to: z.string() }).nullable().optional(),
  }),
});
export type AnomalyRow = z.infer<typeof anomalyRow>;
export const anomalyList = z.object({ rows: z.array(anomalyRow) });
