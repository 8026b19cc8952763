import { sql, type RawBuilder } from 'kysely';
import { maskName } from '../../../domain/access/mask';
import { followUpState, lostToFollowUp } from '../../../domain/health/follow-up';
import { isFever } from '../../../domain/health/status-rules';
import type { FollowUpState } from '../../../domain/health/types';
import { addDays, shanghaiDay } from '../../../domain/notices/week';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { personInScope, scopeOf, siteInScope, type Scope } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { openAbnormalCase } from '../health-cases/open-case';
import { incidentById, requireActiveIncident } from '../health-incidents/incident';
import { refreshHealthStatus } from '../health-status/refresh';
import { personScopeSql } from '../people/people.registry';
import { ensureQuarantine, quarantineWindow } from './quarantine-schedule';
import type {
  CreateQuarantineBody,
  FollowUp,
  FollowUpBody,
  LostList,
  Note,
  Quarantine,
  QuarantinePage,
  QuarantineQuery,
  QuarantineRow,
  QuarantineStatus,
  ReleaseBody,
  Support,
} from './quarantines.schemas';

const quarantineNotFound = () => notFound('QUARANTINE_NOT_FOUND', 'No such quarantine');
const notActive = () => businessRule('QUARANTINE_NOT_ACTIVE', 'This quarantine is no longer active');
/** Tenths of a degree, as numeric(4, 1) keeps them. */
const tenths = (t: number): string => (Math.round(t * 10) / 10).toFixed(1);
const num = (v: string | null): number | null => (v === null ? null : Number(v));
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** Quarantines with their person and the person's site (`p` and `ps`, as personScopeSql wants them). */
const quarantineRows = (db: Db | Tx) =>
  db
    .selectFrom('quarantines as q')
    .innerJoin('people as p', 'p.id', 'q.person_id')
    .leftJoin('sites as ps', 'ps.id', 'p.site_id')
    .leftJoin('users as ru', 'ru.id', 'q.released_by')
    .select([
      'q.id', 'q.incident_id', 'q.person_id', 'q.place', 'q.facility', 'q.start_date', 'q.planned_end', 'q.last_exposure', 'q.per_day', 'q.status',
      'q.released_at', 'q.release_temperature_c', 'q.release_note', 'q.created_at', 'q.version', 'ru.username as released_by',
      'p.code as person_code', 'p.name as person_name', 'p.site_id as person_site_id', 'ps.code as site_code', 'ps.name_zh as site_name_zh',
    ]);
type Row = Awaited<ReturnType<ReturnType<typeof quarantineRows>['executeTakeFirstOrThrow']>>;

interface SlotRow {
  quarantine_id: string;
  date: string;
  slot: number;
  cancelled: boolean;
  done_at: Date | null;
}
const stateOf = (s: SlotRow, today: string): FollowUpState => followUpState({ date: s.date, doneAt: s.done_at, cancelled: s.cancelled }, today);

/** Today's checks, the missed ones and whether the person is lost to follow-up, from a schedule. */
function slotStats(slots: SlotRow[], today: string, status: string, missedDays = 2) {
  const states = slots.map((s) => ({ date: s.date, state: stateOf(s, today) }));
  const yesterday = addDays(today, -1);
  const ofToday = states.filter((s) => s.date === today);
  return {
    today: { due: ofToday.filter((s) => s.state === 'due').length, done: ofToday.filter((s) => s.state === 'done').length, missed: states.filter((s) => s.date === yesterday && s.state === 'missed').length },
    missedTotal: states.filter((s) => s.state === 'missed').length,
    lost: status === 'active' && lostToFollowUp(states, today, missedDays),
  };
}

const slotsOf = (db: Db | Tx, ids: string[]): Promise<SlotRow[]> =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('quarantine_follow_ups').select(['quarantine_id', 'date', 'slot', 'cancelled', 'done_at']).where('quarantine_id', 'in', ids).orderBy('date').orderBy('slot').execute();

