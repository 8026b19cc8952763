import { z } from 'zod';
import { unitCode } from '../measurements/measurements.schemas';

export const schemeCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'scheme code');
/** 'YYYY-MM', 'YYYY-Qn' or 'YYYY'; the service parses it and answers PERIOD_INVALID otherwise. */
const periodText = z.string().trim().min(4).max(10);

// ---- what a scheme stores (jsonb), validated when a scheme is scored ------------------------

const figure = z.number().finite().min(-1e15).max(1e15);
const points = z.number().finite().min(-1e6).max(1e6);
const better = z.enum(['higher', 'lower']);

export const referenceSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), value: figure }),
  z.strictObject({ kind: z.literal('benchmark') }),
  z.strictObject({ kind: z.literal('peer-best') }),
  z.strictObject({ kind: z.literal('peer-worst') }),
]);

/** Parameters of each method (evaluation_items.params). Items score out of 100 in a scheme (see the service). */
export const itemParams = {
  efficacy: z.strictObject({ satisfactory: referenceSource, impermissible: referenceSource, cap: points.nullable().optional(), floor: points.nullable().optional() }),
  'five-tier': z.strictObject({ tiers: z.tuple([figure, figure, figure, figure, figure]), coefficients: z.tuple([points, points, points, points, points]).optional() }),
  'add-deduct': z.strictObject({
    base: figure,
    basePoints: points.positive(),
    perUnit: points,
    perUnitWorse: points.nullable().optional(),
    direction: better.optional(),
    cap: points.nullable().optional(),
    floor: points.nullable().optional(),
  }),
  'pass-fail': z.strictObject({ threshold: figure, direction: better.optional() }),
} as const;
export type ItemMethod = keyof typeof itemParams;
export const itemMethods = Object.keys(itemParams) as [ItemMethod, ...ItemMethod[]];

export const gradingSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('percentile'), cuts: z.tuple([z.number(), z.number(), z.number(), z.number()]) }),
  z.strictObject({ method: z.literal('bands'), cuts: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional() }),
]);
const coefficient = z.number().finite().min(-1e6).max(1e6);
/** A cadre's coefficient = the unit's × multiplier, clamped to [min, max] (default: × 1 within the mapping's range). */
export const cadreLinkSchema = z.strictObject({ multiplier: coefficient, min: coefficient, max: coefficient });
/** Score → coefficient (points, linear between them) or grade → coefficient (grades); one of the two. */
export const payShape = z.strictObject({
  points: z.array(z.tuple([z.number().finite(), coefficient])).min(1).max(50).optional(),
  grades: z.strictObject({ A: coefficient, B: coefficient, C: coefficient, D: coefficient, E: coefficient }).optional(),
  cadre: cadreLinkSchema.optional(),
});
export const paySchema = payShape.refine((p) => (p.points === undefined) !== (p.grades === undefined), { message: 'give points (score → coefficient) or grades (grade → coefficient), one of them' });
export type PayJson = z.infer<typeof paySchema>;

// ---- API ------------------------------------------------------------------------------------

export const explanationSchema = z.object({
  rule: z.string(),
  value: z.union([z.number(), z.boolean(), z.string()]).nullable(),
  references: z.record(z.string(), z.number()),
  sources: z.record(z.string(), z.string()).optional(),
  arithmetic: z.string(),
  limitedBy: z.enum(['cap', 'floor']).optional(),
});

export const resultItemSchema = z.object({
  indicator: z.string(),
  method: z.enum(itemMethods),
  measure: z.enum(['value', 'completionRate']),
  /** The value scored: the indicator's value over the window (approved, not suspect), or its completion rate in %. */
  value: z.number().nullable(),
  /** Out of 100 (add-deduct points are scaled by 100 ÷ basePoints); null when it cannot be scored. */
  score: z.number().nullable(),
  weight: z.number(),
  explanation: explanationSchema.nullable(),
  /** Why there is no score (NO_VALUE, NO_TARGET, NO_BENCHMARK, NO_PEER_VALUES, REFERENCES_EQUAL, REFERENCES_INVERTED). */
  problem: z.string().nullable(),
});

export const resultRowSchema = z.object({
  unit: z.string(),
  unitName: z.string(),
  /** The composite, 0 when vetoed, null while an item has no score. */
  score: z.number().nullable(),
  unvetoedScore: z.number().nullable(),
  rank: z.number().int().nullable(),
  rankOf: z.number().int().nullable(),
  grade: z.enum(['A', 'B', 'C', 'D', 'E']).nullable(),
  payCoefficient: z.number().nullable(),
  vetoed: z.boolean(),
  vetoReasons: z.array(z.string()),
  missing: z.array(z.string()),
  items: z.array(resultItemSchema),
  explanation: z.object({ score: explanationSchema, grade: explanationSchema.nullable(), pay: explanationSchema.nullable() }),
  /** The unit's cadres (people.cadre): the unit's coefficient × the scheme's multiplier, clamped, explained. */
  cadres: z.array(z.object({ person: z.string(), name: z.string(), payCoefficient: z.number().nullable(), explanation: explanationSchema.nullable() })),
});
export type ResultRow = z.infer<typeof resultRowSchema>;

