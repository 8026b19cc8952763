import { z } from 'zod';
import { isoDate } from '../../schemas';
import { unitCode } from '../measurements/measurements.schemas';

export const CARRIERS = ['power', 'water', 'air', 'gas', 'steam', 'heat'] as const;
export type Carrier = (typeof CARRIERS)[number];
export const METER_KINDS = ['counter', 'interval', 'virtual'] as const;
export type MeterKind = (typeof METER_KINDS)[number];
export const INTERVAL_MINUTES = [1, 5, 10, 15, 30, 60, 1440] as const;

/** The most readings one request (or file) may carry. */
export const maxReadingsPerRequest = 50_000;

export const meterCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'meter code: letters, digits, _ . -, up to 64');
export const formulaTerm = z.strictObject({ meter: meterCode, sign: z.union([z.literal(1), z.literal(-1)]) });
export type FormulaTerm = z.infer<typeof formulaTerm>;

const meterFields = {
  nameZh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().max(200).default(''),
  carrier: z.enum(CARRIERS),
  kind: z.enum(METER_KINDS),
  uom: z.string().trim().min(1).max(20),
  unit: unitCode,
  /** The meter above this one in the unit's tree (its unit is the same unit or one above). */
  parent: meterCode.nullable().default(null),
  /** Counters only: the register wraps to 0 at this value. */
  rollover: z.number().positive().max(1e18).nullable().default(null),
  /** CT/PT ratio: readings × multiplier = consumption. */
  multiplier: z.number().positive().max(1e9).default(1),
  intervalMinutes: z
    .number()
    .int()
    .refine((n) => (INTERVAL_MINUTES as readonly number[]).includes(n), `one of ${INTERVAL_MINUTES.join(', ')} minutes`)
    .default(15),
  /** Virtual meters only: the signed sum of other meters of the same carrier and unit of measure. */
  formula: z.array(formulaTerm).max(100).default([]),
  validFrom: isoDate.default('2000-01-01'),
  validTo: isoDate.nullable().default(null),
  sortOrder: z.number().int().min(0).max(100_000).default(0),
};
export const createMeterBody = z.strictObject({ code: meterCode, ...meterFields });
export type CreateMeterBody = z.infer<typeof createMeterBody>;
export const putMeterBody = z.strictObject({ ...meterFields, active: z.boolean().default(true), version: z.number().int().min(1) });
export type PutMeterBody = z.infer<typeof putMeterBody>;

export const meterSchema = z.object({
  id: z.string(),
  /** The small integer readings are stored under. */
  key: z.number().int(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  carrier: z.enum(CARRIERS),
  kind: z.enum(METER_KINDS),
  uom: z.string(),
  unit: z.string(),
  unitName: z.string(),
  parent: z.string().nullable(),
  rollover: z.number().nullable(),
  multiplier: z.number(),
  intervalMinutes: z.number().int(),
  formula: z.array(formulaTerm),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  active: z.boolean(),
  sortOrder: z.number().int(),
  version: z.number().int(),
});
export type Meter = z.infer<typeof meterSchema>;
export const replacementSchema = z.object({ id: z.string(), meter: z.string(), at: z.string(), oldFinal: z.number(), newInitial: z.number(), note: z.string() });
export type Replacement = z.infer<typeof replacementSchema>;
export const meterDetail = meterSchema.extend({ replacements: z.array(replacementSchema) });
export const meterList = z.object({ rows: z.array(meterSchema) });
export const meterQuery = z.strictObject({ unit: unitCode.optional(), carrier: z.enum(CARRIERS).optional() });
export const meterParams = z.strictObject({ code: meterCode });
export const replacementBody = z.strictObject({
  /** ISO-8601; without an offset Asia/Shanghai. */
  at: z.string().max(40),
  oldFinal: z.number().min(0).max(1e18),
  newInitial: z.number().min(0).max(1e18),
  note: z.string().trim().max(1000).default(''),
});
export type ReplacementBody = z.infer<typeof replacementBody>;

export const readingsBody = z.strictObject({
  readings: z
    .array(z.unknown())
    .min(1)
    .max(maxReadingsPerRequest)
    .describe('Up to 50 000 items { "meter": "<code>", "at": "<ISO-8601, e.g. 2026-03-01T08:15:00+08:00; without an offset Asia/Shanghai>", "value": <number> }; each is checked on its own'),
});
export const rejectedReading = z.object({
  /** Position in the request's readings (from 0), or in the file's data rows. */
  index: z.number().int(),
  /** The file row (CSV/xlsx uploads only). */
  row: z.number().int().optional(),
  message: z.string(),
});
export type RejectedReading = z.infer<typeof rejectedReading>;
export const ingestResult = z.object({
  batch: z.string(),
  received: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(rejectedReading),
  /** (meter, day) pairs queued for recomputation; consumption reads wait for them (GET /api/energy/queue shows the rest). */
  pendingDays: z.number().int(),
});
export type IngestResult = z.infer<typeof ingestResult>;

export const readingQuery = z.strictObject({
  meter: meterCode,
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export const readingList = z.object({
  meter: z.string(),
  rows: z.array(z.object({ at: z.string(), value: z.number(), receivedAt: z.string(), batch: z.string().nullable() })),
  /** More readings match than `limit`. */
  truncated: z.boolean(),
});
