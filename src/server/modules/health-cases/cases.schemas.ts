import { z } from 'zod';
import { isoDate, isoDateTime } from '../../schemas';
import { personCode, siteCode } from '../access-live/access-scope';

/** Abnormal cases (异常情况): the ledger (台账), the tracking card (跟踪卡) and their actions (issue 7). */
export const caseSources = ['gate', 'declaration', 'status', 'screening', 'exposure', 'manual'] as const;
export const caseReasons = ['FEVER', 'HEALTH_RED', 'SYMPTOMS', 'RISK_TRAVEL', 'CONTACT', 'OTHER'] as const;
export const classifications = ['unclassified', 'suspected', 'confirmed', 'excluded'] as const;
export type Classification = (typeof classifications)[number];
export const outcomes = ['recovered', 'excluded', 'hospitalised', 'transferred', 'died', 'other'] as const;
export const caseStatuses = ['open', 'closed'] as const;
const colours = ['green', 'yellow', 'red'] as const;

/** °C with at most one decimal, as thermometers show it and numeric(4, 1) stores it (no silent rounding). */
export const temperatureC = z
  .number()
  .min(30)
  .max(45)
  .refine((t) => Math.abs(t * 10 - Math.round(t * 10)) < 1e-9, 'at most one decimal')
  .describe('°C, at most one decimal');
const note = z.string().trim().min(1).max(1000);
const version = z.number().int().min(1).describe('the version read; a stale one is refused (409)');

export const caseParams = z.strictObject({ id: z.uuid() });

/** The ledger's filters; the export takes the same ones without paging. */
const ledgerFilters = {
  status: z.enum(caseStatuses).optional(),
  reason: z.enum(caseReasons).optional(),
  classification: z.enum(classifications).optional(),
  site: siteCode.optional().describe("the case's site (else the person's)"),
  from: isoDate.optional().describe('first day opened (Asia/Shanghai); also the first day of `daily`'),
  to: isoDate.optional().describe('last day opened (Asia/Shanghai); also the last day of `daily` (default today)'),
  q: z.string().trim().min(1).max(32).optional().describe('prefix of the person code'),
  incident: z.union([z.uuid(), z.literal('all')]).optional().describe("an incident id, or 'all'; default the active incident (every case when there is none)"),
};
export const caseQuery = z.strictObject({
  ...ledgerFilters,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type CaseQuery = z.infer<typeof caseQuery>;
export type LedgerFilters = Omit<CaseQuery, 'page' | 'pageSize'>;
export const caseExportQuery = z.strictObject({
  ...ledgerFilters,
  unmask: z.enum(['true', 'false']).optional().describe('full names and phones; needs personal.unmask and a reason (audited)'),
  unmaskReason: z.string().max(500).optional().describe('why the full names are needed (at least 4 characters); written to the audit log'),
});
export type CaseExportQuery = z.infer<typeof caseExportQuery>;

const personRef = z.object({ code: z.string(), name: z.string().describe('masked'), category: z.string() });
const siteRef = z.object({ code: z.string(), nameZh: z.string() });

export const caseRowSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  person: personRef,
  site: siteRef.nullable(),
  source: z.enum(caseSources),
  reason: z.enum(caseReasons),
  classification: z.enum(classifications),
  temperatureC: z.number().nullable(),
  openedAt: z.string(),
  status: z.enum(caseStatuses),
  outcome: z.enum(outcomes).nullable(),
  closedAt: z.string().nullable(),
  lastFollowUpAt: z.string().nullable(),
  inQuarantine: z.boolean(),
});
export type CaseRow = z.infer<typeof caseRowSchema>;

export const dailyCount = z.object({ date: z.string(), opened: z.number().int(), closed: z.number().int(), open: z.number().int().describe('open at the end of the day') });
export type DailyCount = z.infer<typeof dailyCount>;

export const caseLedger = z.object({
  rows: z.array(caseRowSchema),
  total: z.number().int().describe('rows matching every filter'),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Over the filters except status. */
  totals: z.object({ cases: z.number().int(), open: z.number().int(), closed: z.number().int(), byClassification: z.record(z.enum(classifications), z.number().int()) }),
  period: z.object({ from: z.string(), to: z.string() }),
  daily: z.array(dailyCount),
});
export type CaseLedger = z.infer<typeof caseLedger>;

