import { z } from 'zod';
import { ASSET_KINDS, ASSET_STATUSES, DISPOSAL_ROUTES } from '../../../domain/results/idle-assets';
import { isoDate } from '../../schemas';
import { unitCode } from '../measurements/measurements.schemas';
import { personCode } from '../piece-rates/piece-rates.schemas';

const yuanText = z.string().regex(/^\d{1,14}(\.\d{1,2})?$/, 'yuan: digits with at most 2 decimals');
export const assetCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'asset code');
export const planStepSchema = z.strictObject({ step: z.string().trim().min(1).max(200), due: isoDate, done: z.boolean().default(false) });

const assetFields = {
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ASSET_KINDS),
  unit: unitCode,
  originalValue: yuanText,
  bookValue: yuanText,
  idleSince: isoDate,
  disposalRoute: z.enum(DISPOSAL_ROUTES),
  /** The disposal timetable: steps with due dates; the status follows from it. */
  plan: z.array(planStepSchema).max(30).default([]),
  /** The owner's person code (责任人). */
  owner: personCode.nullable().default(null),
  note: z.string().trim().max(2000).default(''),
};
export const createAssetBody = z.strictObject({ code: assetCode, ...assetFields });
export type CreateAssetBody = z.infer<typeof createAssetBody>;
export const putAssetBody = z.strictObject({ ...assetFields, version: z.number().int().min(1) });
export type PutAssetBody = z.infer<typeof putAssetBody>;
export const stepBody = z.strictObject({ done: z.boolean(), version: z.number().int().min(1) });
export const disposeBody = z.strictObject({ proceedsYuan: yuanText, disposedOn: isoDate, note: z.string().trim().max(2000).default(''), version: z.number().int().min(1) });
export type DisposeBody = z.infer<typeof disposeBody>;

export const assetSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(ASSET_KINDS),
  unit: z.string(),
  unitName: z.string(),
  originalValue: z.string(),
  bookValue: z.string(),
  idleSince: z.string(),
  disposalRoute: z.enum(DISPOSAL_ROUTES),
  plan: z.array(z.object({ step: z.string(), due: z.string(), done: z.boolean(), overdue: z.boolean() })),
  /** Steps done ÷ steps, in % (0 without a plan). */
  progress: z.number(),
  owner: z.string().nullable(),
  ownerName: z.string().nullable(),
  status: z.enum(ASSET_STATUSES),
  proceeds: z.string().nullable(),
  disposedOn: z.string().nullable(),
  note: z.string(),
  version: z.number().int(),
});
export type IdleAsset = z.infer<typeof assetSchema>;
export const assetList = z.object({ items: z.array(assetSchema) });
export const assetQuery = z.strictObject({ unit: unitCode.optional(), status: z.enum(ASSET_STATUSES).optional(), kind: z.enum(ASSET_KINDS).optional() });
export const assetParams = z.strictObject({ id: z.uuid() });
export const stepParams = z.strictObject({ id: z.uuid(), index: z.coerce.number().int().min(0).max(29) });

const kindSummary = z.object({ count: z.number().int(), disposed: z.number().int(), bookValue: z.string(), proceeds: z.string() });
export const assetSummary = z.object({
  total: z.number().int(),
  byStatus: z.object({ idle: z.number().int(), planned: z.number().int(), 'in-progress': z.number().int(), disposed: z.number().int() }),
  byKind: z.object({ line: kindSummary, building: kindSummary, equipment: kindSummary, vehicle: kindSummary }),
  idleBookValue: z.string(),
  proceeds: z.string(),
  /** Steps past their due date and not done, over all assets. */
  overdueSteps: z.number().int(),
});
