import { z } from 'zod';
import { isoDateTime } from '../../schemas';

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorUsername: z.string().nullable(),
  role: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  result: z.enum(['success', 'failure']),
  changes: z.record(z.string(), z.object({ old: z.unknown().optional(), new: z.unknown().optional() })).nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuery = z.strictObject({
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  objectType: z.string().max(64).optional(),
  objectId: z.string().max(64).optional(),
  result: z.enum(['success', 'failure']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditQuery = z.infer<typeof auditQuery>;
export const auditExportQuery = auditQuery.omit({ page: true, pageSize: true });

export const auditPage = z.object({ items: z.array(auditEntrySchema), total: z.number().int() });
export const verifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});
export type VerifyResult = z.infer<typeof verifyResult>;
