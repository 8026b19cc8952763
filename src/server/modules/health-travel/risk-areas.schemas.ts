import { z } from 'zod';
import { isoDate } from '../../schemas';
import { RISK_LEVELS } from './travel.schemas';

const region = z.string().trim().min(2).max(100);
const source = z.string().trim().min(1).max(200);

export const createRiskAreaBody = z.strictObject({
  /** A region at any depth (湖北省, 湖北省武汉市): it covers every stay whose region starts with it. */
  region,
  level: z.enum(RISK_LEVELS),
  validFrom: isoDate,
  /** Last day it is a risk area; null or absent = until ended. */
  validTo: isoDate.nullable().default(null),
  /** Who declared it (e.g. a health commission notice). */
  source: source.optional(),
});
export type CreateRiskAreaBody = z.infer<typeof createRiskAreaBody>;

export const updateRiskAreaBody = z.strictObject({
  region,
  level: z.enum(RISK_LEVELS),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  source: source.nullable(),
  version: z.number().int(),
});
export type UpdateRiskAreaBody = z.infer<typeof updateRiskAreaBody>;

export const endRiskAreaBody = z.strictObject({ validTo: isoDate });
export const riskAreaParams = z.strictObject({ id: z.uuid() });
export const riskAreaQuery = z.strictObject({
  /** true: valid today; false: expired or not yet valid; absent: all. */
  active: z.enum(['true', 'false']).optional(),
});

export const riskAreaSchema = z.object({
  id: z.string(),
  region: z.string(),
  level: z.enum(RISK_LEVELS),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  source: z.string().nullable(),
  /** Valid today (Asia/Shanghai). */
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type RiskAreaView = z.infer<typeof riskAreaSchema>;
export const riskAreaList = z.object({ rows: z.array(riskAreaSchema) });

export const importRiskAreasResult = z.object({ inserted: z.number().int() });
