import { z } from 'zod';

export const importKinds = ['units', 'indicators', 'assignments', 'measurements', 'targets', 'benchmarks', 'meters', 'sites', 'checkpoints', 'people'] as const;
export type ImportKind = (typeof importKinds)[number];

export const importError = z.object({ row: z.number().int(), column: z.string(), value: z.string(), message: z.string() });
export type ImportRowError = z.infer<typeof importError>;

export const importResult = z.object({
  kind: z.enum(importKinds),
  rows: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  dryRun: z.boolean(),
  errors: z.array(importError),
});
export type ImportResult = z.infer<typeof importResult>;

/** Where a running import stands: read the file → check every row → write → done (or failed). */
export const importProgress = z.object({
  phase: z.enum(['reading', 'checking', 'writing', 'done', 'failed']),
  /** Data rows in the file, once read. */
  rows: z.number().int().nullable(),
  /** Rows written so far (also while a measurement file is still read, as they are written together) and to write, while writing. */
  written: z.number().int().nullable(),
  toWrite: z.number().int().nullable(),
  /** While a large .xlsx streams: the data rows its worksheet declares (an estimate; `rows` may end above or below it). */
  expectedRows: z.number().int().optional(),
});
export type ImportProgress = z.infer<typeof importProgress>;
export const importProgressParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'an id of 8–64 letters, digits or -') });

export const templateQuery = z.strictObject({
  kind: z.enum(importKinds),
  unit: z.string().regex(/^[A-Z][A-Z0-9_-]{0,31}$/).optional(),
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/).optional(),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  lang: z.enum(['zh', 'en']).default('zh'),
});
