import { sql, type RawBuilder } from 'kysely';
import { maskName } from '../../../domain/access/mask';
import { addDays, shanghaiDay, startOfShanghaiDay } from '../../../domain/notices/week';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound } from '../../errors';
import { personInScope, scopeOf, type Scope } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { activeIncident, incidentById, requireActiveIncident } from '../health-incidents/incident';
import { personScopeSql } from '../people/people.registry';
import type { CreateTransferBody, Transfer, TransferList, TransferQuery } from './transfers.schemas';

/** A trip may be entered a little ahead of the server's clock, not more. */
const futureToleranceMs = 10 * 60_000;

/** A trip is visible when one of the people it carried is in the scope. */
function visibleSql(scope: Scope): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from transfer_people tp join people p on p.id = tp.person_id left join sites ps on ps.id = p.site_id
    where tp.transfer_id = t.id and ${personScopeSql(scope)})`;
}

const transferRows = (db: Db | Tx) =>
  db.selectFrom('transfers as t').select(['t.id', 't.incident_id', 't.at', 't.vehicle', 't.driver', 't.from_place', 't.to_place', 't.disinfected', 't.disinfected_at', 't.note']);
type Row = Awaited<ReturnType<ReturnType<typeof transferRows>['executeTakeFirstOrThrow']>>;

/**
 * Transfers (转运): one trip of a vehicle with its driver, the people carried (person-trips, each
 * linked to their open abnormal case) and the vehicle's disinfection; counted for the incident.
 */
export function transferService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function toTransfers(trx: Db | Tx, scope: Scope, rows: Row[]): Promise<Transfer[]> {
    const ids = rows.map((r) => r.id);
    const people =
      ids.length === 0
        ? []
        : await trx
            .selectFrom('transfer_people as tp')
            .innerJoin('people as p', 'p.id', 'tp.person_id')
            .leftJoin('sites as ps', 'ps.id', 'p.site_id')
            .select(['tp.transfer_id', 'p.code', 'p.name', sql<boolean>`${personScopeSql(scope)}`.as('visible')])
            .where('tp.transfer_id', 'in', ids)
            .orderBy('p.code')
            .execute();
    return rows.map((r) => {
      const own = people.filter((p) => p.transfer_id === r.id);
      return {
        id: r.id,
        at: r.at.toISOString(),
        vehicle: r.vehicle,
        driver: r.driver,
        from: r.from_place,
        to: r.to_place,
        people: own.filter((p) => p.visible).map((p) => ({ code: p.code, name: maskName(p.name) })),
        personCount: own.length,
        disinfected: r.disinfected,
        disinfectedAt: r.disinfected_at?.toISOString() ?? null,
        note: r.note,
      };
    });
  }

  /** Trips and person-trips of the visible trips under some conditions. */
  async function tally(trx: Db | Tx, where: RawBuilder<boolean>): Promise<{ trips: number; personTrips: number }> {
    const r = await sql<{ trips: number; person_trips: number }>`SELECT count(DISTINCT t.id)::int AS trips, count(*)::int AS person_trips
      FROM transfers t JOIN transfer_people x ON x.transfer_id = t.id WHERE ${where}`.execute(trx);
    return { trips: r.rows[0]?.trips ?? 0, personTrips: r.rows[0]?.person_trips ?? 0 };
  }

  async function loadVisible(trx: Db | Tx, scope: Scope, id: string): Promise<Row> {
    const r = await transferRows(trx).where('t.id', '=', id).where(visibleSql(scope)).executeTakeFirst();
    if (!r) throw notFound('TRANSFER_NOT_FOUND', 'No such transfer');
    return r;
  }

  return {
    /** The trips of a period (newest first, at most 2000) with the period's and the incident's totals. */
    async list(actor: Actor, q: TransferQuery): Promise<TransferList> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const incident = q.incident !== undefined ? await incidentById(trx, q.incident) : await activeIncident(trx);
        const base: RawBuilder<boolean>[] = [visibleSql(scope)];
        if (incident) base.push(sql<boolean>`t.incident_id = ${incident.id}`);
        const period = [...base];
        if (q.from) period.push(sql<boolean>`t.at >= ${startOfShanghaiDay(q.from)}`);
        if (q.to) period.push(sql<boolean>`t.at < ${startOfShanghaiDay(addDays(q.to, 1))}`);
        const all = (conds: RawBuilder<boolean>[]) => sql<boolean>`(${sql.join(conds, sql` and `)})`;
        const rows = await transferRows(trx).where(all(period)).orderBy('t.at', 'desc').orderBy('t.id').limit(2000).execute();
        return {
          rows: await toTransfers(trx, scope, rows),
          totals: { period: await tally(trx, all(period)), incident: incident ? await tally(trx, all(base)) : null },
        };
      });
    },

    /** Records a trip of the active incident; each person's open case in it is linked. */
    async create(ctx: RequestContext, actor: Actor, body: CreateTransferBody): Promise<Transfer> {
      return db.transaction().execute(async (trx) => {
        const incident = await requireActiveIncident(trx);
        const scope = await scopeOf(trx, actor);
        const now = clock.now();
        const at = new Date(body.at);
        if (at.getTime() > now.getTime() + futureToleranceMs) throw businessRule('TRANSFER_FUTURE', 'A trip is recorded when it happened, not ahead', { field: 'at' });
        if (shanghaiDay(at) < incident.startDate) throw businessRule('TRANSFER_BEFORE_INCIDENT', `The incident began on ${incident.startDate}`, { field: 'at' });
        const people = [];
        for (const code of body.people) people.push(await personInScope(trx, scope, code));
        const cases = await trx
          .selectFrom('abnormal_cases')
          .select(['id', 'person_id'])
          .where('person_id', 'in', people.map((p) => p.id))
          .where('incident_id', '=', incident.id)
          .where('status', '=', 'open')
          .orderBy('opened_at', 'desc')
          .execute();
        const row = await trx
          .insertInto('transfers')
          .values({
            incident_id: incident.id,
            at,
            vehicle: body.vehicle,
            driver: body.driver,
            from_place: body.from,
            to_place: body.to,
            disinfected: body.disinfected,
            disinfected_at: body.disinfected ? now : null,
            note: body.note ?? null,
            created_by: actor.userId,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('transfer_people')
          .values(people.map((p) => ({ transfer_id: row.id, person_id: p.id, case_id: cases.find((c) => c.person_id === p.id)?.id ?? null })))
          .execute();
        // Who was carried is health data: the log keeps how many, not who.
        await audit(trx, deps, ctx, { action: 'health.transfer.create', objectType: 'transfer', objectId: row.id, details: { at: at.toISOString(), people: people.length, disinfected: body.disinfected } });
        return (await toTransfers(trx, scope, [await loadVisible(trx, null, row.id)]))[0]!;
      });
    },

    /** The vehicle was disinfected after the trip (once). */
    async disinfect(ctx: RequestContext, actor: Actor, id: string): Promise<Transfer> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        await loadVisible(trx, scope, id);
        const now = clock.now();
        const r = await trx.updateTable('transfers').set({ disinfected: true, disinfected_at: now }).where('id', '=', id).where('disinfected', '=', false).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw conflict('TRANSFER_DISINFECTED', 'This trip’s vehicle is already recorded as disinfected');
        await audit(trx, deps, ctx, { action: 'health.transfer.disinfect', objectType: 'transfer', objectId: id, changes: { disinfected: { old: false, new: true } } });
        return (await toTransfers(trx, scope, [await loadVisible(trx, scope, id)]))[0]!;
      });
    },
  };
}
export type TransferService = ReturnType<typeof transferService>;
