import { z } from 'zod';
import { isoDate } from '../../schemas';
import { personCode } from '../access-live/access-scope';

export const TRANSPORTS = ['train', 'plane', 'bus', 'car', 'ship', 'other'] as const;
export type Transport = (typeof TRANSPORTS)[number];
export const RISK_LEVELS = ['high', 'medium', 'low'] as const;

/** One stay of an itinerary (旅居史) as submitted. */
export const stayBody = z.strictObject({
  /** The place as precisely as known, e.g. 湖北省武汉市江汉区; matched against risk areas by prefix. */
  region: z.string().trim().min(2).max(100),
  /** The detailed address: stored encrypted, shown in full only to the person themself. */
  address: z.string().trim().min(1).max(200).optional(),
  fromDate: isoDate,
  toDate: isoDate,
  transport: z.enum(TRANSPORTS),
  /** Train, flight or bus number, plate … */
  transportNo: z.string().trim().min(1).max(40).optional(),
});
export type StayBody = z.infer<typeof stayBody>;

export const submitTravelBody = z.strictObject({
  person: personCode,
  stays: z.array(stayBody).min(1).max(30),
});
export type SubmitTravelBody = z.infer<typeof submitTravelBody>;

export const travelQuery = z.strictObject({ person: personCode });
export const travelParams = z.strictObject({ id: z.uuid() });

/** A risk area a stay falls in (level, and days from the stay's last day to today). */
export const riskMatchSchema = z.object({ region: z.string(), level: z.enum(RISK_LEVELS), daysAgo: z.number().int() });
export type RiskMatchView = z.infer<typeof riskMatchSchema>;

export const travelRecordSchema = z.object({
  id: z.string(),
  region: z.string(),
  /** In full for the person themself; others see the first 3 characters and ***. */
  address: z.string().nullable(),
  fromDate: z.string(),
  toDate: z.string(),
  transport: z.enum(TRANSPORTS),
  transportNo: z.string().nullable(),
  riskMatches: z.array(riskMatchSchema),
  createdAt: z.string(),
});
export type TravelRecordView = z.infer<typeof travelRecordSchema>;

export const submitTravelResult = z.object({
  rows: z.array(travelRecordSchema),
  /** The pending returning-staff screening (返岗审核) that now lists these stays. */
  screeningId: z.string(),
});
export type SubmitTravelResult = z.infer<typeof submitTravelResult>;

export const travelHistory = z.object({
  /** Null on /mine when the signed-in user has no person record. Name masked unless it is your own. */
  person: z.object({ code: z.string(), name: z.string() }).nullable(),
  /** The look-back of the active incident (default 15 days). */
  lookbackDays: z.number().int(),
  /** Newest stay first. */
  rows: z.array(travelRecordSchema),
});
export type TravelHistory = z.infer<typeof travelHistory>;

export const deleteTravelResult = z.object({ id: z.string() });
