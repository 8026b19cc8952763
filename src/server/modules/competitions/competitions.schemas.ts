import { z } from 'zod';
import { isoDate } from '../../schemas';
import { explanationSchema, itemMethods, itemParams } from '../evaluations/evaluations.schemas';
import { indicatorCode } from '../indicators/indicators.schemas';
import { unitCode } from '../measurements/measurements.schemas';

export const competitionCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'competition code');
export const competitionStatuses = ['draft', 'running', 'closed'] as const;
export const eventCategories = ['strengthen', 'supervise', 'assess', 'safety', 'quality', 'innovation', 'other', 'veto'] as const;

/** Yuan as decimal text with at most 2 places ("5000", "5000.00"). */
export const yuanText = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'yuan: digits with at most 2 decimals');

/** A number with at most 2 decimals (points, weights), read exactly as it prints. */
const twoDecimals = (min: number, max: number) =>
  z
    .number()
    .finite()
    .min(min)
    .max(max)
    .refine((x) => /^-?\d+(\.\d{1,2})?$/.test(String(x)), 'at most 2 decimals');

export const prizeSchema = z.strictObject({
  rank: z.number().int().min(1).max(1000),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().max(100).default(''),
  amountYuan: yuanText,
});

/** A data item: an indicator scored out of 100 by an evaluation method (its params as in evaluation schemes). */
const itemVariant = <M extends (typeof itemMethods)[number]>(method: M) =>
  z.strictObject({ indicator: indicatorCode, method: z.literal(method), params: itemParams[method], weight: twoDecimals(0, 1000) });
export const competitionItemBody = z.discriminatedUnion('method', [itemVariant('efficacy'), itemVariant('five-tier'), itemVariant('add-deduct'), itemVariant('pass-fail')]);

const competitionFields = {
  nameZh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().max(200).default(''),
  description: z.string().trim().max(4000).default(''),
  periodFrom: isoDate,
  periodTo: isoDate,
  status: z.enum(competitionStatuses).default('draft'),
  aggregation: z.enum(['points', 'mean']).default('points'),
  prizes: z.array(prizeSchema).max(20).default([]),
  participants: z.array(unitCode).min(1).max(200),
  items: z.array(competitionItemBody).max(50).default([]),
};
export const createCompetitionBody = z.strictObject({ code: competitionCode, ...competitionFields });
export type CreateCompetitionBody = z.infer<typeof createCompetitionBody>;
export const putCompetitionBody = z.strictObject({ ...competitionFields, version: z.number().int().min(1) });
export type PutCompetitionBody = z.infer<typeof putCompetitionBody>;

export const competitionSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  description: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  status: z.enum(competitionStatuses),
  aggregation: z.enum(['points', 'mean']),
  prizes: z.array(z.object({ rank: z.number().int(), nameZh: z.string(), nameEn: z.string(), amountYuan: z.string() })),
  participants: z.array(z.object({ unit: z.string(), unitName: z.string() })),
  items: z.array(z.object({ indicator: z.string(), method: z.enum(itemMethods), params: z.record(z.string(), z.unknown()), weight: z.number() })),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Competition = z.infer<typeof competitionSchema>;
export const competitionList = z.object({ items: z.array(competitionSchema) });
export const competitionParams = z.strictObject({ code: competitionCode });

export const eventBody = z
  .strictObject({
    unit: unitCode,
    date: isoDate,
    /** ± points, at most 2 decimals; 0 for a veto (which zeroes the unit). */
    points: twoDecimals(-1000, 1000),
    category: z.enum(eventCategories),
    reason: z.string().trim().min(1).max(1000),
  })
  .refine((e) => (e.category === 'veto' ? e.points === 0 : e.points !== 0), { message: 'a veto has 0 points; any other event adds or deducts (points ≠ 0)', path: ['points'] });
export type EventBody = z.infer<typeof eventBody>;

export const eventSchema = z.object({
  id: z.string(),
  unit: z.string(),
  date: z.string(),
  points: z.number(),
  category: z.enum(eventCategories),
  reason: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});

export const leaderboardQuery = z.strictObject({ period: z.string().trim().min(4).max(10).optional() });
export const leaderboardItemSchema = z.object({
  indicator: z.string(),
  method: z.enum(itemMethods),
  weight: z.number(),
  /** The indicator's value over the window, from approved, not suspect data. */
  value: z.number().nullable(),
  /** Out of 100; null without a trusted value (counted 0). */
  score: z.number().nullable(),
  explanation: explanationSchema.nullable(),
  problem: z.string().nullable(),
});
export const leaderboardRowSchema = z.object({
  unit: z.string(),
  unitName: z.string(),
  dataScore: z.number(),
  eventPoints: z.number(),
  total: z.number(),
  unvetoedTotal: z.number(),
  rank: z.number().int(),
  vetoed: z.boolean(),
  vetoReasons: z.array(z.string()),
  missing: z.array(z.string()),
  arithmetic: z.string(),
  prize: z.object({ rank: z.number().int(), nameZh: z.string(), nameEn: z.string(), amountYuan: z.string() }).nullable(),
  items: z.array(leaderboardItemSchema),
  events: z.array(eventSchema),
});
export const leaderboardSchema = z.object({
  competition: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  /** The window scored: the period asked for (within the competition), else "first…last" month to date. */
  period: z.string(),
  /** The months the data items cover: the period's, else the competition's up to the latest month every participant reported. */
  months: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  aggregation: z.enum(['points', 'mean']),
  rows: z.array(leaderboardRowSchema),
});
export type Leaderboard = z.infer<typeof leaderboardSchema>;
