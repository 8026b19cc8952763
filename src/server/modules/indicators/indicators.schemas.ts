import type { FormulaProblem } from '../../../domain/benchmarking/formula';
import { z } from 'zod';
import { isoDate } from '../../schemas';

export const categories = ['production', 'quality', 'cost', 'energy', 'safety', 'environment', 'people', 'finance', 'market', 'service'] as const;
export const directions = ['higher', 'lower', 'band'] as const;
export const aggregations = ['sum', 'avg', 'last', 'formula'] as const;
export const frequencies = ['month', 'quarter', 'year'] as const;

export const indicatorCode = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]{0,63}$/, 'indicator code: letters, digits, _ and ., starting with a letter');

export const indicatorSchema = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  category: z.enum(categories),
  uom: z.string(),
  precision: z.number().int(),
  direction: z.enum(directions),
  bandCentre: z.number().nullable(),
  bandTolerance: z.number().nullable(),
  frequency: z.enum(frequencies),
  aggregation: z.enum(aggregations),
  formula: z.string().nullable(),
  scopeText: z.string(),
  scopeTag: z.string(),
  rangeMin: z.number().nullable(),
  rangeMax: z.number().nullable(),
  ownerUnitId: z.string().nullable(),
  description: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  version: z.number().int(),
});
export type Indicator = z.infer<typeof indicatorSchema>;
export const indicatorList = z.object({ items: z.array(indicatorSchema) });

const finite = z.number().finite().min(-1e15).max(1e15);
const indicatorFields = {
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(200),
  category: z.enum(categories),
  uom: z.string().trim().max(32),
  precision: z.number().int().min(0).max(6),
  direction: z.enum(directions),
  bandCentre: finite.nullable(),
  bandTolerance: finite.min(0).nullable(),
  frequency: z.enum(frequencies),
  aggregation: z.enum(aggregations),
  formula: z.string().trim().min(1).max(2000).nullable(),
  scopeText: z.string().trim().max(500),
  scopeTag: z.string().trim().max(16),
  rangeMin: finite.nullable(),
  rangeMax: finite.nullable(),
  ownerUnitId: z.string().uuid().nullable(),
  description: z.string().trim().max(2000),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
};

export const createIndicatorBody = z.strictObject({
  code: indicatorCode,
  ...indicatorFields,
  uom: indicatorFields.uom.default(''),
  precision: indicatorFields.precision.default(2),
  bandCentre: indicatorFields.bandCentre.default(null),
  bandTolerance: indicatorFields.bandTolerance.default(null),
  frequency: indicatorFields.frequency.default('month'),
  formula: indicatorFields.formula.default(null),
  scopeText: indicatorFields.scopeText.default(''),
  scopeTag: indicatorFields.scopeTag.default(''),
  rangeMin: indicatorFields.rangeMin.default(null),
  rangeMax: indicatorFields.rangeMax.default(null),
  ownerUnitId: indicatorFields.ownerUnitId.default(null),
  description: indicatorFields.description.default(''),
  validFrom: indicatorFields.validFrom.default('2000-01-01'),
  validTo: indicatorFields.validTo.default(null),
});
export type CreateIndicatorBody = z.infer<typeof createIndicatorBody>;

export const updateIndicatorBody = z.strictObject({
  version: z.number().int().min(1),
  ...Object.fromEntries(Object.entries(indicatorFields).map(([k, v]) => [k, v.optional()])),
} as { version: z.ZodNumber } & { [K in keyof typeof indicatorFields]: z.ZodOptional<(typeof indicatorFields)[K]> });
export type UpdateIndicatorBody = z.infer<typeof updateIndicatorBody>;

export const indicatorParams = z.strictObject({ code: indicatorCode });

export const assignmentSchema = z.object({ indicator: z.string(), weight: z.number(), sortOrder: z.number().int() });
export const assignmentList = z.object({ unit: z.string(), items: z.array(assignmentSchema) });
export const putAssignmentsBody = z.strictObject({
  items: z.array(z.strictObject({ indicator: indicatorCode, weight: z.number().finite().min(0).max(1000).default(1) })).max(500),
});
export const unitCodeParams = z.strictObject({ unit: z.string().regex(/^[A-Z][A-Z0-9_-]{0,31}$/) });

/** One reason an indicator is refused: a stable code, the body field it concerns, the codes involved. */
export interface IndicatorIssue {
  code: 'FORMULA_MISMATCH' | 'BAND_CENTRE_MISSING' | 'RANGE_REVERSED' | 'VALIDITY_REVERSED' | 'OWNER_UNIT_MISSING' | FormulaProblem['kind'];
  field: 'formula' | 'bandCentre' | 'rangeMax' | 'validTo' | 'ownerUnitId';
  codes: string[];
  message: string;
}
