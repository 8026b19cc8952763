import { z } from 'zod';
import type { DailyDigestContent } from '../../../domain/notices/daily-digest';
import type { WeeklyNoticeContent } from '../../../domain/notices/weekly-notice';

export const noticeKinds = ['weekly', 'daily'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** An ISO week 'YYYY-Www' (the notice's period). */
export const weekKey = z.string().regex(/^\d{4}-W\d{2}$/, 'must be an ISO week YYYY-Www');

// ---- the weekly notice's content (domain/notices/weekly-notice.ts) ---------------------------

const unitRef = { unitId: z.string(), unit: z.string(), unitZh: z.string(), unitEn: z.string() };
const problemLine = z.object({ ...unitRef, id: z.string(), number: z.number().int(), title: z.string(), source: z.string(), severity: z.string(), status: z.string(), raisedAt: z.string(), closedAt: z.string().nullable() });
const itemLine = z.object({
  ...unitRef,
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  owner: z.string(),
  dueDate: z.string(),
  state: z.string(),
  assignedAt: z.string(),
  closedAt: z.string().nullable(),
  problemNumber: z.number().int().nullable(),
  /** Days past the due date on the day it was closed, or on the day of publication. */
  overdueDays: z.number().int(),
});
const warningLine = z.object({ ...unitRef, id: z.string(), indicator: z.string(), indicatorZh: z.string(), indicatorEn: z.string(), rule: z.string(), state: z.string(), period: z.string().nullable(), firedAt: z.string() });
const recordLine = z.object({
  ...unitRef,
  measurementId: z.string(),
  indicator: z.string(),
  indicatorZh: z.string(),
  indicatorEn: z.string(),
  uom: z.string(),
  direction: z.enum(['higher', 'lower', 'band']),
  period: z.string(),
  value: z.number(),
  approvedAt: z.string(),
  previousBest: z.number(),
  previousBestPeriod: z.string(),
});
const counts = {
  newProblems: z.number().int(),
  closedProblems: z.number().int(),
  newItems: z.number().int(),
  closedItems: z.number().int(),
  overdueItems: z.number().int(),
  redItems: z.number().int(),
  warnings: z.number().int(),
  records: z.number().int(),
  verifiedProblems: z.number().int(),
};

export const weeklyContent = z.object({
  kind: z.literal('weekly'),
  period: z.string(),
  monday: z.string(),
  sunday: z.string(),
  /** "Red now" is as of this instant (the publication). */
  asOf: z.string(),
  newProblems: z.array(problemLine),
  closedProblems: z.array(problemLine),
  newItems: z.array(itemLine),
  closedItems: z.array(itemLine),
  /** Items whose first day past the due date fell in the week (went red). */
  overdueItems: z.array(itemLine),
  /** Items red at publication. */
  redItems: z.array(itemLine),
  warnings: z.array(warningLine),
  records: z.array(recordLine),
  units: z.array(z.object({ ...unitRef, ...counts })),
  totals: z.object({ ...counts, units: z.number().int() }),
});
export type WeeklyContent = z.infer<typeof weeklyContent>;
export type ProblemLine = z.infer<typeof problemLine>;
export type ItemLine = z.infer<typeof itemLine>;
export type WarningLine = z.infer<typeof warningLine>;
export type RecordLine = z.infer<typeof recordLine>;

// ---- the daily digest's content (domain/notices/daily-digest.ts) -----------------------------

const digestItem = z.object({ id: z.string(), number: z.number().int(), unit: z.string(), title: z.string(), owner: z.string(), dueDate: z.string(), state: z.string(), light: z.string(), daysLeft: z.number().int() });
export const dailyContent = z.object({
  kind: z.literal('daily'),
  day: z.string(),
  measures: z.array(z.object({ id: z.string(), problemId: z.string(), problemNumber: z.number().int(), problemTitle: z.string(), unit: z.string(), description: z.string(), dueDate: z.string(), progress: z.number().int(), daysLeft: z.number().int() })),
  items: z.array(digestItem),
  dueSoon: z.array(z.object({ type: z.enum(['measure', 'item']), id: z.string(), title: z.string(), dueDate: z.string(), daysLeft: z.number().int() })),
  redItems: z.array(digestItem),
  warnings: z.array(z.object({ id: z.string(), unit: z.string(), indicator: z.string(), indicatorZh: z.string(), indicatorEn: z.string(), rule: z.string(), period: z.string().nullable(), firedAt: z.string() })),
  totals: z.object({ measures: z.number().int(), items: z.number().int(), dueSoon: z.number().int(), redItems: z.number().int(), warnings: z.number().int() }),
});
export type DailyContent = z.infer<typeof dailyContent>;

// The schemas describe exactly what the domain builds (a drift fails type-checking here).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const weeklyMatches: Same<WeeklyContent, WeeklyNoticeContent> = true;
const dailyMatches: Same<DailyContent, DailyDigestContent> = true;
void weeklyMatches;
void dailyMatches;

// ---- the notice board -------------------------------------------------------------------------

export const noticeSummary = z.object({
  id: z.string(),
  kind: z.enum(noticeKinds),
  /** 'YYYY-Www' for a weekly notice, 'YYYY-MM-DD' for a daily digest. */
  period: z.string(),
  title: z.string(),
  publishedAt: z.string(),
  /** Whether the caller has read it. */
  read: z.boolean(),
});
export type NoticeSummary = z.infer<typeof noticeSummary>;
export const noticeList = z.object({ rows: z.array(noticeSummary) });
export const noticeQuery = z.strictObject({
  kind: z.enum(noticeKinds).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const noticeDetail = noticeSummary.extend({
  readAt: z.string().nullable(),
  /** Weekly: the lines of the units in the caller's data scope only, counted again. */
  content: z.discriminatedUnion('kind', [weeklyContent, dailyContent]),
});
export type NoticeDetail = z.infer<typeof noticeDetail>;
export const noticeParams = z.strictObject({ id: z.uuid() });

export const readReceipt = z.object({ id: z.string(), read: z.literal(true), readAt: z.string() });

const reader = z.object({ userId: z.string(), username: z.string(), displayName: z.string(), unit: z.string().nullable(), readAt: z.string().nullable() });
export type Reader = z.infer<typeof reader>;
export const noticeReads = z.object({
  id: z.string(),
  /** Users (with problem.read, active, in the caller's scope) who opened it, first reader first. */
  read: z.array(reader),
  unread: z.array(reader),
});
export type NoticeReads = z.infer<typeof noticeReads>;

export const publishBody = z.strictObject({
  kind: z.literal('weekly'),
  /** The week to publish; default the previous week. It must be over. */
  week: weekKey.optional(),
});
export const publishResult = z.object({
  /** false when the notice of that week existed already (nothing was published again). */
  published: z.boolean(),
  period: z.string(),
  notice: noticeSummary,
});
export type PublishResult = z.infer<typeof publishResult>;
