import { z } from 'zod';
import { indicatorCode } from '../indicators/indicators.schemas';
import { unitCode } from '../measurements/measurements.schemas';

export const benchmarkKinds = ['sibling', 'peer', 'industry', 'world'] as const;
const benchmarkCode = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'benchmark code');
const periodOrYear = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'period: YYYY-MM or YYYY');

export const benchmarkSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  kind: z.enum(benchmarkKinds),
  siblingUnit: z.string().nullable(),
  peerClass: z.string(),
  source: z.string(),
  values: z.array(z.object({ indicator: z.string(), period: z.string(), value: z.number(), scopeTag: z.string(), source: z.string() })),
  version: z.number().int(),
});
export type Benchmark = z.infer<typeof benchmarkSchema>;
export const benchmarkList = z.object({ items: z.array(benchmarkSchema) });

export const createBenchmarkBody = z.strictObject({
  code: benchmarkCode,
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().max(200).default(''),
  kind: z.enum(benchmarkKinds),
  siblingUnit: unitCode.nullable().default(null),
  peerClass: z.string().trim().max(50).default(''),
  source: z.string().trim().max(500).default(''),
});
export const benchmarkParams = z.strictObject({ code: benchmarkCode });
export const putBenchmarkValuesBody = z.strictObject({
  values: z
    .array(z.strictObject({ indicator: indicatorCode, period: periodOrYear, value: z.number().finite().min(-1e15).max(1e15), scopeTag: z.string().trim().max(16).default(''), source: z.string().trim().max(500).default('') }))
    .max(5000),
});

export const stages = ['selected', 'comparing', 'attained', 'chasing'] as const;
export const selectionSchema = z.object({
  unit: z.string(),
  indicator: z.string(),
  benchmark: z.string().nullable(),
  useHistoryBest: z.boolean(),
  stage: z.enum(stages),
  reason: z.string(),
  sincePeriod: z.string(),
  /** `by` is the user who moved the stage; null for the benchmark-stages job and the demo. */
  history: z.array(z.object({ stage: z.string(), benchmark: z.string().nullable(), reason: z.string(), period: z.string(), at: z.string(), by: z.string().nullable() })),
  version: z.number().int(),
});
export const selectionList = z.object({ items: z.array(selectionSchema) });
export const selectionQuery = z.strictObject({ unit: unitCode });
export const putSelectionBody = z.strictObject({
  unit: unitCode,
  indicator: indicatorCode,
  benchmark: benchmarkCode.nullable(),
  stage: z.enum(stages),
  reason: z.string().trim().min(1).max(1000),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
});

export const comparableBody = z.strictObject({ scopeA: z.string().trim().min(1).max(16), scopeB: z.string().trim().min(1).max(16) });
export const comparableList = z.object({ items: z.array(z.object({ scopeA: z.string(), scopeB: z.string() })) });

export const targetSchema = z.object({ unit: z.string(), indicator: z.string(), period: z.string(), floor: z.number().nullable(), target: z.number(), stretch: z.number().nullable(), basis: z.string() });
export const targetList = z.object({ items: z.array(targetSchema) });
export const targetQuery = z.strictObject({ unit: unitCode, year: z.coerce.number().int().min(1900).max(2999) });
const level = z.number().finite().min(-1e15).max(1e15);
export const putTargetsBody = z.strictObject({
  unit: unitCode,
  targets: z.array(z.strictObject({ indicator: indicatorCode, period: periodOrYear, floor: level.nullable().default(null), target: level, stretch: level.nullable().default(null), basis: z.string().trim().max(500).default('') })).max(5000),
  /** Spread annual targets of quantities to months. */
  spread: z.enum(['none', 'equal', 'days']).default('none'),
});

export const assistantQuery = z.strictObject({ unit: unitCode, indicator: indicatorCode, year: z.coerce.number().int().min(1900).max(2999), base: z.enum(['lastYear', 'lastPeriod', 'historicalBest', 'benchmark', 'industry', 'plan']).optional(), amplitude: z.coerce.number().min(-100).max(100).optional() });
export const assistantResponse = z.object({
  unit: z.string(),
  indicator: z.string(),
  year: z.number().int(),
  direction: z.string(),
  bases: z.array(z.object({ key: z.string(), label: z.string(), labelEn: z.string(), value: z.number().nullable(), period: z.string().nullable() })),
  proposal: z.object({ base: z.string(), amplitude: z.number(), target: z.number().nullable(), basis: z.string() }).nullable(),
});
