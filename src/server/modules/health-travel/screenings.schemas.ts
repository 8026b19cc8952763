import { z } from 'zod';
import { isoDate } from '../../schemas';
import { personCode, siteCode } from '../access-live/access-scope';
import { riskMatchSchema, TRANSPORTS } from './travel.schemas';

export const SCREENING_STATUSES = ['pending', 'cleared', 'observe', 'isolate'] as const;
export type ScreeningStatus = (typeof SCREENING_STATUSES)[number];

export const screeningQuery = z.strictObject({
  /** Default pending (the reviewers' work queue). */
  status: z.enum([...SCREENING_STATUSES, 'all']).default('pending'),
  /** People living at or assigned to this site. */
  site: siteCode.optional(),
  /** Part of a person's code or name. */
  q: z.string().trim().min(1).max(50).optional(),
  /** Another incident than the active one. */
  incident: z.uuid().optional(),
});
export type ScreeningQuery = z.infer<typeof screeningQuery>;

export const createScreeningBody = z.strictObject({ person: personCode, returnDate: isoDate });
export const screeningParams = z.strictObject({ id: z.uuid() });
export const screeningItemParams = z.strictObject({ id: z.uuid(), travelRecordId: z.uuid() });
export const checkItemBody = z.strictObject({ checked: z.boolean(), note: z.string().trim().min(1).max(500).optional() });
export const decideScreeningBody = z.strictObject({
  status: z.enum(['cleared', 'observe', 'isolate']),
  note: z.string().trim().min(1).max(1000).optional(),
  version: z.number().int(),
});
export type DecideScreeningBody = z.infer<typeof decideScreeningBody>;

const place = z.object({ code: z.string(), nameZh: z.string() }).nullable();

export const screeningItemSchema = z.object({
  travelRecordId: z.string(),
  region: z.string(),
  fromDate: z.string(),
  toDate: z.string(),
  transport: z.enum(TRANSPORTS),
  transportNo: z.string().nullable(),
  riskMatches: z.array(riskMatchSchema),
  checked: z.boolean(),
  note: z.string().nullable(),
});

export const screeningSchema = z.object({
  id: z.string(),
  /** Name masked. */
  person: z.object({ code: z.string(), name: z.string(), unit: place, site: place }),
  returnDate: z.string(),
  status: z.enum(SCREENING_STATUSES),
  items: z.array(screeningItemSchema),
  /** Username of the reviewer who decided. */
  reviewer: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
  version: z.number().int(),
});
export type ScreeningView = z.infer<typeof screeningSchema>;

export const screeningList = z.object({
  rows: z.array(screeningSchema),
  /** Under the same site and q filters, whatever the status filter. */
  counts: z.object({ pending: z.number().int(), cleared: z.number().int(), observe: z.number().int(), isolate: z.number().int() }),
});

export const decideScreeningResult = screeningSchema.extend({
  /** The abnormal case opened (or noted on) for observe and isolate. */
  caseId: z.string().nullable(),
  /** The home quarantine started (or extended) for isolate. */
  quarantineId: z.string().nullable(),
});
