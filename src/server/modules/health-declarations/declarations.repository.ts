/**
 * The grid worker's view of a day's declarations (who has and who has not declared): the people an
 * incident covers within the caller's data scope, filtered by site, grid cell and name, with the
 * day's counts. SQL only; the service decides the incident and the scope.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { maskName } from '../../../domain/access/mask';
import { isFever } from '../../../domain/health/status-rules';
import type { HealthColour } from '../../../domain/health/types';
import type { Tx } from '../../context';
import { notFound } from '../../errors';
import { siteInScope, type Scope } from '../access-live/access-scope';
import { coveredPeopleIds, type Incident } from '../health-incidents/incident';
import type { DeclarationList, DeclarationListQuery } from './declarations.schemas';

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function declarationPage(trx: Tx, scope: Scope, incident: Incident, q: DeclarationListQuery, today: string): Promise<DeclarationList> {
  const date = q.date ?? today;
  const site = q.site === undefined ? null : await siteInScope(trx, scope, q.site);
  let gridId: string | null = null;
  if (q.grid !== undefined) {
    if (!site) throw notFound('GRID_NOT_FOUND', 'A grid cell is named within a site: give site as well');
    const grid = await trx.selectFrom('grid_cells').select('id').where('site_id', '=', site.id).where('code', '=', q.grid).executeTakeFirst();
    if (!grid) throw notFound('GRID_NOT_FOUND', `No grid cell ${q.grid} in ${site.code}`);
    gridId = grid.id;
  }
  const incidentView = { id: incident.id, name: incident.name, dueTime: incident.declarationDueTime, feverThresholdC: incident.feverThresholdC };
  if (scope !== null && scope.size === 0) {
    return { date, incident: incidentView, counts: { due: 0, done: 0, missing: 0, fever: 0 }, rows: [], total: 0, page: q.page, pageSize: q.pageSize };
  }

  const base = trx
    .selectFrom('people as p')
    .leftJoin('sites as s', 's.id', 'p.site_id')
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .leftJoin('buildings as b', 'b.id', 'h.building_id')
    .leftJoin('grid_cells as g', 'g.id', 'b.grid_cell_id')
    .leftJoin('health_declarations as d', (j) => j.onRef('d.person_id', '=', 'p.id').on('d.date', '=', date))
    .where(sql<boolean>`p.id IN ${coveredPeopleIds(incident.id)}`)
    .where((eb) => {
      const conds: Expression<SqlBool>[] = [];
      // A person is in scope by their unit, or without a unit by their site's unit.
      if (scope !== null) conds.push(eb(eb.fn.coalesce('p.unit_id', 's.unit_id'), 'in', [...scope]));
      if (site) conds.push(eb('p.site_id', '=', site.id));
      if (gridId !== null) conds.push(eb('g.id', '=', gridId));
      if (q.q !== undefined) conds.push(eb.or([eb('p.code', 'ilike', likePattern(q.q)), eb('p.name', 'ilike', likePattern(q.q))]));
      return eb.and(conds);
    });

  const counted = await base
    .select((eb) => [
      eb.fn.countAll<string>().as('due'),
      eb.fn.count<string>('d.id').as('done'),
      // numeric against numeric: exact at the threshold (37.3 is a fever, 37.2 is not).
      sql<string>`count(*) FILTER (WHERE d.temperature_c >= ${String(incident.feverThresholdC)}::numeric)`.as('fever'),
    ])
    .executeTakeFirstOrThrow();
  const due = Number(counted.due);
  const done = Number(counted.done);
  const counts = { due, done, missing: due - done, fever: Number(counted.fever) };

  let rowsQuery = base
    .leftJoin('health_statuses as hs', 'hs.person_id', 'p.id')
    .select([
      'p.code', 'p.name', 's.code as site_code', 's.name_zh as site_name_zh', 'h.code as household_code', 'g.code as grid_code', 'g.name as grid_name',
      'd.id as declaration_id', 'd.temperature_c', 'd.symptoms', 'd.on_behalf', 'hs.status',
    ])
    .select((eb) =>
      eb.selectFrom('health_reminders as r').select((e) => e.fn.max('r.sent_at').as('at')).whereRef('r.person_id', '=', 'p.id').where('r.date', '=', date).as('reminded_at'),
    );
  if (q.state === 'missing') rowsQuery = rowsQuery.where('d.id', 'is', null);
  if (q.state === 'declared') rowsQuery = rowsQuery.where('d.id', 'is not', null);
  const rows = await rowsQuery
    .orderBy('s.code', (ob) => ob.asc().nullsLast())
    .orderBy('h.code', (ob) => ob.asc().nullsLast())
    .orderBy('p.code')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();

  return {
    date,
    incident: incidentView,
    counts,
    rows: rows.map((r) => {
      const temperatureC = r.temperature_c === null ? null : Number(r.temperature_c);
      const remindedAt = r.reminded_at as Date | string | null;
      return {
        code: r.code,
        name: maskName(r.name),
        site: r.site_code === null ? null : { code: r.site_code, nameZh: r.site_name_zh ?? '' },
        household: r.household_code,
        gridCell: r.grid_code === null ? null : { code: r.grid_code, name: r.grid_name ?? '' },
        declared: r.declaration_id !== null,
        temperatureC,
        fever: isFever(temperatureC, incident.feverThresholdC),
        symptomsCount: r.symptoms?.length ?? 0,
        onBehalf: r.on_behalf,
        status: (r.status as HealthColour | null) ?? null,
        remindedAt: remindedAt === null ? null : new Date(remindedAt).toISOString(),
      };
    }),
    total: q.state === 'missing' ? counts.missing : q.state === 'declared' ? counts.done : counts.due,
    page: q.page,
    pageSize: q.pageSize,
  };
}
