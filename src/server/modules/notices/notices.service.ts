import { buildDailyDigest, type DailyDigestContent } from '../../../domain/notices/daily-digest';
import { addDays, parseWeekKey, previousWeek, shanghaiDay, type WeekBounds } from '../../../domain/notices/week';
import { buildWeeklyNotice, noticeForUnits, type WeeklyNoticeContent } from '../../../domain/notices/weekly-notice';
import { unitsInScope } from '../../../domain/scope';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, notFound } from '../../errors';
import { audit } from '../audit/audit.service';
import { notify } from '../notifications/notify';
import {
  findNotice,
  findNoticeById,
  insertNotice,
  insertRead,
  listNoticeRows,
  loadNoticeReaders,
  loadNoticeUnits,
  loadOpenItemFacts,
  loadOpenMeasureFacts,
  loadProblemFacts,
  loadValueFacts,
  loadWarningFacts,
  loadWeekItemFacts,
  readsOf,
  readTimeOf,
  type NoticeReader,
  type NoticeRow,
} from './notices.repository';
import type { NoticeDetail, NoticeReads, NoticeSummary, PublishResult } from './notices.schemas';
import { noticeWorkbook } from './notices.xlsx';

const DAY_MS = 86_400_000;

/** The title of a weekly notice, e.g. "周通报 2026-W09（2026-02-23 至 2026-03-01）". */
export function weeklyTitle(week: Pick<WeekBounds, 'key' | 'monday' | 'sunday'>): string {
  return `周通报 ${week.key}（${week.monday} 至 ${week.sunday}）`;
}
export function dailyTitle(day: string): string {
  return `每日提醒 ${day}`;
}

function toSummary(n: Pick<NoticeRow, 'id' | 'kind' | 'period' | 'title' | 'published_at'>, readAt: Date | null): NoticeSummary {
  return { id: n.id, kind: n.kind as NoticeSummary['kind'], period: n.period, title: n.title, publishedAt: n.published_at.toISOString(), read: readAt !== null };
}

async function unitTree(trx: Tx) {
  return trx.selectFrom('units').select(['id', 'parent_id as parentId']).execute();
}

/**
 * Publishes the weekly notice of a week once: a second call for the same week (job or endpoint)
 * finds the stored one and publishes nothing. The notice, its audit row and a notification to
 * every reader are written in one transaction.
 */
export async function publishWeeklyNotice(deps: Pick<Deps, 'database'>, at: Date, ctx: RequestContext, week: WeekBounds = previousWeek(at)): Promise<{ published: boolean; notice: NoticeRow }> {
  return deps.database.db.transaction().execute(async (trx) => {
    const existing = await findNotice(trx, 'weekly', week.key, null);
    if (existing) return { published: false, notice: existing };
    const today = shanghaiDay(at);
    const [units, problems, items, warnings, values] = [
      await loadNoticeUnits(trx),
      await loadProblemFacts(trx, week.from, week.to),
      await loadWeekItemFacts(trx, week.from, week.to, { dueFrom: addDays(week.monday, -1), dueTo: week.sunday, today }),
      await loadWarningFacts(trx, week.from, week.to),
      await loadValueFacts(trx, week.from, week.to),
    ];
    const content = buildWeeklyNotice({ week, at, units, problems, items, warnings, values });
    const title = weeklyTitle(week);
    const inserted = await insertNotice(trx, { kind: 'weekly', period: week.key, recipient: null, title, content, at });
    if (!inserted) return { published: false, notice: (await findNotice(trx, 'weekly', week.key, null))! };
    const readers = await loadNoticeReaders(trx);
    for (const r of readers) {
      await notify(trx, {
        userId: r.id,
        kind: 'notice.weekly',
        title,
        body: `新增问题 ${content.totals.newProblems}，关闭问题 ${content.totals.closedProblems}，销号督办 ${content.totals.closedItems}，逾期 ${content.totals.overdueItems}，红灯 ${content.totals.redItems}，预警 ${content.totals.warnings}，创纪录 ${content.totals.records}`,
        link: `/notices/${inserted.id}`,
        refId: inserted.id,
        dedupeKey: `notice.weekly:${week.key}:${r.id}`,
        at,
      });
    }
    await audit(trx, { clock: { now: () => at } }, ctx, { action: 'notice.publish', objectType: 'notice', objectId: inserted.id, details: { kind: 'weekly', period: week.key, totals: content.totals, notified: readers.length } });
    return { published: true, notice: inserted };
  });
}

