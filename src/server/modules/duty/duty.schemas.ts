import { z } from 'zod';
import { isoDate } from '../../schemas';
import { checkpointCode, hhmm, personCode, siteCode } from '../access-live/access-scope';

export const shiftCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$/, 'shift code: 1–20 letters, digits, _ . -');
const distinct = <T extends z.ZodType<string>>(item: T, max: number) =>
  z
    .array(item)
    .min(1)
    .max(max)
    .refine((xs) => new Set(xs).size === xs.length, 'each code once');

export const siteParams = z.strictObject({ code: siteCode });

export const createShiftBody = z
  .strictObject({ code: shiftCode, name: z.string().trim().min(1).max(50), starts: hhmm, ends: hhmm })
  .refine((s) => s.starts !== s.ends, { message: 'starts and ends must differ (a shift may run past midnight, e.g. 23:30–07:30)', path: ['ends'] });
export type CreateShiftBody = z.infer<typeof createShiftBody>;

export const shiftSchema = z.object({
  id: z.string(),
  site: z.string(),
  code: z.string(),
  name: z.string(),
  starts: z.string(),
  ends: z.string(),
  /** Ends the next day. */
  overnight: z.boolean(),
  version: z.number().int(),
});
export type Shift = z.infer<typeof shiftSchema>;
export const shiftList = z.object({ rows: z.array(shiftSchema) });

/** The most assignments one generation writes. */
export const maxRosterAssignments = 20_000;

export const generateRosterBody = z.strictObject({
  site: siteCode,
  /** The posts to staff, in order. */
  checkpoints: distinct(checkpointCode, 50),
  /** Guards (person codes) in rotation order. */
  guards: distinct(personCode, 1000),
  shifts: distinct(shiftCode, 10),
  from: isoDate,
  days: z.number().int().min(1).max(62),
  /** Guards per checkpoint and shift. */
  perPost: z.number().int().min(1).max(20),
});
export type GenerateRosterBody = z.infer<typeof generateRosterBody>;

const guardRef = z.object({ code: z.string(), name: z.string() });
export const generateRosterResult = z.object({
  site: z.string(),
  from: z.string(),
  to: z.string(),
  /** Assignments of these checkpoints in the range removed before writing the new ones. */
  replaced: z.number().int(),
  assignments: z.number().int(),
  /** Shifts per guard (balanced within one). */
  loads: z.array(z.object({ code: z.string(), name: z.string(), shifts: z.number().int() })),
});

export const rosterQuery = z.strictObject({ site: siteCode, date: isoDate.optional() });
export const rosterDay = z.object({
  site: z.string(),
  date: z.string(),
  rows: z.array(
    z.object({ checkpoint: z.string(), checkpointName: z.string(), shift: z.string(), shiftName: z.string(), starts: z.string(), ends: z.string(), guards: z.array(guardRef) }),
  ),
});

export const dutyNowQuery = z.strictObject({ site: siteCode });
export const dutyNow = z.object({
  site: z.string(),
  at: z.string(),
  /** Asia/Shanghai local date and time of `at`. */
  localDate: z.string(),
  localTime: z.string(),
  /** Every checkpoint of the site; `guards` empty when nobody is rostered now. */
  rows: z.array(
    z.object({
      checkpoint: z.string(),
      checkpointName: z.string(),
      guards: z.array(guardRef.extend({ shift: z.string(), shiftName: z.string(), starts: z.string(), ends: z.string(), date: z.string() })),
    }),
  ),
});

export const createHandoverBody = z.strictObject({
  checkpoint: checkpointCode,
  date: isoDate,
  shift: shiftCode.nullable().default(null),
  note: z.string().trim().min(1).max(4000),
});
export type CreateHandoverBody = z.infer<typeof createHandoverBody>;
export const handoverQuery = z
  .strictObject({ site: siteCode.optional(), checkpoint: checkpointCode.optional(), date: isoDate.optional() })
  .refine((q) => q.site !== undefined || q.checkpoint !== undefined, { message: 'name a site or a checkpoint', path: ['site'] });
export const handoverSchema = z.object({
  id: z.string(),
  checkpoint: z.string(),
  checkpointName: z.string(),
  date: z.string(),
  shift: z.string().nullable(),
  note: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Handover = z.infer<typeof handoverSchema>;
export const handoverList = z.object({ rows: z.array(handoverSchema) });
