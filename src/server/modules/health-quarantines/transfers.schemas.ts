import { z } from 'zod';
import { isoDate, isoDateTime } from '../../schemas';
import { personCode } from '../access-live/access-scope';

const text = (max: number) => z.string().trim().min(1).max(max);

export const transferParams = z.strictObject({ id: z.uuid() });
export const transferQuery = z
  .strictObject({
    /** First and last local day (Asia/Shanghai) of the trips listed. */
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** The incident; default the active one (without either: every trip). */
    incident: z.uuid().optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from is after to', path: ['to'] });
export type TransferQuery = z.infer<typeof transferQuery>;

export const createTransferBody = z.strictObject({
  at: isoDateTime,
  vehicle: text(100),
  driver: text(100),
  from: text(200),
  to: text(200),
  /** The people carried, by code (1–20, each once, in your scope). */
  people: z
    .array(personCode)
    .min(1)
    .max(20)
    .refine((codes) => new Set(codes).size === codes.length, 'each person once'),
  /** The vehicle was disinfected after the trip (now). */
  disinfected: z.boolean().default(false),
  note: text(1000).optional(),
});
export type CreateTransferBody = z.infer<typeof createTransferBody>;

export const transferSchema = z.object({
  id: z.string(),
  at: z.string(),
  vehicle: z.string(),
  driver: z.string(),
  from: z.string(),
  to: z.string(),
  /** The people in your scope (names masked); personCount counts everyone carried. */
  people: z.array(z.object({ code: z.string(), name: z.string() })),
  personCount: z.number().int(),
  disinfected: z.boolean(),
  disinfectedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type Transfer = z.infer<typeof transferSchema>;

const tally = z.object({ trips: z.number().int(), personTrips: z.number().int() });
export const transferList = z.object({
  rows: z.array(transferSchema),
  totals: z.object({
    /** The trips listed (the filtered period). */
    period: tally,
    /** Every trip of the incident; null without one. */
    incident: tally.nullable(),
  }),
});
export type TransferList = z.infer<typeof transferList>;
