import { z } from 'zod';
import { isoDate } from '../../schemas';
import { hhmm, siteCode } from '../access-live/access-scope';

const unitCode = z.string().regex(/^[A-Z][A-Z0-9_-]{0,31}$/, 'unit code: 1–32 capital letters, digits, _ or -');

/** A temperature in tenths of a degree (thermometers show tenths): 37.3, not 37.25. */
const tenths = (min: number, max: number) =>
  z
    .number()
    .min(min)
    .max(max)
    .refine((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, 'at most one decimal');

/** The settings an incident runs with; every one has a default in the database. */
const settingsFields = {
  /** Declarations are due by this Asia/Shanghai local time each day (default 10:00). */
  declarationDueTime: hhmm.optional(),
  /** A reading at or above it is a fever (default 37.3 °C). */
  feverThresholdC: tenths(35, 42).optional(),
  /** Follow-up window of a close contact, in days after the last exposure (default 14). */
  followUpDays: z.number().int().min(1).max(60).optional(),
  /** Follow-up checks a day (default 2). */
  followUpPerDay: z.number().int().min(1).max(6).optional(),
  /** Travel look-back, in days (default 15). */
  travelLookbackDays: z.number().int().min(1).max(60).optional(),
  /** Days the personal data are kept after the close (default 30). */
  retentionDays: z.number().int().min(0).max(3650).optional(),
};

export const createIncidentBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  startDate: isoDate,
  /** Site codes the incident covers (everyone living or working there). */
  sites: z.array(siteCode).max(200).default([]),
  /** Unit codes the incident covers (with the units below them). */
  units: z.array(unitCode).max(200).default([]),
  ...settingsFields,
});
export type CreateIncidentBody = z.infer<typeof createIncidentBody>;

export const patchIncidentBody = z.strictObject({
  version: z.number().int().min(1),
  name: z.string().trim().min(1).max(100).optional(),
  /** Replaces the covered sites / units when given. */
  sites: z.array(siteCode).max(200).optional(),
  units: z.array(unitCode).max(200).optional(),
  ...settingsFields,
});
export type PatchIncidentBody = z.infer<typeof patchIncidentBody>;

/** The incident's name typed again, as a confirmation that the right one is being closed. */
export const closeIncidentBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const purgeBody = z.strictObject({ dryRun: z.boolean() });
export const incidentParams = z.strictObject({ id: z.uuid() });

/** Rows per table that a purge deletes (or, in a dry run, would delete). */
export const purgeCountsSchema = z.record(z.string(), z.number().int());
export type PurgeCounts = z.infer<typeof purgeCountsSchema>;

export const purgeReportSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  dryRun: z.boolean(),
  counts: purgeCountsSchema,
  /** Sum of the counts. */
  total: z.number().int(),
  runAt: z.string(),
  /** User name; null for the job. */
  runBy: z.string().nullable(),
});
export type PurgeReport = z.infer<typeof purgeReportSchema>;
export const purgeReportList = z.object({ rows: z.array(purgeReportSchema) });

const named = z.object({ code: z.string(), nameZh: z.string() });

export const incidentSettingsSchema = z.object({
  declarationDueTime: z.string(),
  feverThresholdC: z.number(),
  followUpDays: z.number().int(),
  followUpPerDay: z.number().int(),
  travelLookbackDays: z.number().int(),
  retentionDays: z.number().int(),
});

export const incidentSchema = z.object({
  id: z.string(),
  name: z.string(),
  startDate: z.string(),
  status: z.enum(['active', 'closed', 'purged']),
  sites: z.array(named),
  units: z.array(named),
  settings: incidentSettingsSchema,
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** When the personal data may be purged (closedAt + retentionDays). */
  purgeDueAt: z.string().nullable(),
  purgedAt: z.string().nullable(),
  /** The latest purge run or dry run. */
  lastPurge: purgeReportSchema.nullable(),
  version: z.number().int(),
});
export type IncidentView = z.infer<typeof incidentSchema>;
export const incidentList = z.object({ rows: z.array(incidentSchema) });