export const resultsQuery = z.strictObject({ scheme: schemeCode, period: periodText });
export const resultsResponse = z.object({
  scheme: z.string(),
  period: z.string(),
  months: z.array(z.string()),
  status: z.enum(['draft', 'published']),
  version: z.number().int().nullable(),
  publishedAt: z.string().nullable(),
  rows: z.array(resultRowSchema),
  /** Published periods only: whether computing now gives other results than the frozen version (data or scheme changed since). */
  draftDiffers: z.boolean().optional(),
  /** Published periods only: the units whose score, rank, grade, pay or cadre coefficients differ now; published and now are the scores. */
  changes: z.array(z.object({ unit: z.string(), published: z.number().nullable(), now: z.number().nullable(), fields: z.array(z.string()) })).optional(),
  /** Published periods only: why the live results could not be computed (e.g. SCORING_INVALID after an edit). */
  draftError: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type Results = z.infer<typeof resultsResponse>;

export const publishBody = z.strictObject({ scheme: schemeCode, period: periodText });
export const publishResponse = z.object({
  scheme: z.string(),
  period: z.string(),
  version: z.number().int(),
  publishedAt: z.string(),
  previousVersion: z.number().int().nullable(),
  /** Units whose score differs from the previous version (empty for the first). */
  changes: z.array(z.object({ unit: z.string(), old: z.number().nullable(), new: z.number().nullable() })),
});

export const vetoBody = z.strictObject({ scheme: schemeCode, unit: unitCode, period: periodText, reason: z.string().trim().min(1).max(1000) });
export const vetoResponse = z.object({ id: z.string(), scheme: z.string(), unit: z.string(), period: z.string(), reason: z.string(), createdAt: z.string() });

export const schemeSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  aggregation: z.enum(['arithmetic', 'geometric', 'sum']),
  itemDecimals: z.number().int(),
  totalDecimals: z.number().int(),
  grading: z.record(z.string(), z.unknown()),
  pay: z.record(z.string(), z.unknown()),
  units: z.array(z.string()),
  items: z.array(
    z.object({ indicator: z.string(), method: z.enum(itemMethods), measure: z.enum(['value', 'completionRate']), params: z.record(z.string(), z.unknown()), weight: z.number(), validFrom: z.string(), validTo: z.string().nullable() }),
  ),
  version: z.number().int(),
});
export type Scheme = z.infer<typeof schemeSchema>;
export const schemeList = z.object({ items: z.array(schemeSchema) });

// ---- scheme editing ---------------------------------------------------------------------------

const isoDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'date YYYY-MM-DD')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, { message: 'not a calendar date' });

/** One dated item; params are checked per method by the service (issues name items[i].params.…). */
export const schemeItemBody = z.strictObject({
  indicator: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]{0,63}$/, 'indicator code'),
  method: z.enum(itemMethods),
  measure: z.enum(['value', 'completionRate']).default('value'),
  params: z.record(z.string(), z.unknown()),
  weight: z.number().finite().min(-1e6).max(1e6),
  validFrom: isoDate.default('2000-01-01'),
  validTo: isoDate.nullable().default(null),
});

const schemeFields = {
  nameZh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().max(200).default(''),
  aggregation: z.enum(['arithmetic', 'geometric', 'sum']),
  itemDecimals: z.number().int().min(-100).max(100).default(2),
  totalDecimals: z.number().int().min(-100).max(100).default(1),
  /** {"method":"percentile","cuts":[0.2,0.4,0.6,0.8]} or {"method":"bands","cuts":[0.6,0.2,-0.2,-0.6]}. */
  grading: z.record(z.string(), z.unknown()),
  /** {"points":[[60,0.8],[100,1.2]]} or {"grades":{"A":1.2,…,"E":0.8}}, with an optional "cadre":{"multiplier","min","max"}. */
  pay: z.record(z.string(), z.unknown()),
  units: z.array(unitCode).max(500),
  items: z.array(schemeItemBody).max(200),
};
export const createSchemeBody = z.strictObject({ code: schemeCode, ...schemeFields });
export type CreateSchemeBody = z.infer<typeof createSchemeBody>;
export const putSchemeBody = z.strictObject({ ...schemeFields, version: z.number().int().min(1) });
export type PutSchemeBody = z.infer<typeof putSchemeBody>;
export const schemeParams = z.strictObject({ code: schemeCode });

// ---- a unit's history -------------------------------------------------------------------------

export const historyQuery = z.strictObject({
  scheme: schemeCode,
  unit: unitCode,
  /** The drafts' first and last month (default: the 12 months up to the latest with approved data). */
  from: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM').optional(),
  to: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM').optional(),
});
export const historyRowSchema = z.object({
  period: z.string(),
  status: z.enum(['published', 'draft']),
  version: z.number().int().nullable(),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  rankOf: z.number().int().nullable(),
  grade: z.enum(['A', 'B', 'C', 'D', 'E']).nullable(),
  payCoefficient: z.number().nullable(),
  vetoed: z.boolean(),
  publishedAt: z.string().nullable(),
  /** A draft that could not be computed (SCORING_INVALID…). */
  problem: z.string().nullable(),
});
export type HistoryRow = z.infer<typeof historyRowSchema>;
export const historyResponse = z.object({ scheme: z.string(), unit: z.string(), unitName: z.string(), rows: z.array(historyRowSchema) });
export type History = z.infer<typeof historyResponse>;