const by = z.string().nullable().describe('user name');
const checkpointRef = z.object({ code: z.string(), nameZh: z.string() });
/** One entry of the tracking card's timeline, by kind. */
export const timelineEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opened'), at: z.string(), by, source: z.enum(caseSources), reason: z.enum(caseReasons), temperatureC: z.number().nullable(), note: z.string().nullable() }),
  z.object({ kind: z.literal('follow-up'), at: z.string(), by, temperatureC: z.number().nullable(), fever: z.boolean(), condition: z.string(), action: z.string().nullable() }),
  z.object({ kind: z.literal('gate'), at: z.string(), checkpoint: checkpointRef, direction: z.enum(['in', 'out']), decision: z.enum(['allow', 'deny']), reason: z.string().nullable(), temperatureC: z.number().nullable() }),
  z.object({ kind: z.literal('declaration'), at: z.string(), date: z.string(), temperatureC: z.number().nullable(), symptomCount: z.number().int(), status: z.enum(colours) }),
  z.object({
    kind: z.literal('quarantine'), at: z.string(), id: z.string(), place: z.enum(['home', 'facility']), facility: z.string().nullable(), startDate: z.string(), plannedEnd: z.string(),
    status: z.string(), done: z.number().int(), missed: z.number().int(), planned: z.number().int().describe('checks still to come (due today or later)'),
  }),
  z.object({ kind: z.literal('transfer'), at: z.string(), id: z.string(), vehicle: z.string(), from: z.string(), to: z.string() }),
  z.object({
    kind: z.literal('exposure'), at: z.string(), id: z.string(), role: z.enum(['source', 'contact']).describe("this person's role"), other: personRef,
    date: z.string(), type: z.string(), certainty: z.string(), close: z.boolean(), active: z.boolean(),
  }),
  z.object({ kind: z.literal('classified'), at: z.string(), by, from: z.enum(classifications), to: z.enum(classifications), note: z.string().nullable() }),
  z.object({ kind: z.literal('closed'), at: z.string(), by, outcome: z.enum(outcomes), note: z.string().nullable() }),
]);
export type TimelineEntry = z.infer<typeof timelineEntry>;

/** The tracking card (异常情况跟踪卡). */
export const caseCard = z.object({
  case: caseRowSchema.extend({
    incident: z.object({ id: z.string(), name: z.string() }).nullable(),
    feverThresholdC: z.number(),
    note: z.string().nullable(),
    openedBy: by,
    closedBy: by,
    closureNote: z.string().nullable(),
    version: z.number().int(),
  }),
  person: personRef.extend({
    site: siteRef.nullable(),
    household: z.string().nullable(),
    unit: z.object({ code: z.string(), nameZh: z.string() }).nullable(),
    status: z.object({ colour: z.enum(colours), rule: z.string(), since: z.string(), explanation: z.object({ zh: z.string(), en: z.string() }).nullable() }).nullable(),
  }),
  timeline: z.array(timelineEntry).describe('in time order'),
});
export type CaseCard = z.infer<typeof caseCard>;

export const openCaseBody = z.strictObject({
  person: personCode,
  reason: z.enum(caseReasons),
  note: note.optional(),
  classification: z.enum(['unclassified', 'suspected', 'confirmed']).optional(),
  temperatureC: temperatureC.optional(),
});
export type OpenCaseBody = z.infer<typeof openCaseBody>;
export const openCaseResult = z.object({ id: z.string(), number: z.number().int(), opened: z.boolean().describe('false: the person had an open case; the cause was written on its card') });

export const followUpBody = z.strictObject({
  at: isoDateTime.optional().describe('default now'),
  temperatureC: temperatureC.optional(),
  condition: z.string().trim().min(1).max(500),
  action: z.string().trim().min(1).max(500).optional(),
});
export type FollowUpBody = z.infer<typeof followUpBody>;
export const followUpResult = z.object({ id: z.string(), caseId: z.string(), at: z.string(), temperatureC: z.number().nullable(), fever: z.boolean() });

export const classifyBody = z.strictObject({ classification: z.enum(classifications), note, version });
export type ClassifyBody = z.infer<typeof classifyBody>;
export const closeBody = z.strictObject({ outcome: z.enum(outcomes), note, version });
export type CloseBody = z.infer<typeof closeBody>;
