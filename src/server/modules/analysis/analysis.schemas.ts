import { z } from 'zod';
import { scorecardRow } from '../scorecard/scorecard.schemas';

export const groupQuery = z.strictObject({
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, 'period: YYYY-MM, YYYY-Qn or YYYY'),
  scope: z.enum(['period', 'ytd']).default('period'),
});

const cell = z.object({
  unit: z.string(),
  indicator: z.string(),
  actual: z.number().nullable(),
  target: z.number().nullable(),
  attained: z.boolean().nullable(),
  gapToTarget: z.number().nullable(),
  /** The gap to target as a percentage of the target's size: comparable across indicators. */
  gapPercent: z.number().nullable(),
  isRecord: z.boolean(),
  rank: z.number().int().nullable(),
  rankOf: z.number().int(),
  status: scorecardRow.shape.status,
});

export const groupView = z.object({
  period: z.string(),
  scope: z.enum(['period', 'ytd']),
  units: z.array(z.object({ unit: z.string(), name: z.string(), nameEn: z.string(), attained: z.number().int(), withTarget: z.number().int(), attainmentRate: z.number().nullable(), records: z.number().int() })),
  indicators: z.array(z.object({ indicator: z.string(), name: z.string(), nameEn: z.string(), uom: z.string(), direction: z.string(), category: z.string() })),
  cells: z.array(cell),
  weakSpots: z.array(cell.extend({ name: z.string(), nameEn: z.string(), unitName: z.string(), unitNameEn: z.string() })),
  records: z.array(cell.extend({ name: z.string(), nameEn: z.string(), unitName: z.string(), unitNameEn: z.string(), uom: z.string() })),
  totals: z.object({ attained: z.number().int(), withTarget: z.number().int(), attainmentRate: z.number().nullable(), records: z.number().int(), units: z.number().int() }),
});
export type GroupView = z.infer<typeof groupView>;

export const monthlyQuery = z.strictObject({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period: YYYY-MM'), lang: z.enum(['zh', 'en']).default('zh') });
