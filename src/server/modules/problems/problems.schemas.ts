import { z } from 'zod';
import { PROBLEM_STATUSES } from '../../../domain/problems/problem-status';
import { isoDate } from '../../schemas';
import { indicatorCode } from '../indicators/indicators.schemas';
import { unitCode } from '../measurements/measurements.schemas';

export const problemSources = ['warning', 'audit', 'meeting', 'instruction', 'customer', 'other'] as const;
/** Sources of a problem raised by hand (warnings raise theirs on a scan). */
export const manualSources = ['audit', 'meeting', 'instruction', 'customer', 'other'] as const;
export const severities = ['low', 'medium', 'high', 'critical'] as const;
export const measureStatuses = ['open', 'done', 'cancelled'] as const;

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
const uuid = z.uuid();
const personCode = z.string().trim().min(1).max(32);
const version = z.number().int().min(1);

export const problemParams = z.strictObject({ id: uuid });
export const measureParams = z.strictObject({ id: uuid });
export const attachmentParams = z.strictObject({ id: uuid });

export const problemQuery = z.strictObject({
  unit: unitCode.optional(),
  status: z.enum(PROBLEM_STATUSES).optional(),
  source: z.enum(problemSources).optional(),
  indicator: indicatorCode.optional(),
});
export type ProblemQuery = z.infer<typeof problemQuery>;

export const createProblemBody = z.strictObject({
  source: z.enum(manualSources),
  unit: unitCode,
  indicators: z.array(indicatorCode).max(20).default([]),
  title: required(200),
  description: text(4000).default(''),
  causeAnalysis: text(4000).default(''),
  severity: z.enum(severities).default('medium'),
});
export type CreateProblemBody = z.infer<typeof createProblemBody>;

export const putProblemBody = z.strictObject({
  title: required(200).optional(),
  description: text(4000).optional(),
  causeAnalysis: text(4000).optional(),
  severity: z.enum(severities).optional(),
  version,
});
export type PutProblemBody = z.infer<typeof putProblemBody>;

export const cancelBody = z.strictObject({ reason: required(1000), version });
export const closeBody = z.strictObject({ note: required(2000), attachments: z.array(uuid).min(1).max(20), version });
export type CloseBody = z.infer<typeof closeBody>;

export const createMeasureBody = z.strictObject({
  description: required(2000),
  owner: personCode,
  coUnits: z.array(unitCode).max(20).default([]),
  dueDate: isoDate,
});
export type CreateMeasureBody = z.infer<typeof createMeasureBody>;

export const putMeasureBody = z.strictObject({
  description: required(2000).optional(),
  owner: personCode.optional(),
  coUnits: z.array(unitCode).max(20).optional(),
  dueDate: isoDate.optional(),
  status: z.enum(measureStatuses).optional(),
  version,
});
export type PutMeasureBody = z.infer<typeof putMeasureBody>;

export const measureUpdateBody = z.strictObject({
  note: required(2000),
  progress: z.number().int().min(0).max(100).optional(),
  attachments: z.array(uuid).max(20).default([]),
});
export type MeasureUpdateBody = z.infer<typeof measureUpdateBody>;

export const attachmentSchema = z.object({ id: z.string(), fileName: z.string(), mimeType: z.string(), size: z.number().int() });
export type Attachment = z.infer<typeof attachmentSchema>;

export const measureCounts = z.object({ total: z.number().int(), open: z.number().int(), overdue: z.number().int() });

export const problemSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  source: z.enum(problemSources),
  unit: z.string(),
  unitName: z.string(),
  indicators: z.array(z.string()),
  title: z.string(),
  description: z.string(),
  causeAnalysis: z.string(),
  severity: z.enum(severities),
  status: z.enum(PROBLEM_STATUSES),
  warningId: z.string().nullable(),
  /** The rule of the warning that raised it (null when raised by hand). */
  rule: z.string().nullable(),
  /** The month the data gap was seen. */
  gapPeriod: z.string().nullable(),
  verifyPeriods: z.number().int(),
  /** What the last check of the data found (months after the gap, good run, evidence). */
  verification: z.record(z.string(), z.unknown()),
  raisedAt: z.string(),
  /** Username; null when a warnings scan raised it. */
  raisedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  measures: measureCounts,
  version: z.number().int(),
});
export type Problem = z.infer<typeof problemSchema>;
export const problemList = z.object({ rows: z.array(problemSchema) });

export const measureUpdateSchema = z.object({
  id: z.string(),
  note: z.string(),
  progress: z.number().int().nullable(),
  attachments: z.array(attachmentSchema),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export const measureSchema = z.object({
  id: z.string(),
  problemId: z.string(),
  description: z.string(),
  owner: z.object({ code: z.string(), name: z.string() }),
  coUnits: z.array(z.string()),
  dueDate: z.string(),
  progress: z.number().int(),
  status: z.enum(measureStatuses),
  overdue: z.boolean(),
  updates: z.array(measureUpdateSchema),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Measure = z.infer<typeof measureSchema>;

export const problemDetail = problemSchema.extend({
  measures: z.array(measureSchema),
  measureCounts,
  warning: z.object({ id: z.string(), rule: z.string(), indicator: z.string(), state: z.string(), period: z.string().nullable(), facts: z.record(z.string(), z.unknown()) }).nullable(),
  supervisionItems: z.array(z.object({ id: z.string(), number: z.number().int(), state: z.string(), dueDate: z.string() })),
});
export type ProblemDetail = z.infer<typeof problemDetail>;
