import { z } from 'zod';
import { isoDate } from '../../schemas';
import { personCode, siteCode } from '../access-live/access-scope';

export const QUARANTINE_PLACES = ['home', 'facility'] as const;
export const QUARANTINE_STATUSES = ['active', 'released', 'lost', 'cancelled'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];
export const FOLLOW_UP_STATES = ['done', 'due', 'missed', 'planned', 'cancelled'] as const;
export const SUPPORT_KINDS = ['food', 'medicine', 'supplies', 'other'] as const;
export const NOTE_KINDS = ['counselling', 'other'] as const;

/** A body temperature in °C as a thermometer shows it (stored in tenths). */
const temperatureC = z.number().min(30).max(45);
const text = (max: number) => z.string().trim().min(1).max(max);

export const quarantineParams = z.strictObject({ id: z.uuid() });
export const supportParams = z.strictObject({ id: z.uuid(), supportId: z.uuid() });

export const quarantineQuery = z.strictObject({
  /** Default: the active quarantines. */
  status: z.enum(['active', 'released', 'lost', 'all']).default('active'),
  place: z.enum(QUARANTINE_PLACES).optional(),
  /** The person's site (community or plant). */
  site: siteCode.optional(),
  /** A person's code (prefix) or name (part). */
  q: z.string().trim().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type QuarantineQuery = z.infer<typeof quarantineQuery>;

export const lostQuery = z.strictObject({
  /** How many days before today must have had checks and none done (default 2). */
  missedDays: z.coerce.number().int().min(1).max(14).default(2),
});

export const createQuarantineBody = z
  .strictObject({
    person: personCode,
    place: z.enum(QUARANTINE_PLACES).default('home'),
    /** The facility (集中隔离点) when place is facility. */
    facility: text(200).optional(),
    /** Without a last exposure: the first day (default today). */
    startDate: isoDate.optional(),
    /** The window runs from the day after it through the incident's follow_up_days. */
    lastExposure: isoDate.optional(),
  })
  .refine((b) => b.place !== 'facility' || b.facility !== undefined, { message: 'name the facility', path: ['facility'] });
export type CreateQuarantineBody = z.infer<typeof createQuarantineBody>;

export const followUpBody = z.strictObject({
  date: isoDate,
  slot: z.number().int().min(1).max(6),
  temperatureC,
  condition: text(500).optional(),
  note: text(1000).optional(),
});
export type FollowUpBody = z.infer<typeof followUpBody>;

export const supportBody = z.strictObject({ kind: z.enum(SUPPORT_KINDS), request: text(1000) });
export const deliverBody = z.strictObject({ note: text(1000).optional() });
export const noteBody = z.strictObject({ kind: z.enum(NOTE_KINDS).default('counselling'), text: text(4000) });

export const releaseBody = z
  .strictObject({
    /** The final check's temperature. */
    temperatureC,
    note: text(1000),
    version: z.number().int().min(1),
    /** Release before the planned end (needs a reason). */
    early: z.boolean().default(false),
    reason: text(500).optional(),
  })
  .refine((b) => !b.early || b.reason !== undefined, { message: 'an early release needs a reason', path: ['reason'] });
export type ReleaseBody = z.infer<typeof releaseBody>;

export const lostBody = z.strictObject({ note: text(1000), version: z.number().int().min(1).optional().describe('when given, a stale version is refused (409)') });

const personRef = z.object({ code: z.string(), name: z.string() });
const siteRef = z.object({ code: z.string(), nameZh: z.string() }).nullable();

export const quarantineRow = z.object({
  id: z.string(),
  /** Name masked. */
  person: personRef,
  site: siteRef,
  place: z.enum(QUARANTINE_PLACES),
  facility: z.string().nullable(),
  startDate: z.string(),
  plannedEnd: z.string(),
  lastExposure: z.string().nullable(),
  status: z.enum(QUARANTINE_STATUSES),
  /** Today's checks: open (due), done; missed = yesterday's checks left undone. */
  today: z.object({ due: z.number().int(), done: z.number().int(), missed: z.number().int() }),
  missedTotal: z.number().int(),
  /** Lost to follow-up: checks on each of the last 2 days and none done. */
  lost: z.boolean(),
  supportsOpen: z.number().int(),
});
export type QuarantineRow = z.infer<typeof quarantineRow>;
export const quarantinePage = z.object({
  rows: z.array(quarantineRow),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Quarantines by status under the same filters (status aside). */
  counts: z.object({ active: z.number().int(), released: z.number().int(), lost: z.number().int(), cancelled: z.number().int() }),
});
export type QuarantinePage = z.infer<typeof quarantinePage>;

const lastCheck = z.object({ date: z.string(), slot: z.number().int(), doneAt: z.string() }).nullable();
export const lostList = z.object({
  today: z.string(),
  missedDays: z.number().int(),
  rows: z.array(
    quarantineRow.pick({ id: true, person: true, site: true, place: true, facility: true, startDate: true, plannedEnd: true, missedTotal: true }).extend({ lastCheck }),
  ),
});
export type LostList = z.infer<typeof lostList>;

export const followUpSchema = z.object({
  date: z.string(),
  slot: z.number().int(),
  status: z.enum(FOLLOW_UP_STATES),
  /** A moved window's dropped check (shown struck out). */
  cancelled: z.boolean(),
  temperatureC: z.number().nullable(),
  condition: z.string().nullable(),
  note: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
});
export type FollowUp = z.infer<typeof followUpSchema>;
export const recordedFollowUp = followUpSchema.extend({
  fever: z.boolean(),
  /** The abnormal case a fever opened or was noted on; null without fever. */
  abnormalCaseId: z.string().nullable(),
});

export const supportSchema = z.object({
  id: z.string(),
  kind: z.enum(SUPPORT_KINDS),
  request: z.string(),
  requestedAt: z.string(),
  deliveredAt: z.string().nullable(),
  deliveredBy: z.string().nullable(),
  deliveryNote: z.string().nullable(),
});
export type Support = z.infer<typeof supportSchema>;
export const noteSchema = z.object({ id: z.string(), kind: z.enum(NOTE_KINDS), text: z.string(), at: z.string(), writtenBy: z.string().nullable() });
export type Note = z.infer<typeof noteSchema>;

export const quarantineSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  /** The name in full for health.write holders, else masked (namesMasked). */
  person: personRef,
  namesMasked: z.boolean(),
  site: siteRef,
  place: z.enum(QUARANTINE_PLACES),
  facility: z.string().nullable(),
  startDate: z.string(),
  plannedEnd: z.string(),
  lastExposure: z.string().nullable(),
  perDay: z.number().int(),
  /** The follow-up window (from the day after the last exposure, or the start day). */
  window: z.object({ start: z.string(), end: z.string() }),
  status: z.enum(QUARANTINE_STATUSES),
  followUps: z.array(followUpSchema),
  missedTotal: z.number().int(),
  lost: z.boolean(),
  supports: z.array(supportSchema),
  notes: z.array(noteSchema),
  release: z.object({ at: z.string(), by: z.string().nullable(), temperatureC: z.number().nullable(), note: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Quarantine = z.infer<typeof quarantineSchema>;