export interface DigestRun {
  day: string;
  readers: number;
  published: number;
  /** Readers whose digest of the day existed already. */
  existing: number;
  /** Readers with nothing to say today. */
  quiet: number;
}

/**
 * Writes each reader's daily digest (own open measures and items, what is due within 3 days, the
 * red items and the warnings fired in the last 24 hours in the reader's scope) and a notification
 * pointing to it; once per reader and day. Readers with nothing to say get nothing.
 */
export async function publishDailyDigests(deps: Pick<Deps, 'database'>, at: Date, ctx: RequestContext): Promise<DigestRun> {
  const day = shanghaiDay(at);
  return deps.database.db.transaction().execute(async (trx) => {
    const readers = await loadNoticeReaders(trx);
    const tree = await unitTree(trx);
    const measures = await loadOpenMeasureFacts(trx);
    const items = await loadOpenItemFacts(trx);
    const warnings = await loadWarningFacts(trx, new Date(at.getTime() - DAY_MS), new Date(at.getTime() + 1));
    const run: DigestRun = { day, readers: readers.length, published: 0, existing: 0, quiet: 0 };
    const publishedFor: string[] = [];
    for (const r of readers) {
      if (await findNotice(trx, 'daily', day, r.id)) {
        run.existing++;
        continue;
      }
      const scope = unitsInScope(tree, r.roles.map((g) => ({ scope: g.scope, unitId: r.unitId })));
      const content = buildDailyDigest({
        day,
        measures: r.personId ? measures.filter((m) => m.ownerPersonId === r.personId) : [],
        items: r.personId ? items.filter((i) => i.ownerPersonId === r.personId) : [],
        scopeItems: items.filter((i) => inScope(scope, i.unitId)),
        warnings: warnings.filter((w) => inScope(scope, w.unitId)),
      });
      if (!content) {
        run.quiet++;
        continue;
      }
      const title = dailyTitle(day);
      const inserted = await insertNotice(trx, { kind: 'daily', period: day, recipient: r.id, title, content, at });
      if (!inserted) {
        run.existing++;
        continue;
      }
      await notify(trx, { userId: r.id, kind: 'notice.daily', title, body: digestLine(content), link: `/notices/${inserted.id}`, refId: inserted.id, dedupeKey: `notice.daily:${day}:${r.id}`, at });
      run.published++;
      publishedFor.push(r.username);
    }
    if (run.published > 0) await audit(trx, { clock: { now: () => at } }, ctx, { action: 'notice.daily_digest', objectType: 'notice', details: { ...run, users: publishedFor } });
    return run;
  });
}

function digestLine(c: DailyDigestContent): string {
  return `我的措施 ${c.totals.measures}，我的督办 ${c.totals.items}，3 日内到期 ${c.totals.dueSoon}，红灯 ${c.totals.redItems}，新预警 ${c.totals.warnings}`;
}

