import { z } from 'zod';
import { indicatorCode } from '../indicators/indicators.schemas';

export const monthPeriod = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period: YYYY-MM');
export const unitCode = z.string().regex(/^[A-Z][A-Z0-9_-]{0,31}$/, 'unit code');
export const measurementStatus = z.enum(['draft', 'submitted', 'returned', 'approved']);

export const entryRow = z.object({
  indicator: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  uom: z.string(),
  precision: z.number().int(),
  direction: z.enum(['higher', 'lower', 'band']),
  derived: z.boolean(),
  formula: z.string().nullable(),
  value: z.number().nullable(),
  note: z.string(),
  status: measurementStatus.nullable(),
  source: z.enum(['entry', 'import', 'demo', 'formula']).nullable(),
  suspect: z.boolean(),
  returnComment: z.string().nullable(),
  target: z.number().nullable(),
  rangeMin: z.number().nullable(),
  rangeMax: z.number().nullable(),
  /** True when the value misses its target, so a note is required before submitting. */
  needsNote: z.boolean(),
  version: z.number().int().nullable(),
});
export type EntryRow = z.infer<typeof entryRow>;

export const entryGrid = z.object({
  unit: z.string(),
  period: z.string(),
  locked: z.boolean(),
  canEnter: z.boolean(),
  canApprove: z.boolean(),
  rows: z.array(entryRow),
});
export type EntryGrid = z.infer<typeof entryGrid>;

export const entryQuery = z.strictObject({ unit: unitCode, period: monthPeriod });

export const saveEntryBody = z.strictObject({
  unit: unitCode,
  period: monthPeriod,
  values: z
    .array(
      z.strictObject({
        indicator: indicatorCode,
        value: z.number().finite().min(-1e15).max(1e15).nullable(),
        note: z.string().trim().max(1000).default(''),
      }),
    )
    .max(500),
});
export type SaveEntryBody = z.infer<typeof saveEntryBody>;

export const unitPeriodBody = z.strictObject({ unit: unitCode, period: monthPeriod });
export const returnBody = z.strictObject({ unit: unitCode, period: monthPeriod, comment: z.string().trim().min(1).max(1000) });
export const reopenBody = z.strictObject({ unit: unitCode, period: monthPeriod, reason: z.string().trim().min(1).max(1000) });

export const workflowResult = z.object({ unit: z.string(), period: z.string(), changed: z.number().int(), status: measurementStatus });

export const missingQuery = z.strictObject({ period: monthPeriod });
export const missingReport = z.object({
  period: z.string(),
  units: z.array(z.object({ unit: z.string(), nameZh: z.string(), nameEn: z.string(), expected: z.number().int(), missing: z.array(z.string()) })),
});

export const periodSchema = z.object({ period: z.string(), locked: z.boolean(), changedAt: z.string().nullable(), reason: z.string().nullable(), version: z.number().int() });
export const periodList = z.object({ items: z.array(periodSchema) });
export const periodParams = z.strictObject({ period: monthPeriod });
export const lockBody = z.strictObject({ reason: z.string().trim().max(1000).default('') });
export const unlockBody = z.strictObject({ reason: z.string().trim().min(1).max(1000) });

export const detailQuery = z.strictObject({ unit: unitCode, indicator: indicatorCode, period: monthPeriod });
export const measurementDetail = z.object({
  unit: z.string(),
  indicator: z.string(),
  period: z.string(),
  value: z.number().nullable(),
  status: measurementStatus.nullable(),
  source: z.enum(['entry', 'import', 'demo', 'formula']).nullable(),
  note: z.string(),
  suspect: z.boolean(),
  enteredBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /** When the value was last written (entered, imported or moved through the workflow). */
  updatedAt: z.string().nullable(),
  /** Why it was returned or reopened, while it waits for the clerk. */
  returnComment: z.string().nullable(),
  formula: z.string().nullable(),
  inputs: z.array(z.object({ indicator: z.string(), value: z.number().nullable(), status: measurementStatus.nullable(), source: z.string().nullable() })),
  /** Each workflow step or change, with the comment of a return or the reason of a reopening. */
  history: z.array(z.object({ at: z.string(), actor: z.string().nullable(), action: z.string(), old: z.unknown().optional(), new: z.unknown().optional(), comment: z.string().nullable() })),
});
