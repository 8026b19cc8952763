import { sql, type RawBuilder } from 'kysely';
import { DEFAULT_FEVER_THRESHOLD_C, isFever } from '../../../domain/health/status-rules';
import { addDays, daysBetween, shanghaiDay, startOfShanghaiDay } from '../../../domain/notices/week';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, staleVersion } from '../../errors';
import { personInScope, scopeOf, siteInScope, type Scope } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { activeIncident, incidentById } from '../health-incidents/incident';
import { refreshHealthStatus } from '../health-status/refresh';
import { caseRows, classifyAction, loadCard, personScopeSql, toCaseRow, visibleCase, type CaseDbRow } from './case-card';
import type { CaseCard, CaseLedger, CaseQuery, ClassifyBody, Classification, CloseBody, DailyCount, FollowUpBody, LedgerFilters, OpenCaseBody } from './cases.schemas';
import { classifications } from './cases.schemas';
import { openAbnormalCase } from './open-case';

/** The longest period `daily` covers. */
const maxPeriodDays = 366;
/** The most rows an export writes. */
export const maxExportRows = 20_000;

/** The FROM of the ledger's counts: the aliases of caseRows. */
const ledgerFrom = sql`abnormal_cases c JOIN people p ON p.id = c.person_id LEFT JOIN sites ps ON ps.id = p.site_id`;
const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, '\\$&')}%`;

interface Resolved {
  /** The WHERE over every filter but status and the period. */
  base: RawBuilder<boolean>;
  /** The WHERE over every filter. */
  all: RawBuilder<boolean>;
  period: { from: string; to: string };
}

/**
 * The ledger's filters as SQL over `abnormal_cases c JOIN people p LEFT JOIN sites ps`, and the
 * period of the daily counts: from the first day asked (else the incident's start, else the first
 * case) to the last day asked (else today), at most a year.
 */
export async function resolveFilters(trx: Db | Tx, deps: Pick<Deps, 'clock'>, scope: Scope, q: LedgerFilters): Promise<Resolved> {
  const today = shanghaiDay(deps.clock.now());
  const base: RawBuilder<boolean>[] = [personScopeSql(scope)];
  let incidentStart: string | null = null;
  if (q.incident !== 'all') {
    const incident = q.incident === undefined ? await activeIncident(trx) : await incidentById(trx, q.incident);
    if (incident) {
      base.push(sql<boolean>`c.incident_id = ${incident.id}`);
      incidentStart = incident.startDate;
    }
  }
  if (q.reason) base.push(sql<boolean>`c.reason = ${q.reason}`);
  if (q.classification) base.push(sql<boolean>`c.classification = ${q.classification}`);
  if (q.site) {
    const site = await siteInScope(trx, scope, q.site);
    base.push(sql<boolean>`coalesce(c.site_id, p.site_id) = ${site.id}`);
  }
  if (q.q) base.push(sql<boolean>`p.code like ${likePrefix(q.q)}`);
  const baseSql = sql<boolean>`(${sql.join(base, sql` and `)})`;

  // Without an end: today while a case is open, else the last day a case was opened or closed (a
  // past outbreak's chart ends where its cases do).
  let to = q.to ?? today;
  if (q.to === undefined) {
    const last = await sql<{ d: string | null; open: number }>`SELECT to_char(greatest(max(c.opened_at), max(c.closed_at)) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d,
      count(*) FILTER (WHERE c.status = 'open')::int AS open FROM ${ledgerFrom} WHERE ${baseSql}`.execute(trx);
    const d = last.rows[0]?.d ?? null;
    if (d !== null && d < today && last.rows[0]?.open === 0) to = d;
  }
  let from = q.from ?? incidentStart;
  if (from === null) {
    const first = await sql<{ d: string | null }>`SELECT to_char(min(c.opened_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d FROM ${ledgerFrom} WHERE ${baseSql}`.execute(trx);
    from = first.rows[0]?.d ?? to;
  }
  if (from > to) {
    if (q.from !== undefined) throw businessRule('PERIOD_INVALID', 'from is after to', { field: 'from' });
    from = to;
  }
  if (daysBetween(from, to) >= maxPeriodDays) {
    if (q.from !== undefined) throw businessRule('PERIOD_TOO_LONG', `The period may cover at most ${maxPeriodDays} days`, { field: 'from' });
    from = addDays(to, -(maxPeriodDays - 1));
  }

  const all = [...base];
  if (q.status) all.push(sql<boolean>`c.status = ${q.status}`);
  if (q.from) all.push(sql<boolean>`c.opened_at >= ${startOfShanghaiDay(q.from)}`);
  if (q.to) all.push(sql<boolean>`c.opened_at < ${startOfShanghaiDay(addDays(q.to, 1))}`);
  return { base: baseSql, all: sql<boolean>`(${sql.join(all, sql` and `)})`, period: { from, to } };
}

/** Opened, closed and still open at the end of each day of the period, over the filters but status. */
export async function dailyCounts(trx: Db | Tx, base: RawBuilder<boolean>, period: { from: string; to: string }): Promise<DailyCount[]> {
  const start = startOfShanghaiDay(period.from);
  const end = startOfShanghaiDay(addDays(period.to, 1));
  const perDay = (column: 'opened_at' | 'closed_at') =>
    sql<{ d: string; n: number }>`SELECT to_char(${sql.ref(`c.${column}`)} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d, count(*)::int AS n FROM ${ledgerFrom}
      WHERE ${base} AND ${sql.ref(`c.${column}`)} >= ${start} AND ${sql.ref(`c.${column}`)} < ${end} GROUP BY 1`.execute(trx);
  const [opened, closed, before] = await Promise.all([
    perDay('opened_at'),
    perDay('closed_at'),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM ${ledgerFrom} WHERE ${base} AND c.opened_at < ${start} AND (c.closed_at IS NULL OR c.closed_at >= ${start})`.execute(trx),
  ]);
  const openedOn = new Map(opened.rows.map((r) => [r.d, Number(r.n)]));
  const closedOn = new Map(closed.rows.map((r) => [r.d, Number(r.n)]));
  let open = Number(before.rows[0]?.n ?? 0);
  const days: DailyCount[] = [];
  for (let d = period.from; d <= period.to; d = addDays(d, 1)) {
    const o = openedOn.get(d) ?? 0;
    const c = closedOn.get(d) ?? 0;
    open += o - c;
    days.push({ date: d, opened: o, closed: c, open });
  }
  return days;
}

/** The ledger's rows over every filter, newest first. */
export const ledgerRows = (trx: Db | Tx, all: RawBuilder<boolean>) => caseRows(trx).where(all).orderBy('c.opened_at', 'desc').orderBy('c.number', 'desc');

/**
 * Abnormal cases (异常情况): the ledger (台账) with daily counts, the tracking card, opening by hand,
 * follow-ups, classification and closure. Cases are seen through their person's data scope; every
 * change refreshes the person's health status in the same transaction and is audited without
 * personal values (notes stay on the card, which the incident's purge removes).
 */
export function caseService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  /** Sets a case's classification; the note goes on the card, the audit row says from → to. */
  async function setClassification(trx: Tx, ctx: RequestContext, c: Pick<CaseDbRow, 'id' | 'number' | 'classification' | 'version'>, to: Classification, note: string | null): Promise<void> {
    const now = clock.now();
    const r = await trx.updateTable('abnormal_cases').set({ classification: to, updated_at: now, version: c.version + 1 }).where('id', '=', c.id).where('version', '=', c.version).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw staleVersion();
    const noteRow = note === null ? null : await trx.insertInto('case_follow_ups').values({ case_id: c.id, at: now, checked_by: ctx.actor?.userId ?? null, condition: note, action: null }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, deps, ctx, { action: classifyAction, objectType: 'abnormal_case', objectId: c.id, details: { number: Number(c.number), from: c.classification, to, noteRef: noteRow?.id ?? null } });
  }

  async function openCase(trx: Tx, scope: Scope, id: string): Promise<CaseDbRow> {
    const c = await visibleCase(trx, scope, id);
    if (c.status !== 'open') throw businessRule('CASE_CLOSED', `Case ${Number(c.number)} is closed`);
    return c;
  }

  return {
    async list(actor: Actor, q: CaseQuery): Promise<CaseLedger> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const f = await resolveFilters(trx, deps, scope, q);
        const [rows, total, totals, daily] = await Promise.all([
          ledgerRows(trx, f.all).limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute(),
          sql<{ n: number }>`SELECT count(*)::int AS n FROM ${ledgerFrom} WHERE ${f.all}`.execute(trx),
          sql<Record<string, number>>`SELECT count(*)::int AS "cases", (count(*) FILTER (WHERE c.status = 'open'))::int AS "open", (count(*) FILTER (WHERE c.status = 'closed'))::int AS "closed",
            ${sql.join(classifications.map((k) => sql`(count(*) FILTER (WHERE c.classification = ${k}))::int AS ${sql.ref(k)}`))}
            FROM ${ledgerFrom} WHERE ${f.base} AND ${q.from ? sql`c.opened_at >= ${startOfShanghaiDay(q.from)}` : sql`true`} AND ${q.to ? sql`c.opened_at < ${startOfShanghaiDay(addDays(q.to, 1))}` : sql`true`}`.execute(trx),
          dailyCounts(trx, f.base, f.period),
        ]);
        const t = totals.rows[0] ?? {};
        const n = (k: string) => Number(t[k] ?? 0);
        return {
          rows: rows.map(toCaseRow),
          total: Number(total.rows[0]?.n ?? 0),
          page: q.page,
          pageSize: q.pageSize,
          totals: { cases: n('cases'), open: n('open'), closed: n('closed'), byClassification: Object.fromEntries(classifications.map((k) => [k, n(k)])) as Record<Classification, number> },
          period: f.period,
          daily,
        };
      });
    },

    async card(actor: Actor, id: string): Promise<CaseCard> {
      return db.transaction().execute(async (trx) => loadCard(trx, deps, await scopeOf(trx, actor), id));
    },

    /** Opens a case by hand (or notes the cause on the person's open case). */
    async open(ctx: RequestContext, actor: Actor, body: OpenCaseBody): Promise<{ id: string; number: number; opened: boolean }> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const person = await personInScope(trx, scope, body.person);
        const incident = await activeIncident(trx);
        const res = await openAbnormalCase(trx, deps, ctx, {
          personId: person.id,
          incidentId: incident?.id ?? null,
          source: 'manual',
          reason: body.reason,
          temperatureC: body.temperatureC ?? null,
          siteId: person.site_id,
          at: clock.now(),
          note: body.note ?? null,
          ...(body.classification ? { classification: body.classification } : {}),
        });
        const c = await visibleCase(trx, scope, res.id);
        if (!res.opened) {
          await audit(trx, deps, ctx, { action: 'health.case.note', objectType: 'abnormal_case', objectId: c.id, details: { number: Number(c.number), source: 'manual', reason: body.reason } });
          if (body.classification && body.classification !== c.classification) await setClassification(trx, ctx, c, body.classification, null);
        }
        await refreshHealthStatus(trx, deps, person.id);
        return { id: c.id, number: Number(c.number), opened: res.opened };
      });
    },

    /** A follow-up check on the card (who, temperature, condition, action); a fever is flagged. */
    async followUp(ctx: RequestContext, actor: Actor, id: string, body: FollowUpBody): Promise<{ id: string; caseId: string; at: string; temperatureC: number | null; fever: boolean }> {
      return db.transaction().execute(async (trx) => {
        const c = await openCase(trx, await scopeOf(trx, actor), id);
        const now = clock.now();
        const at = body.at === undefined ? now : new Date(body.at);
        if (at.getTime() > now.getTime() + 60_000) throw businessRule('FOLLOW_UP_FUTURE', 'A follow-up cannot be in the future', { field: 'at' });
        if (at < c.opened_at) throw businessRule('FOLLOW_UP_BEFORE_OPEN', 'A follow-up cannot be before the case was opened', { field: 'at' });
        const incident = c.incident_id === null ? null : await incidentById(trx, c.incident_id);
        const temperatureC = body.temperatureC ?? null;
        const fever = isFever(temperatureC, incident?.feverThresholdC ?? DEFAULT_FEVER_THRESHOLD_C);
        const row = await trx
          .insertInto('case_follow_ups')
          .values({ case_id: c.id, at, checked_by: actor.userId, temperature_c: temperatureC, condition: body.condition, action: body.action ?? null, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.updateTable('abnormal_cases').set({ updated_at: now }).where('id', '=', c.id).execute();
        // No temperature and no text in the log: they are health data, kept on the card only.
        await audit(trx, deps, ctx, { action: 'health.case.follow-up', objectType: 'abnormal_case', objectId: c.id, details: { number: Number(c.number), followUp: row.id } });
        await refreshHealthStatus(trx, deps, c.person_id);
        return { id: row.id, caseId: c.id, at: at.toISOString(), temperatureC, fever };
      });
    },

    async classify(ctx: RequestContext, actor: Actor, id: string, body: ClassifyBody): Promise<CaseCard> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const c = await openCase(trx, scope, id);
        if (c.version !== body.version) throw staleVersion();
        if (c.classification === body.classification) throw businessRule('CLASSIFICATION_UNCHANGED', `The case is already ${body.classification}`, { field: 'classification' });
        await setClassification(trx, ctx, c, body.classification, body.note);
        // Confirmed and suspected cases are facts of the status rules (red).
        await refreshHealthStatus(trx, deps, c.person_id);
        return loadCard(trx, deps, scope, id);
      });
    },

    async close(ctx: RequestContext, actor: Actor, id: string, body: CloseBody): Promise<CaseCard> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const c = await openCase(trx, scope, id);
        if (c.version !== body.version) throw staleVersion();
        const now = clock.now();
        const r = await trx
          .updateTable('abnormal_cases')
          .set({ status: 'closed', outcome: body.outcome, closed_at: now, closed_by: actor.userId, closure_note: body.note, updated_at: now, version: c.version + 1 })
          .where('id', '=', c.id)
          .where('version', '=', c.version)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await audit(trx, deps, ctx, { action: 'health.case.close', objectType: 'abnormal_case', objectId: c.id, details: { number: Number(c.number), outcome: body.outcome } });
        await refreshHealthStatus(trx, deps, c.person_id);
        return loadCard(trx, deps, scope, id);
      });
    },
  };
}
export type CaseService = ReturnType<typeof caseService>;