/** The notice board of the API: lists, the notice itself cut to the reader's scope, receipts, export, publication. */
export function noticeService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  /** A notice the actor may open: any weekly notice, own daily digests; else 404. */
  async function visibleNotice(actor: Actor, id: string): Promise<NoticeRow> {
    const n = await findNoticeById(db, id);
    if (!n || (n.kind === 'daily' && n.recipient_user_id !== actor.userId)) throw notFound('NOTICE_NOT_FOUND', 'No such notice');
    return n;
  }

  /** The content as the actor sees it: a weekly notice keeps the units in the actor's scope. */
  async function scopedContent(actor: Actor, n: NoticeRow): Promise<NoticeDetail['content']> {
    if (n.kind === 'daily') return n.content as unknown as DailyDigestContent;
    return noticeForUnits(n.content as unknown as WeeklyNoticeContent, await visibleUnitIds(db, actor));
  }

  return {
    async list(actor: Actor, q: { kind?: 'weekly' | 'daily'; limit: number }): Promise<{ rows: NoticeSummary[] }> {
      const rows = await listNoticeRows(db, actor.userId, q);
      return { rows: rows.map((r) => toSummary(r, r.read_at)) };
    },

    async get(actor: Actor, id: string): Promise<NoticeDetail> {
      const n = await visibleNotice(actor, id);
      const readAt = await readTimeOf(db, n.id, actor.userId);
      return { ...toSummary(n, readAt), readAt: readAt?.toISOString() ?? null, content: await scopedContent(actor, n) };
    },

    /** The read receipt: the first read is kept, later calls change nothing. */
    async markRead(ctx: RequestContext, actor: Actor, id: string): Promise<{ id: string; read: true; readAt: string }> {
      const n = await visibleNotice(actor, id);
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        if (await insertRead(trx, n.id, actor.userId, now)) {
          await audit(trx, deps, ctx, { action: 'notice.read', objectType: 'notice', objectId: n.id, details: { kind: n.kind, period: n.period } });
          // The notification that announced it is read too.
          await trx.updateTable('notifications').set({ read_at: now }).where('user_id', '=', actor.userId).where('ref_id', '=', n.id).where('read_at', 'is', null).execute();
        }
        return { id: n.id, read: true as const, readAt: (await readTimeOf(trx, n.id, actor.userId))!.toISOString() };
      });
    },

    /** Who of the readers in the actor's scope has read the notice, and who has not. */
    async reads(actor: Actor, id: string): Promise<NoticeReads> {
      const n = await visibleNotice(actor, id);
      const scope = await visibleUnitIds(db, actor);
      const readers = (await loadNoticeReaders(db)).filter((r) => (n.kind === 'daily' ? r.id === n.recipient_user_id : r.unitId === null ? scope === null : inScope(scope, r.unitId)));
      const times = await readsOf(db, n.id);
      const row = (r: NoticeReader) => ({ userId: r.id, username: r.username, displayName: r.displayName, unit: r.unit, readAt: times.get(r.id)?.toISOString() ?? null });
      const read = readers.filter((r) => times.has(r.id)).sort((a, b) => times.get(a.id)!.getTime() - times.get(b.id)!.getTime() || a.username.localeCompare(b.username));
      return { id: n.id, read: read.map(row), unread: readers.filter((r) => !times.has(r.id)).map(row) };
    },

    /** The notice as an xlsx workbook, cut to the actor's scope like the page. */
    async workbook(actor: Actor, id: string): Promise<{ body: Buffer; fileName: string }> {
      const n = await visibleNotice(actor, id);
      const content = await scopedContent(actor, n);
      return { body: await noticeWorkbook(content), fileName: `pacesetter-notice-${n.period}.xlsx` };
    },

    /** Publishes a week's notice now (default: the previous week); the week must be over. */
    async publish(ctx: RequestContext, actor: Actor, body: { kind: 'weekly'; week?: string | undefined }): Promise<PublishResult> {
      const now = clock.now();
      let week = previousWeek(now);
      if (body.week) {
        const parsed = parseWeekKey(body.week);
        if (!parsed) throw businessRule('NOTICE_WEEK_INVALID', `${body.week} is not an ISO week (YYYY-Www, week 01 to 52 or 53)`, { week: body.week });
        if (parsed.to.getTime() > now.getTime()) throw businessRule('NOTICE_WEEK_NOT_OVER', `The week ${body.week} is not over yet; its notice can be published from ${parsed.to.toISOString()}`, { week: body.week, from: parsed.to.toISOString() });
        week = parsed;
      }
      const r = await publishWeeklyNotice(deps, now, ctx, week);
      return { published: r.published, period: week.key, notice: toSummary(r.notice, await readTimeOf(db, r.notice.id, actor.userId)) };
    },
  };
}
export type NoticeService = ReturnType<typeof noticeService>;
