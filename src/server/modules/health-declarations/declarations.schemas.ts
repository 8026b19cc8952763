import { z } from 'zod';
import { symptomCodes, type SymptomCode } from '../../../domain/health/status-rules';
import { isoDate } from '../../schemas';
import { personCode, siteCode } from '../access-live/access-scope';

const colour = z.enum(['green', 'yellow', 'red']);
const symptom = z.enum(symptomCodes.map((s) => s.code) as [SymptomCode, ...SymptomCode[]]);

/** A body temperature in °C, 30–45, at most one decimal (thermometers show tenths). */
export const temperatureC = z
  .number()
  .min(30)
  .max(45)
  .refine((t) => Math.abs(t * 10 - Math.round(t * 10)) < 1e-9, 'at most one decimal (e.g. 36.8)');

export const declarationBody = z.strictObject({
  /** The person declared for, by code: oneself, a household member, or (grid worker) anyone in scope. */
  person: personCode,
  /** Today or yesterday (Asia/Shanghai). */
  date: isoDate,
  temperatureC,
  symptoms: z
    .array(symptom)
    .max(symptomCodes.length)
    .refine((s) => new Set(s).size === s.length, 'each symptom once')
    .describe(`symptom codes: ${symptomCodes.map((s) => s.code).join(', ')}`),
  location: z.string().trim().min(1).max(200).optional().describe('current location; stored encrypted'),
  riskAreaContact: z.boolean().optional().describe('contact with a risk area'),
  caseContact: z.boolean().optional().describe('contact with a (suspected) case'),
});
export type DeclarationBody = z.infer<typeof declarationBody>;

export const declarationResult = z.object({
  id: z.string(),
  status: colour.describe('the person’s health status after this declaration'),
  abnormalCaseId: z.string().nullable().describe('the abnormal case this declaration opened or was noted on; null when it gave no cause'),
});
export type DeclarationResult = z.infer<typeof declarationResult>;

const day = z.object({ date: z.string(), temperatureC: z.number().nullable(), symptoms: z.array(z.string()), status: colour });

export const myDeclarations = z.object({
  today: z.string().describe('today, Asia/Shanghai'),
  /** Null: this account has no person record. */
  person: z.object({ code: z.string(), name: z.string().describe('masked') }).nullable(),
  incident: z.object({ name: z.string(), dueTime: z.string().describe('declarations are due by this local time'), feverThresholdC: z.number() }).nullable(),
  /** Whether the active incident covers me (declarations are due). */
  covered: z.boolean(),
  declaration: z
    .object({
      id: z.string(),
      date: z.string(),
      temperatureC: z.number().nullable(),
      symptoms: z.array(z.string()),
      location: z.string().nullable(),
      riskAreaContact: z.boolean(),
      caseContact: z.boolean(),
      status: colour,
      onBehalf: z.boolean(),
      updatedAt: z.string(),
      version: z.number().int(),
    })
    .nullable(),
  /** Covered, past the due time and nothing declared today. */
  overdue: z.boolean(),
  status: z.object({ status: colour, rule: z.string(), since: z.string(), explanation: z.object({ zh: z.string(), en: z.string() }).nullable() }).nullable(),
  /** The last 30 days, oldest first. */
  history: z.array(day),
  /** The members of my household I may declare for. */
  household: z.array(z.object({ code: z.string(), name: z.string().describe('masked'), declaredToday: z.boolean() })),
});
export type MyDeclarations = z.infer<typeof myDeclarations>;

export const declarationStates = ['missing', 'declared', 'all'] as const;
export const declarationListQuery = z.strictObject({
  /** Default today (Asia/Shanghai). */
  date: isoDate.optional(),
  site: siteCode.optional(),
  /** A grid cell code within `site`. */
  grid: z.string().trim().min(1).max(40).optional(),
  state: z.enum(declarationStates).default('all'),
  /** Part of a person's code or name. */
  q: z.string().trim().min(1).max(50).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type DeclarationListQuery = z.infer<typeof declarationListQuery>;

export const declarationRow = z.object({
  code: z.string(),
  name: z.string().describe('masked'),
  site: z.object({ code: z.string(), nameZh: z.string() }).nullable(),
  household: z.string().nullable().describe('household code'),
  gridCell: z.object({ code: z.string(), name: z.string() }).nullable(),
  declared: z.boolean(),
  temperatureC: z.number().nullable(),
  fever: z.boolean(),
  symptomsCount: z.number().int(),
  onBehalf: z.boolean().nullable(),
  status: colour.nullable().describe('current health status'),
  remindedAt: z.string().nullable().describe('the last reminder for this date'),
});
export type DeclarationRow = z.infer<typeof declarationRow>;

export const declarationList = z.object({
  date: z.string(),
  incident: z.object({ id: z.string(), name: z.string(), dueTime: z.string(), feverThresholdC: z.number() }),
  /** For the filter (site, grid, q), whatever the state: covered people, declared, not declared, with a fever. */
  counts: z.object({ due: z.number().int(), done: z.number().int(), missing: z.number().int(), fever: z.number().int() }),
  rows: z.array(declarationRow),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type DeclarationList = z.infer<typeof declarationList>;

export const remindBody = z.strictObject({
  date: isoDate,
  people: z.array(personCode).min(1).max(500),
});
export type RemindBody = z.infer<typeof remindBody>;
export const remindResult = z.object({
  reminded: z.number().int().describe('reminders written'),
  notified: z.number().int().describe('of them, people with an account who got an in-app notification'),
  alreadyDeclared: z.number().int().describe('people skipped because they had declared for that date'),
});
export type RemindResult = z.infer<typeof remindResult>;

export const personParams = z.strictObject({ code: personCode });
export const trendQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) });
export const personTrend = z.object({
  person: z.object({ code: z.string(), name: z.string().describe('masked') }),
  from: z.string(),
  to: z.string(),
  feverThresholdC: z.number(),
  /** Oldest first; days without a declaration are absent. */
  rows: z.array(day.extend({ onBehalf: z.boolean() })),
});
export type PersonTrend = z.infer<typeof personTrend>;
