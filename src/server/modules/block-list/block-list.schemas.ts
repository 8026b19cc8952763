import { z } from 'zod';
import { isoDate } from '../../schemas';
import { personCode, siteCode } from '../access-live/access-scope';

export const createBlockBody = z
  .strictObject({
    /** A registered person, by code. */
    person: personCode.optional(),
    /** An ID number or phone (of someone registered or not): stored only as its blind index. */
    idNumber: z.string().trim().min(4).max(40).optional(),
    phone: z.string().trim().min(5).max(30).optional(),
    /** One site; null or absent = every site. */
    site: siteCode.nullable().default(null),
    reason: z.string().trim().min(1).max(500),
    /** Last day the entry applies; null = until removed. */
    validTo: isoDate.nullable().default(null),
  })
  .refine((b) => b.person !== undefined || b.idNumber !== undefined || b.phone !== undefined, { message: 'name a person, an ID number or a phone', path: ['person'] });
export type CreateBlockBody = z.infer<typeof createBlockBody>;

export const removeBlockBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const blockParams = z.strictObject({ id: z.uuid() });
export const blockQuery = z.strictObject({
  /** The entries that apply at this site: its own and the ones for every site. */
  site: siteCode.optional(),
  /** Include removed entries. */
  removed: z.enum(['true', 'false']).optional(),
});

export const blockEntrySchema = z.object({
  id: z.string(),
  /** Name masked. */
  person: z.object({ code: z.string(), name: z.string(), category: z.string() }).nullable(),
  /** The entry matches an ID number / a phone (kept only as a blind index, never shown). */
  byIdNumber: z.boolean(),
  byPhone: z.boolean(),
  /** Null: every site. */
  site: z.object({ code: z.string(), nameZh: z.string() }).nullable(),
  reason: z.string(),
  validTo: z.string().nullable(),
  /** Not removed and not past validTo. */
  active: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  removedAt: z.string().nullable(),
  removedBy: z.string().nullable(),
});
export type BlockEntry = z.infer<typeof blockEntrySchema>;
export const blockList = z.object({ rows: z.array(blockEntrySchema) });
