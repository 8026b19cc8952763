import { z } from 'zod';
import { isoDate } from '../../schemas';
import { personCode, siteCode } from '../people/people.schemas';

export const passStatuses = ['active', 'suspended', 'revoked'] as const;
export type PassStatus = (typeof passStatuses)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM, 00:00–23:59');
/** A time window of a pass (a shift): ISO weekdays (Monday = 1), local times; may run past midnight. */
export const passWindow = z
  .strictObject({ days: z.array(z.number().int().min(1).max(7)).min(1).max(7), from: hhmm, to: hhmm })
  .refine((w) => new Set(w.days).size === w.days.length, { message: 'each weekday once', path: ['days'] })
  .refine((w) => w.from !== w.to, { message: 'from and to must differ (a window may run past midnight, e.g. 22:00–06:00)', path: ['to'] });
export type PassWindowBody = z.infer<typeof passWindow>;

export const passSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  person: z.string().describe('the holder’s code'),
  personName: z.string().describe('masked (张*)'),
  sites: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string().nullable() })),
  validFrom: z.string(),
  validTo: z.string(),
  windows: z.array(z.object({ days: z.array(z.number().int()), from: z.string(), to: z.string() })).nullable().describe('null: any time'),
  essential: z.boolean().describe('may pass while a site is closed'),
  status: z.enum(passStatuses),
  statusReason: z.string().nullable(),
  statusChangedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Pass = z.infer<typeof passSchema>;
export const passPage = z.object({ rows: z.array(passSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type PassPage = z.infer<typeof passPage>;
export const myPasses = z.object({ person: z.object({ code: z.string(), name: z.string() }).nullable(), rows: z.array(passSchema) });
export type MyPasses = z.infer<typeof myPasses>;

export const passParams = z.strictObject({ id: z.uuid() });
export const passQuery = z.strictObject({
  person: personCode.optional(),
  site: siteCode.optional(),
  status: z.enum(passStatuses).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type PassQuery = z.infer<typeof passQuery>;

export const createPassBody = z.strictObject({
  person: personCode,
  sites: z.array(siteCode).min(1).max(20),
  validFrom: isoDate,
  validTo: isoDate,
  windows: z.array(passWindow).min(1).max(10).nullable().optional().describe('omitted or null: any time'),
  essential: z.boolean().optional(),
});
export type CreatePassBody = z.infer<typeof createPassBody>;

const reason = z.string().trim().min(1).max(500);
const version = z.number().int().min(1).optional().describe('when given, a stale version is refused (409)');
export const revokeBody = z.strictObject({ reason, version });
export const suspendBody = z.strictObject({ reason, version });
export const reactivateBody = z.strictObject({ version });
