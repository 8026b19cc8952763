import { z } from 'zod';
import { SUPERVISION_LIGHTS } from '../../../domain/supervision/lights';
import { SUPERVISION_ACTIONS, SUPERVISION_STATES } from '../../../domain/supervision/transitions';
import { isoDate } from '../../schemas';
import { unitCode } from '../measurements/measurements.schemas';

export const supervisionStates = SUPERVISION_STATES;
export const supervisionActions = SUPERVISION_ACTIONS;
export const supervisionLights = SUPERVISION_LIGHTS;

const userRef = z.object({ username: z.string(), name: z.string() });

export const supervisionItemSchema = z.object({
  id: z.string(),
  /** The sheet's running number (督办单号). */
  number: z.number().int(),
  problemId: z.string().nullable(),
  /** The problem's own number, for display. */
  problemNumber: z.number().int().nullable(),
  measureId: z.string().nullable(),
  unit: z.string(),
  title: z.string(),
  description: z.string(),
  /** 责任人: a person; `username` is the account linked to the person (null: none, the supervisor acts for them). */
  owner: z.object({ code: z.string(), name: z.string(), username: z.string().nullable() }),
  /** 督办人: who assigned the item. */
  supervisor: userRef,
  /** 审核人: who approves closure (销号); null = the supervisor. */
  reviewer: userRef.nullable(),
  dueDate: z.string(),
  yellowDays: z.number().int(),
  state: z.enum(SUPERVISION_STATES),
  /** Computed from the due date and the server's clock (Asia/Shanghai), not the stored one. */
  light: z.enum(SUPERVISION_LIGHTS),
  /** Days to the due date: 0 on the day, negative = days overdue. */
  daysLeft: z.number().int(),
  escalatedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  /** The steps the signed-in user may take now. */
  allowedActions: z.array(z.enum(SUPERVISION_ACTIONS)),
  version: z.number().int(),
});
export type SupervisionItem = z.infer<typeof supervisionItemSchema>;
export const supervisionList = z.object({ rows: z.array(supervisionItemSchema) });

export const attachmentRef = z.object({ id: z.string(), fileName: z.string(), mimeType: z.string(), size: z.number().int() });
export const supervisionEventSchema = z.object({
  id: z.string(),
  /** created, accept, start, report, approve, reject, cancel, light.yellow, light.red, escalate. */
  action: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  note: z.string(),
  attachments: z.array(attachmentRef),
  by: userRef.nullable(),
  at: z.string(),
});
export type SupervisionEvent = z.infer<typeof supervisionEventSchema>;
export const supervisionDetail = supervisionItemSchema.extend({ events: z.array(supervisionEventSchema) });
export type SupervisionDetail = z.infer<typeof supervisionDetail>;

/** Filters of the sheet: `state=open` means every state but closed and cancelled. */
export const supervisionQuery = z.strictObject({
  unit: unitCode.optional(),
  state: z.enum([...SUPERVISION_STATES, 'open']).optional(),
  light: z.enum(SUPERVISION_LIGHTS).optional(),
  problem: z.uuid().optional(),
});
export type SupervisionQuery = z.infer<typeof supervisionQuery>;
export const supervisionParams = z.strictObject({ id: z.uuid() });

export const createSupervisionBody = z.strictObject({
  problem: z.uuid().optional(),
  measure: z.uuid().optional(),
  /** Defaults to the problem's unit. */
  unit: unitCode.optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(4000).default(''),
  /** The owner person's code (责任人). */
  owner: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'person code'),
  /** The reviewer's username; without one the supervisor reviews. */
  reviewer: z.string().min(1).max(64).nullable().optional(),
  dueDate: isoDate,
  yellowDays: z.number().int().min(0).max(60).optional(),
});
export type CreateSupervisionBody = z.infer<typeof createSupervisionBody>;

export const transitionBody = z.strictObject({
  action: z.enum(SUPERVISION_ACTIONS),
  note: z.string().trim().max(4000).default(''),
  /** Evidence files from POST /api/attachments (report: at least one). */
  attachments: z.array(z.uuid()).max(20).default([]),
  version: z.number().int().min(1),
});
export type TransitionBody = z.infer<typeof transitionBody>;

export const lightsRunResult = z.object({
  at: z.string(),
  today: z.string(),
  open: z.number().int(),
  changed: z.number().int(),
  yellow: z.number().int(),
  red: z.number().int(),
  reminders: z.number().int(),
  notified: z.number().int(),
  escalated: z.number().int(),
});
export type LightsRunResult = z.infer<typeof lightsRunResult>;
