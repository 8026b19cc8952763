import { matchRiskAreas } from '../../../domain/health/risk-areas';
import { shanghaiDay } from '../../../domain/notices/week';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import type { ScreeningItem } from '../../db/schema';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { personInScope, personVisible, scopeOf, siteInScope } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { openAbnormalCase } from '../health-cases/open-case';
import { activeIncident, incidentById, incidentCovers, requireActiveIncident } from '../health-incidents/incident';
import { ensureQuarantine } from '../health-quarantines/quarantine-schedule';
import { refreshHealthStatus } from '../health-status/refresh';
import { loadRiskAreas } from './risk-match';
import { inPersonScope, screeningRows, toScreeningViews, type ScreeningRow } from './screening-rows';
import { lookbackStays } from './screening-sync';
import type { DecideScreeningBody, ScreeningQuery, ScreeningStatus, ScreeningView } from './screenings.schemas';

const screeningNotFound = () => notFound('SCREENING_NOT_FOUND', 'No such screening');
const decided = (id: string) => conflict('SCREENING_DECIDED', 'This screening was already decided', { screeningId: id });
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Returning-staff screening (返岗审核, issue 7 item 3): every returning employee's itinerary is
 * checked stay by stay by a reviewer, who then clears them, puts them under observation (an
 * abnormal case) or isolates them (a case and a home quarantine from the last risk-area day).
 */