const like = (text: string) => text.replace(/[\\%_]/g, '\\$&');
const personRef = (r: Row, plain: boolean) => ({ code: r.person_code, name: plain ? r.person_name : maskName(r.person_name) });
const siteRef = (r: Row) => (r.site_code === null ? null : { code: r.site_code, nameZh: r.site_name_zh ?? '' });

/**
 * Quarantines (隔离观察): the list with today's checks, the lost-to-follow-up list, the card with
 * its schedule, living support and counselling notes; manual starts, follow-up checks, release
 * after a final check and "lost". A person's data scope decides who sees their quarantine.
 */
export function quarantineService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function loadVisible(trx: Db | Tx, scope: Scope, id: string): Promise<Row> {
    const r = await quarantineRows(trx).where('q.id', '=', id).where(personScopeSql(scope)).executeTakeFirst();
    if (!r) throw quarantineNotFound();
    return r;
  }

  async function detail(trx: Db | Tx, actor: Actor, r: Row): Promise<Quarantine> {
    const today = shanghaiDay(clock.now());
    const [incident, slots, supports, notes] = await Promise.all([
      incidentById(trx, r.incident_id),
      trx
        .selectFrom('quarantine_follow_ups as f')
        .leftJoin('users as u', 'u.id', 'f.done_by')
        .select(['f.quarantine_id', 'f.date', 'f.slot', 'f.cancelled', 'f.done_at', 'f.temperature_c', 'f.condition', 'f.note', 'u.username as done_by'])
        .where('f.quarantine_id', '=', r.id)
        .orderBy('f.date')
        .orderBy('f.slot')
        .execute(),
      trx.selectFrom('quarantine_supports as s').leftJoin('users as u', 'u.id', 's.delivered_by').select(['s.id', 's.kind', 's.request', 's.requested_at', 's.delivered_at', 's.delivery_note', 'u.username as delivered_by']).where('s.quarantine_id', '=', r.id).orderBy('s.requested_at').execute(),
      trx.selectFrom('quarantine_notes as n').leftJoin('users as u', 'u.id', 'n.written_by').select(['n.id', 'n.kind', 'n.text', 'n.at', 'u.username as written_by']).where('n.quarantine_id', '=', r.id).orderBy('n.at').execute(),
    ]);
    const plain = actor.permissions.has('health.write');
    const { missedTotal, lost } = slotStats(slots, today, r.status);
    return {
      id: r.id,
      incidentId: r.incident_id,
      person: personRef(r, plain),
      namesMasked: !plain,
      site: siteRef(r),
      place: r.place as Quarantine['place'],
      facility: r.facility,
      startDate: r.start_date,
      plannedEnd: r.planned_end,
      lastExposure: r.last_exposure,
      perDay: r.per_day,
      window: quarantineWindow(incident, r.last_exposure, r.start_date),
      status: r.status as QuarantineStatus,
      followUps: slots.map((s) => ({ date: s.date, slot: s.slot, status: stateOf(s, today), cancelled: s.cancelled, temperatureC: num(s.temperature_c), condition: s.condition, note: s.note, doneAt: iso(s.done_at), doneBy: s.done_by })),
      missedTotal,
      lost,
      supports: supports.map(toSupport),
      notes: notes.map((n) => ({ id: n.id, kind: n.kind as Note['kind'], text: n.text, at: n.at.toISOString(), writtenBy: n.written_by })),
      release: r.released_at === null ? null : { at: r.released_at.toISOString(), by: r.released_by, temperatureC: num(r.release_temperature_c), note: r.release_note },
      createdAt: r.created_at.toISOString(),
      version: r.version,
    };
  }

  function toSupport(s: { id: string; kind: string; request: string; requested_at: Date; delivered_at: Date | null; delivered_by: string | null; delivery_note: string | null }): Support {
    return { id: s.id, kind: s.kind as Support['kind'], request: s.request, requestedAt: s.requested_at.toISOString(), deliveredAt: iso(s.delivered_at), deliveredBy: s.delivered_by, deliveryNote: s.delivery_note };
  }

  const supportRow = (trx: Tx, id: string) =>
    trx.selectFrom('quarantine_supports as s').leftJoin('users as u', 'u.id', 's.delivered_by').select(['s.id', 's.kind', 's.request', 's.requested_at', 's.delivered_at', 's.delivery_note', 'u.username as delivered_by']).where('s.id', '=', id).executeTakeFirstOrThrow();

  /** Cancels the open checks from today on (a release or a lost person ends the schedule). */
  async function endSchedule(trx: Tx, id: string, today: string): Promise<number> {
    const r = await trx.updateTable('quarantine_follow_ups').set({ cancelled: true }).where('quarantine_id', '=', id).where('date', '>=', today).where('done_at', 'is', null).where('cancelled', '=', false).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Moves an active quarantine to released or lost, at its version. */
  async function close(trx: Tx, r: Row, version: number | undefined, set: { status: 'released' | 'lost'; released_at?: Date; released_by?: string; release_temperature_c?: string; release_note?: string }): Promise<void> {
    if (r.status !== 'active') throw notActive();
    if (version !== undefined && version !== r.version) throw staleVersion();
    const done = await trx.updateTable('quarantines').set({ ...set, updated_at: clock.now(), version: r.version + 1 }).where('id', '=', r.id).where('version', '=', r.version).returning('id').executeTakeFirst();
    if (!done) throw staleVersion();
  }

  return {
    async list(actor: Actor, q: QuarantineQuery): Promise<QuarantinePage> {
      const scope = await scopeOf(db, actor);
      const conds: RawBuilder<boolean>[] = [personScopeSql(scope)];
      if (q.place) conds.push(sql<boolean>`q.place = ${q.place}`);
      if (q.site) conds.push(sql<boolean>`p.site_id = ${(await siteInScope(db, scope, q.site)).id}`);
      if (q.q) conds.push(sql<boolean>`(p.code ilike ${`${like(q.q)}%`} or p.name ilike ${`%${like(q.q)}%`})`);
      const where = sql<boolean>`(${sql.join(conds, sql` and `)})`;
      const byStatus = await db
        .selectFrom('quarantines as q')
        .innerJoin('people as p', 'p.id', 'q.person_id')
        .leftJoin('sites as ps', 'ps.id', 'p.site_id')
        .select(['q.status', (eb) => eb.fn.countAll<string>().as('n')])
        .where(where)
        .groupBy('q.status')
        .execute();
      const counts = { active: 0, released: 0, lost: 0, cancelled: 0 };
      for (const c of byStatus) counts[c.status as QuarantineStatus] = Number(c.n);
      let rowsQuery = quarantineRows(db).where(where);
      if (q.status !== 'all') rowsQuery = rowsQuery.where('q.status', '=', q.status);
      const rows = await rowsQuery.orderBy('q.start_date', 'desc').orderBy('q.created_at', 'desc').orderBy('q.id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
      const ids = rows.map((r) => r.id);
      const [slots, open] = await Promise.all([
        slotsOf(db, ids),
        ids.length === 0 ? [] : db.selectFrom('quarantine_supports').select(['quarantine_id', (eb) => eb.fn.countAll<string>().as('n')]).where('quarantine_id', 'in', ids).where('delivered_at', 'is', null).groupBy('quarantine_id').execute(),
      ]);
      const today = shanghaiDay(clock.now());
      const total = q.status === 'all' ? counts.active + counts.released + counts.lost + counts.cancelled : counts[q.status];
      const toRow = (r: Row): QuarantineRow => ({
        id: r.id,
        person: personRef(r, false),
        site: siteRef(r),
        place: r.place as QuarantineRow['place'],
        facility: r.facility,
        startDate: r.start_date,
        plannedEnd: r.planned_end,
        lastExposure: r.last_exposure,
        status: r.status as QuarantineStatus,
        ...slotStats(slots.filter((s) => s.quarantine_id === r.id), today, r.status),
        supportsOpen: Number(open.find((o) => o.quarantine_id === r.id)?.n ?? 0),
      });
      return { rows: rows.map(toRow), total, page: q.page, pageSize: q.pageSize, counts };
    },

    /** Active quarantines whose person had checks on each of the last `missedDays` days and none done. */
    async lost(actor: Actor, missedDays: number): Promise<LostList> {
      const scope = await scopeOf(db, actor);
      const today = shanghaiDay(clock.now());
      const rows = await quarantineRows(db).where(personScopeSql(scope)).where('q.status', '=', 'active').orderBy('p.code').execute();
      const slots = (await slotsOf(db, rows.map((r) => r.id))).filter((s) => s.date < today);
      const out: LostList['rows'] = [];
      for (const r of rows) {
        const own = slots.filter((s) => s.quarantine_id === r.id);
        const stats = slotStats(own, today, r.status, missedDays);
        if (!stats.lost) continue;
        const last = own.filter((s) => s.done_at !== null).sort((a, b) => b.done_at!.getTime() - a.done_at!.getTime())[0];
        out.push({
          id: r.id, person: personRef(r, false), site: siteRef(r), place: r.place as QuarantineRow['place'], facility: r.facility, startDate: r.start_date, plannedEnd: r.planned_end, missedTotal: stats.missedTotal,
          lastCheck: last ? { date: last.date, slot: last.slot, doneAt: last.done_at!.toISOString() } : null,
        });
      }
      return { today, missedDays, rows: out };
    },

    async get(actor: Actor, id: string): Promise<Quarantine> {
      return db.transaction().execute(async (trx) => detail(trx, actor, await loadVisible(trx, await scopeOf(trx, actor), id)));
    },

    /** A manual start (or a later last exposure moving the window); no abnormal case is opened. */
    async create(ctx: RequestContext, actor: Actor, body: CreateQuarantineBody): Promise<Quarantine> {
      return db.transaction().execute(async (trx) => {
        const incident = await requireActiveIncident(trx);
        const person = await personInScope(trx, await scopeOf(trx, actor), body.person);
        const today = shanghaiDay(clock.now());
        if (body.lastExposure !== undefined && body.lastExposure > today) throw businessRule('EXPOSURE_FUTURE', 'The last exposure cannot be after today', { field: 'lastExposure' });
        const active = await trx.selectFrom('quarantines').select(['last_exposure']).where('person_id', '=', person.id).where('status', '=', 'active').executeTakeFirst();
        if (active && (body.lastExposure === undefined || (active.last_exposure !== null && body.lastExposure <= active.last_exposure))) {
          throw businessRule('QUARANTINE_ACTIVE', 'This person is already in quarantine; only a later last exposure moves the window');
        }
        const { id } = await ensureQuarantine(trx, deps, ctx, {
          incident,
          personId: person.id,
          lastExposure: body.lastExposure ?? null,
          place: body.place,
          facility: body.place === 'facility' ? (body.facility ?? null) : null,
          ...(body.startDate !== undefined ? { startDate: body.startDate } : {}),
        });
        await refreshHealthStatus(trx, deps, person.id);
        return detail(trx, actor, await quarantineRows(trx).where('q.id', '=', id).executeTakeFirstOrThrow());
      });
    },

    /** Records one check of the schedule; a fever opens (or is noted on) the person's abnormal case. */
    async recordFollowUp(ctx: RequestContext, actor: Actor, id: string, body: FollowUpBody): Promise<FollowUp & { fever: boolean; abnormalCaseId: string | null }> {
      return db.transaction().execute(async (trx) => {
        const r = await loadVisible(trx, await scopeOf(trx, actor), id);
        if (r.status !== 'active') throw notActive();
        const now = clock.now();
        const today = shanghaiDay(now);
        if (body.date > today) throw businessRule('FOLLOW_UP_FUTURE', 'A check cannot be recorded for a day after today', { field: 'date' });
        const slot = await trx.selectFrom('quarantine_follow_ups').select(['id', 'cancelled', 'done_at']).where('quarantine_id', '=', id).where('date', '=', body.date).where('slot', '=', body.slot).executeTakeFirst();
        if (!slot) throw notFound('FOLLOW_UP_NOT_FOUND', `No check ${body.slot} on ${body.date} in this schedule`);
        if (slot.cancelled) throw businessRule('FOLLOW_UP_CANCELLED', 'This check was dropped when the window moved');
        if (slot.done_at !== null) throw conflict('FOLLOW_UP_DONE', 'This check is already recorded');
        const done = await trx
          .updateTable('quarantine_follow_ups')
          .set({ done_at: now, done_by: actor.userId, temperature_c: tenths(body.temperatureC), condition: body.condition ?? null, note: body.note ?? null })
          .where('id', '=', slot.id)
          .where('done_at', 'is', null)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) throw conflict('FOLLOW_UP_DONE', 'This check is already recorded');
        await audit(trx, deps, ctx, { action: 'health.quarantine.follow-up', objectType: 'quarantine', objectId: id, details: { date: body.date, slot: body.slot } });
        const incident = await incidentById(trx, r.incident_id);
        const fever = isFever(body.temperatureC, incident.feverThresholdC);
        let abnormalCaseId: string | null = null;
        if (fever) {
          const opened = await openAbnormalCase(trx, deps, ctx, {
            personId: r.person_id, incidentId: r.incident_id, source: 'manual', reason: 'FEVER', sourceRef: slot.id, temperatureC: Number(tenths(body.temperatureC)), siteId: r.person_site_id, at: now, note: '隔离随访发热 (quarantine follow-up)',
          });
          abnormalCaseId = opened.id;
          await refreshHealthStatus(trx, deps, r.person_id);
        }
        return {
          date: body.date, slot: body.slot, status: 'done', cancelled: false, temperatureC: Number(tenths(body.temperatureC)), condition: body.condition ?? null, note: body.note ?? null,
          doneAt: now.toISOString(), doneBy: actor.username, fever, abnormalCaseId,
        };
      });
    },

    async addSupport(ctx: RequestContext, actor: Actor, id: string, body: { kind: Support['kind']; request: string }): Promise<Support> {
      return db.transaction().execute(async (trx) => {
        const r = await loadVisible(trx, await scopeOf(trx, actor), id);
        if (r.status !== 'active') throw notActive();
        const row = await trx.insertInto('quarantine_supports').values({ quarantine_id: id, kind: body.kind, request: body.request, requested_at: clock.now() }).returning('id').executeTakeFirstOrThrow();
        // The request itself may say something about the person's health: only its kind is logged.
        await audit(trx, deps, ctx, { action: 'health.quarantine.support', objectType: 'quarantine_support', objectId: row.id, details: { quarantine: id, kind: body.kind } });
        return toSupport(await supportRow(trx, row.id));
      });
    },

    async deliverSupport(ctx: RequestContext, actor: Actor, id: string, supportId: string, note: string | undefined): Promise<Support> {
      return db.transaction().execute(async (trx) => {
        await loadVisible(trx, await scopeOf(trx, actor), id);
        const support = await trx.selectFrom('quarantine_supports').select(['id', 'kind']).where('id', '=', supportId).where('quarantine_id', '=', id).executeTakeFirst();
        if (!support) throw notFound('SUPPORT_NOT_FOUND', 'No such support request');
        const r = await trx.updateTable('quarantine_supports').set({ delivered_at: clock.now(), delivered_by: actor.userId, delivery_note: note ?? null }).where('id', '=', supportId).where('delivered_at', 'is', null).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw conflict('SUPPORT_DELIVERED', 'This request was already delivered');
        await audit(trx, deps, ctx, { action: 'health.quarantine.deliver', objectType: 'quarantine_support', objectId: supportId, details: { quarantine: id, kind: support.kind } });
        return toSupport(await supportRow(trx, supportId));
      });
    },

    async addNote(ctx: RequestContext, actor: Actor, id: string, body: { kind: Note['kind']; text: string }): Promise<Note> {
      return db.transaction().execute(async (trx) => {
        await loadVisible(trx, await scopeOf(trx, actor), id);
        const at = clock.now();
        const row = await trx.insertInto('quarantine_notes').values({ quarantine_id: id, kind: body.kind, text: body.text, at, written_by: actor.userId }).returning('id').executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'health.quarantine.note', objectType: 'quarantine_note', objectId: row.id, details: { quarantine: id, kind: body.kind } });
        return { id: row.id, kind: body.kind, text: body.text, at: at.toISOString(), writtenBy: actor.username };
      });
    },

    /** Release after a final check without fever, on or after the planned end (earlier with a reason). */
    async release(ctx: RequestContext, actor: Actor, id: string, body: ReleaseBody): Promise<Quarantine> {
      return db.transaction().execute(async (trx) => {
        const r = await loadVisible(trx, await scopeOf(trx, actor), id);
        if (r.status !== 'active') throw notActive();
        const now = clock.now();
        const today = shanghaiDay(now);
        const early = today < r.planned_end;
        if (early && !body.early) throw businessRule('QUARANTINE_NOT_DUE', `The quarantine runs until ${r.planned_end}; an earlier release needs early: true and a reason`);
        const incident = await incidentById(trx, r.incident_id);
        if (isFever(body.temperatureC, incident.feverThresholdC)) throw businessRule('RELEASE_FEVER', 'The final check shows a fever: the quarantine cannot end');
        const temperature = tenths(body.temperatureC);
        await close(trx, r, body.version, { status: 'released', released_at: now, released_by: actor.userId, release_temperature_c: temperature, release_note: early ? `${body.reason ?? ''} — ${body.note}` : body.note });
        // The final check fills today's first open slot, then the rest of the schedule is dropped.
        const slot = await trx.selectFrom('quarantine_follow_ups').select('id').where('quarantine_id', '=', id).where('date', '=', today).where('done_at', 'is', null).where('cancelled', '=', false).orderBy('slot').executeTakeFirst();
        if (slot) await trx.updateTable('quarantine_follow_ups').set({ done_at: now, done_by: actor.userId, temperature_c: temperature, condition: '解除隔离终检 (final check)' }).where('id', '=', slot.id).execute();
        const cancelled = await endSchedule(trx, id, today);
        await audit(trx, deps, ctx, { action: 'health.quarantine.release', objectType: 'quarantine', objectId: id, changes: { status: { old: 'active', new: 'released' } }, details: { early, plannedEnd: r.planned_end, cancelled } });
        await refreshHealthStatus(trx, deps, r.person_id);
        return detail(trx, actor, await loadVisible(trx, null, id));
      });
    },

    /** The person could not be followed: the quarantine ends as lost, the open checks are dropped. */
    async markLost(ctx: RequestContext, actor: Actor, id: string, body: { note: string; version?: number | undefined }): Promise<Quarantine> {
      return db.transaction().execute(async (trx) => {
        const r = await loadVisible(trx, await scopeOf(trx, actor), id);
        await close(trx, r, body.version, { status: 'lost' });
        const now = clock.now();
        await trx.insertInto('quarantine_notes').values({ quarantine_id: id, kind: 'other', text: body.note, at: now, written_by: actor.userId }).execute();
        const cancelled = await endSchedule(trx, id, shanghaiDay(now));
        await audit(trx, deps, ctx, { action: 'health.quarantine.lost', objectType: 'quarantine', objectId: id, changes: { status: { old: 'active', new: 'lost' } }, details: { cancelled } });
        await refreshHealthStatus(trx, deps, r.person_id);
        return detail(trx, actor, await loadVisible(trx, null, id));
      });
    },
  };
}
export type QuarantineService = ReturnType<typeof quarantineService>;
