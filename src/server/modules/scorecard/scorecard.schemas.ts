import { z } from 'zod';

export const scorecardQuery = z.strictObject({
  unit: z.string().regex(/^[A-Z][A-Z0-9_-]{0,31}$/, 'unit code'),
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, 'period: YYYY-MM, YYYY-Qn or YYYY'),
  scope: z.enum(['period', 'ytd']).default('period'),
});

export const scorecardRow = z.object({
  indicator: z.string(),
  name: z.string(),
  nameEn: z.string(),
  uom: z.string(),
  direction: z.enum(['higher', 'lower', 'band']),
  category: z.string(),
  precision: z.number().int(),
  aggregation: z.enum(['sum', 'avg', 'last', 'formula']),
  formula: z.string().nullable(),
  scopeTag: z.string(),
  weight: z.number(),
  derived: z.boolean(),
  status: z.enum(['draft', 'submitted', 'returned', 'approved', 'mixed']).nullable(),
  actual: z.number().nullable(),
  target: z.number().nullable(),
  floor: z.number().nullable(),
  stretch: z.number().nullable(),
  completionRate: z.number().nullable(),
  benchmark: z
    .object({ code: z.string(), name: z.string(), nameEn: z.string(), kind: z.enum(['history_best', 'sibling', 'peer', 'industry', 'world']), value: z.number().nullable(), scopeTag: z.string(), comparable: z.boolean(), stage: z.string().nullable() })
    .nullable(),
  gapToTarget: z.number().nullable(),
  gapToBenchmark: z.number().nullable(),
  historicalBest: z.number().nullable(),
  historicalBestPeriod: z.string().nullable(),
  gapToHistoricalBest: z.number().nullable(),
  yoy: z.number().nullable(),
  pop: z.number().nullable(),
  attained: z.boolean().nullable(),
  isRecord: z.boolean(),
  /** For a month: better than the same month of every earlier year (e.g. the best February on record). */
  isMonthRecord: z.boolean(),
  rank: z.number().int().nullable(),
  rankOf: z.number().int(),
  trend: z.array(z.object({ period: z.string(), value: z.number().nullable() })),
});
export type ScorecardRow = z.infer<typeof scorecardRow>;

export const scorecardResponse = z.object({
  unit: z.string(),
  unitName: z.string(),
  unitNameEn: z.string(),
  /** The unit's peer class (对标分组); `rank` and `rankOf` count only units of this class. */
  peerClass: z.string(),
  period: z.string(),
  scope: z.enum(['period', 'ytd']),
  months: z.array(z.string()),
  rows: z.array(scorecardRow),
});
export type Scorecard = z.infer<typeof scorecardResponse>;