export function screeningService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  /** One screening when the actor's scope reaches its person (else 404). */
  async function inScope(trx: Tx, actor: Actor, id: string): Promise<ScreeningRow> {
    const row = await screeningRows(trx).where('r.id', '=', id).executeTakeFirst();
    if (!row || !personVisible(await scopeOf(trx, actor), row)) throw screeningNotFound();
    return row;
  }
  const view = async (trx: Tx, id: string): Promise<ScreeningView> => (await toScreeningViews(trx, [await screeningRows(trx).where('r.id', '=', id).executeTakeFirstOrThrow()], clock.now()))[0]!;

  return {
    async list(actor: Actor, q: ScreeningQuery): Promise<{ rows: ScreeningView[]; counts: Record<ScreeningStatus, number> }> {
      return db.transaction().execute(async (trx) => {
        const counts = { pending: 0, cleared: 0, observe: 0, isolate: 0 };
        const incidentId = q.incident ?? (await activeIncident(trx))?.id;
        if (!incidentId) return { rows: [], counts };
        const scope = await scopeOf(trx, actor);
        let base = screeningRows(trx).where('r.incident_id', '=', incidentId).where(inPersonScope(scope));
        if (q.site) base = base.where('p.site_id', '=', (await siteInScope(trx, scope, q.site)).id);
        if (q.q) {
          const pattern = likePattern(q.q);
          base = base.where((eb) => eb.or([eb('p.code', 'ilike', pattern), eb('p.name', 'like', pattern)]));
        }
        const all = await base.orderBy('r.return_date', 'desc').orderBy('p.code').execute();
        for (const r of all) counts[r.status as ScreeningStatus] += 1;
        const kept = (q.status === 'all' ? all : all.filter((r) => r.status === q.status)).slice(0, 1000);
        return { rows: await toScreeningViews(trx, kept, clock.now()), counts };
      });
    },

    async create(ctx: RequestContext, actor: Actor, body: { person: string; returnDate: string }): Promise<ScreeningView> {
      return db.transaction().execute(async (trx) => {
        const person = await personInScope(trx, await scopeOf(trx, actor), body.person);
        const incident = await requireActiveIncident(trx);
        if (!(await incidentCovers(trx, incident.id, person.id))) throw businessRule('PERSON_NOT_COVERED', 'The active incident does not cover this person');
        const existing = await trx.selectFrom('return_screenings').select('id').where('incident_id', '=', incident.id).where('person_id', '=', person.id).where('return_date', '=', body.returnDate).executeTakeFirst();
        if (existing) throw conflict('SCREENING_EXISTS', `A screening for the return on ${body.returnDate} exists already`, { screeningId: existing.id });
        const now = clock.now();
        const stays = await lookbackStays(trx, incident, person.id, shanghaiDay(now));
        const items: ScreeningItem[] = stays.map((s) => ({ travelRecordId: s.id, checked: false, note: null }));
        const row = await trx
          .insertInto('return_screenings')
          .values({ incident_id: incident.id, person_id: person.id, return_date: body.returnDate, items: JSON.stringify(items), created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'health.screening.create', objectType: 'return_screening', objectId: row.id, details: { source: 'manual', person: person.code, items: items.length, returnDate: body.returnDate } });
        return view(trx, row.id);
      });
    },

    async checkItem(ctx: RequestContext, actor: Actor, id: string, travelRecordId: string, body: { checked: boolean; note?: string | undefined }): Promise<ScreeningView> {
      return db.transaction().execute(async (trx) => {
        const row = await inScope(trx, actor, id);
        if (row.status !== 'pending') throw decided(id);
        const index = row.items.findIndex((i) => i.travelRecordId === travelRecordId);
        if (index < 0) throw notFound('SCREENING_ITEM_NOT_FOUND', 'This stay is not on the screening');
        const items = row.items.map((item, i) => (i === index ? { ...item, checked: body.checked, note: body.note ?? item.note } : item));
        const r = await trx
          .updateTable('return_screenings')
          .set({ items: JSON.stringify(items), updated_at: clock.now(), version: row.version + 1 })
          .where('id', '=', id)
          .where('version', '=', row.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await audit(trx, deps, ctx, { action: 'health.screening.check', objectType: 'return_screening', objectId: id, details: { travelRecordId, checked: body.checked, withNote: body.note !== undefined } });
        return view(trx, id);
      });
    },

    async decide(ctx: RequestContext, actor: Actor, id: string, body: DecideScreeningBody): Promise<ScreeningView & { caseId: string | null; quarantineId: string | null }> {
      return db.transaction().execute(async (trx) => {
        const row = await inScope(trx, actor, id);
        if (row.status !== 'pending') throw decided(id);
        if (row.version !== body.version) throw staleVersion();
        const unchecked = row.items.filter((i) => !i.checked).map((i) => i.travelRecordId);
        if (unchecked.length > 0) throw businessRule('SCREENING_UNCHECKED', `${unchecked.length} stay(s) of the itinerary are not checked yet`, { unchecked });
        const incident = await incidentById(trx, row.incident_id);
        if (incident.status !== 'active') throw businessRule('INCIDENT_CLOSED', 'The incident of this screening is closed');
        const now = clock.now();
        const today = shanghaiDay(now);
        let caseId: string | null = null;
        let quarantineId: string | null = null;
        if (body.status !== 'cleared') {
          const opened = await openAbnormalCase(trx, deps, ctx, {
            personId: row.person_id,
            incidentId: incident.id,
            source: 'screening',
            reason: 'RISK_TRAVEL',
            sourceRef: id,
            siteId: row.site_id,
            at: now,
            note: body.note ?? null,
          });
          caseId = opened.id;
        }
        if (body.status === 'isolate') {
          const lastExposure = await lastRiskDay(trx, row, today);
          quarantineId = (await ensureQuarantine(trx, deps, ctx, { incident, personId: row.person_id, lastExposure, place: 'home' })).id;
        }
        const r = await trx
          .updateTable('return_screenings')
          .set({ status: body.status, note: body.note ?? null, reviewer_id: actor.userId, decided_at: now, updated_at: now, version: row.version + 1 })
          .where('id', '=', id)
          .where('version', '=', row.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await refreshHealthStatus(trx, deps, row.person_id);
        await audit(trx, deps, ctx, { action: 'health.screening.decide', objectType: 'return_screening', objectId: id, details: { status: body.status, items: row.items.length, caseId, quarantineId } });
        return { ...(await view(trx, id)), caseId, quarantineId };
      });
    },
  };
}
export type ScreeningService = ReturnType<typeof screeningService>;

/**
 * The last day the person was exposed: the latest end (today at the latest) of a screened stay in
 * a risk area, else the return day (today at the latest).
 */
async function lastRiskDay(trx: Tx, row: ScreeningRow, today: string): Promise<string> {
  const ids = row.items.map((i) => i.travelRecordId);
  const stays = ids.length === 0 ? [] : await trx.selectFrom('travel_records').select(['region', 'from_date', 'to_date']).where('id', 'in', ids).execute();
  const matches = matchRiskAreas(stays.map((s) => ({ region: s.region, fromDate: s.from_date, toDate: s.to_date })), await loadRiskAreas(trx), today, row.travel_lookback_days);
  const capped = (day: string) => (day > today ? today : day);
  const latest = matches.reduce<string | null>((d, m) => (d === null || m.stay.toDate > d ? m.stay.toDate : d), null);
  return capped(latest ?? row.return_date);
}
