import { z } from 'zod';
import { isoDate } from '../../schemas';

export const unitKinds = ['company', 'division', 'plant', 'workshop', 'area', 'team', 'office'] as const;
export const unitKindSchema = z.enum(unitKinds);
export type UnitKind = z.infer<typeof unitKindSchema>;

const code = z
  .string()
  .regex(/^[A-Z][A-Z0-9_-]{0,31}$/, 'code: 1–32 capital letters, digits, _ or -, starting with a letter');

/** 对标分组, e.g. `400kA` or `bayer`: a short tag; empty for none. */
export const peerClass = z.string().trim().max(50, 'peer class: at most 50 characters');

export const unitSchema = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  kind: unitKindSchema,
  parentId: z.string().nullable(),
  /** 对标分组: units are ranked only among units of the same class ('' = none). */
  peerClass: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  sortOrder: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
});
export type Unit = z.infer<typeof unitSchema>;
export const unitList = z.object({ items: z.array(unitSchema) });

export const createUnitBody = z.strictObject({
  code,
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(200),
  kind: unitKindSchema,
  parentId: z.string().uuid().nullable(),
  peerClass: peerClass.optional(),
  validFrom: isoDate.optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
});
export type CreateUnitBody = z.infer<typeof createUnitBody>;

export const updateUnitBody = z.strictObject({
  version: z.number().int().min(1),
  nameZh: z.string().trim().min(1).max(100).optional(),
  nameEn: z.string().trim().min(1).max(200).optional(),
  kind: unitKindSchema.optional(),
  peerClass: peerClass.optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  validFrom: isoDate.optional(),
  validTo: isoDate.nullable().optional(),
});
export type UpdateUnitBody = z.infer<typeof updateUnitBody>;

export const moveUnitBody = z.strictObject({ version: z.number().int().min(1), parentId: z.string().uuid() });
export const versionBody = z.strictObject({ version: z.number().int().min(1) });
export const deactivateUnitBody = z.strictObject({ version: z.number().int().min(1), validTo: isoDate.optional() });
export const idParams = z.strictObject({ id: z.string().uuid() });
