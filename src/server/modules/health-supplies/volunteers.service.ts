import { maskName } from '../../../domain/access/mask';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { notFound, staleVersion } from '../../errors';
import { personInScope, personVisible, scopeOf, siteInScope } from '../access-live/access-scope';
import { audit, diffChanges } from '../audit/audit.service';
import { activeIncident } from '../health-incidents/incident';
import type { CreateVolunteerBody, PutVolunteerBody, Volunteer } from './volunteers.schemas';

const volunteerRows = (trx: Db | Tx) =>
  trx
    .selectFrom('volunteers as v')
    .innerJoin('people as p', 'p.id', 'v.person_id')
    .leftJoin('sites as ps', 'ps.id', 'p.site_id')
    .leftJoin('sites as s', 's.id', 'v.site_id')
    .select([
      'v.id', 'v.task', 'v.available', 'v.active', 'v.created_at', 'v.version',
      'p.code as person_code', 'p.name as person_name', 'p.unit_id', 'ps.unit_id as site_unit_id',
      's.code as site_code', 's.name_zh as site_name_zh',
    ]);
type VolunteerRow = Awaited<ReturnType<ReturnType<typeof volunteerRows>['executeTakeFirstOrThrow']>>;

const toVolunteer = (r: VolunteerRow): Volunteer => ({
  id: r.id,
  person: { code: r.person_code, name: maskName(r.person_name) },
  site: r.site_code === null ? null : { code: r.site_code, nameZh: r.site_name_zh ?? '' },
  task: r.task,
  available: r.available,
  active: r.active,
  createdAt: r.created_at.toISOString(),
  version: r.version,
});

const volunteerNotFound = () => notFound('VOLUNTEER_NOT_FOUND', 'No such volunteer');

/**
 * Volunteers (志愿者): registered people who help in a community, with their task and when they
 * are available. A volunteer is in scope when the person is (by unit, or without one by their
 * site's unit); names are masked.
 */
export function volunteerService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  return {
    async list(actor: Actor, q: { site?: string | undefined; active?: 'true' | 'false' | undefined }): Promise<{ rows: Volunteer[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        let query = volunteerRows(trx);
        if (q.site) query = query.where('v.site_id', '=', (await siteInScope(trx, scope, q.site)).id);
        if (scope !== null) {
          if (scope.size === 0) return { rows: [] };
          query = query.where((eb) => eb(eb.fn.coalesce('p.unit_id', 'ps.unit_id'), 'in', [...scope]));
        }
        if (q.active) query = query.where('v.active', '=', q.active === 'true');
        const rows = await query.orderBy('p.code').orderBy('v.created_at').limit(5000).execute();
        return { rows: rows.map(toVolunteer) };
      });
    },

    async create(ctx: RequestContext, actor: Actor, body: CreateVolunteerBody): Promise<Volunteer> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const person = await personInScope(trx, scope, body.person);
        const site = body.site === null ? null : await siteInScope(trx, scope, body.site);
        const incident = await activeIncident(trx);
        const now = clock.now();
        const row = await trx
          .insertInto('volunteers')
          .values({ person_id: person.id, site_id: site?.id ?? null, task: body.task, available: body.available, incident_id: incident?.id ?? null, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'volunteer.create', objectType: 'volunteer', objectId: row.id, details: { person: person.code, site: site?.code ?? null, task: body.task, available: body.available } });
        return toVolunteer(await volunteerRows(trx).where('v.id', '=', row.id).executeTakeFirstOrThrow());
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, body: PutVolunteerBody): Promise<Volunteer> {
      return db.transaction().execute(async (trx) => {
        const row = await volunteerRows(trx).where('v.id', '=', id).executeTakeFirst();
        if (!row || !personVisible(await scopeOf(trx, actor), row)) throw volunteerNotFound();
        if (row.version !== body.version) throw staleVersion();
        const r = await trx
          .updateTable('volunteers')
          .set({ task: body.task, available: body.available, active: body.active, updated_at: clock.now(), version: row.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await audit(trx, deps, ctx, {
          action: 'volunteer.update',
          objectType: 'volunteer',
          objectId: id,
          changes: diffChanges({ task: row.task, available: row.available, active: row.active }, { task: body.task, available: body.available, active: body.active }),
          details: { person: row.person_code },
        });
        return toVolunteer(await volunteerRows(trx).where('v.id', '=', id).executeTakeFirstOrThrow());
      });
    },
  };
}
export type VolunteerService = ReturnType<typeof volunteerService>;
