import { z } from 'zod';
import { isoDate } from '../../schemas';

const count = z.number().int().nonnegative();
/** An exact decimal as text, two places ('1300.50'): money and stock quantities. */
const decimal = z.string().regex(/^-?\d+\.\d{2}$/);

export const dailyQuery = z.strictObject({
  /** An Asia/Shanghai day; default yesterday (clamped to the incident's days). */
  date: isoDate.optional(),
  /** Default: the active incident, else the latest closed or purged one. */
  incident: z.uuid().optional(),
});
export type DailyQuery = z.infer<typeof dailyQuery>;
export const historyQuery = z.strictObject({ incident: z.uuid().optional() });
export type HistoryQuery = z.infer<typeof historyQuery>;

export const gateFigures = z.object({ entries: count, exits: count, denied: count });
export const transferFigures = z.object({ trips: count, personTrips: count, tripsTotal: count, personTripsTotal: count });

/** A community or plant site of the incident; people count at their own site, gate events at the gate's. */
export const siteFigures = z.object({
  site: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  kind: z.string(),
  /** The owning unit's code (the data scope follows it). */
  unit: z.string().nullable(),
  declarationsDue: count,
  declarationsDone: count,
  fevers: count,
  abnormalOpened: count,
  abnormalOpen: count,
  inQuarantine: count,
  gate: gateFigures,
});
export type SiteFigures = z.infer<typeof siteFigures>;

/** A unit: people count at their unit, or without one at their site's unit. */
export const unitFigures = z.object({
  unit: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  declarationsDue: count,
  declarationsDone: count,
  fevers: count,
  abnormalOpen: count,
  inQuarantine: count,
});
export type UnitFigures = z.infer<typeof unitFigures>;

export const seriesPoint = z.object({ date: z.string(), declarationsDone: count, fevers: count, abnormalOpen: count, inQuarantine: count });
export type SeriesPoint = z.infer<typeof seriesPoint>;

export const supplyStock = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string().nullable(), unitLabel: z.string(), stock: decimal });

/** Running totals from the incident's start through the day. */
export const briefingTotals = z.object({
  declarationsDone: count,
  /** Distinct people with a fever on any day so far. */
  fevers: count,
  abnormalOpened: count,
  abnormalClosed: count,
  /** Distinct people quarantined so far (not cancelled). */
  quarantined: count,
  /** Distinct close contacts recorded so far. */
  contacts: count,
  followUpsDue: count,
  followUpsDone: count,
  gate: gateFigures,
});

export const donationFigures = z.object({ count, amount: decimal, countTotal: count, amountTotal: decimal });

/** What is computed for one day and stored in health_briefings (aggregates only, no personal data). */
export const briefingFigures = z.object({
  date: z.string(),
  declarationsDue: count,
  declarationsDone: count,
  fevers: count,
  abnormalOpened: count,
  abnormalOpen: count,
  abnormalClosed: count,
  inQuarantine: count,
  contactsUnderFollowUp: count,
  followUpsDue: count,
  followUpsDone: count,
  transfers: transferFigures,
  gate: gateFigures,
  totals: briefingTotals,
  supplies: z.array(supplyStock),
  donations: donationFigures,
  bySite: z.array(siteFigures),
  byUnit: z.array(unitFigures),
  series: z.array(seriesPoint),
});
export type BriefingFigures = z.infer<typeof briefingFigures>;

export const briefingIncident = z.object({ id: z.string(), name: z.string(), startDate: z.string(), status: z.enum(['active', 'closed', 'purged']) });

export const briefing = briefingFigures.extend({
  incident: briefingIncident,
  generatedAt: z.string(),
  /** True when read from health_briefings (a purged incident), false when computed now. */
  stored: z.boolean(),
});
export type Briefing = z.infer<typeof briefing>;

export const storedBriefing = z.object({
  date: z.string(),
  generatedAt: z.string(),
  declarationsDue: count,
  declarationsDone: count,
  fevers: count,
  abnormalOpened: count,
  abnormalOpen: count,
  abnormalClosed: count,
  inQuarantine: count,
  contactsUnderFollowUp: count,
  followUpsDue: count,
  followUpsDone: count,
  transfers: transferFigures,
  gate: gateFigures,
});
export type StoredBriefing = z.infer<typeof storedBriefing>;
export const briefingHistory = z.object({ incident: briefingIncident, rows: z.array(storedBriefing) });
export type BriefingHistory = z.infer<typeof briefingHistory>;
