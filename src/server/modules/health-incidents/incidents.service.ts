import { inScope } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, notFound, staleVersion } from '../../errors';
import { scopeOf, siteInScope, type Scope } from '../access-live/access-scope';
import { audit, diffChanges } from '../audit/audit.service';
import { invalidate } from '../../cache-bus';
import { activeIncident, incidentById } from './incident';
import type { CreateIncidentBody, IncidentView, PatchIncidentBody, PurgeCounts, PurgeReport } from './incidents.schemas';
import { noBeforePurge, purgeIncident, purgeTotal, type BeforePurge } from './purge';

const dayMs = 86_400_000;
const iso = (d: Date | null) => d?.toISOString() ?? null;

type Settings = Pick<CreateIncidentBody, 'declarationDueTime' | 'feverThresholdC' | 'followUpDays' | 'followUpPerDay' | 'travelLookbackDays' | 'retentionDays'>;

/** The settings given, as column values (absent ones left to the database defaults or unchanged). */
function settingColumns(s: Settings) {
  return {
    ...(s.declarationDueTime === undefined ? {} : { declaration_due_time: s.declarationDueTime }),
    ...(s.feverThresholdC === undefined ? {} : { fever_threshold_c: s.feverThresholdC.toFixed(1) }),
    ...(s.followUpDays === undefined ? {} : { follow_up_days: s.followUpDays }),
    ...(s.followUpPerDay === undefined ? {} : { follow_up_per_day: s.followUpPerDay }),
    ...(s.travelLookbackDays === undefined ? {} : { travel_lookback_days: s.travelLookbackDays }),
    ...(s.retentionDays === undefined ? {} : { retention_days: s.retentionDays }),
  };
}

function purgeRows(trx: Db | Tx, incidentIds: string[]) {
  return trx
    .selectFrom('health_purges as hp')
    .leftJoin('users as u', 'u.id', 'hp.run_by')
    .select(['hp.id', 'hp.incident_id', 'hp.dry_run', 'hp.counts', 'hp.run_at', 'u.username'])
    .where('hp.incident_id', 'in', incidentIds)
    .orderBy('hp.run_at', 'desc')
    .orderBy('hp.id')
    .execute();
}
type PurgeRow = Awaited<ReturnType<typeof purgeRows>>[number];

function toReport(r: PurgeRow): PurgeReport {
  const counts = r.counts as PurgeCounts;
  return { id: r.id, incidentId: r.incident_id, dryRun: r.dry_run, counts, total: purgeTotal(counts), runAt: r.run_at.toISOString(), runBy: r.username };
}

/** Incidents as the API shows them: covered sites and units by code, settings, the latest purge. */
async function incidentViews(trx: Db | Tx, id?: string): Promise<IncidentView[]> {
  let q = trx.selectFrom('health_incidents').selectAll().orderBy('start_date', 'desc').orderBy('created_at', 'desc');
  if (id !== undefined) q = q.where('id', '=', id);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [sites, units, purges] = await Promise.all([
    trx.selectFrom('health_incident_sites as hs').innerJoin('sites as s', 's.id', 'hs.site_id').select(['hs.incident_id', 's.code', 's.name_zh']).where('hs.incident_id', 'in', ids).orderBy('s.code').execute(),
    trx.selectFrom('health_incident_units as hu').innerJoin('units as u', 'u.id', 'hu.unit_id').select(['hu.incident_id', 'u.code', 'u.name_zh']).where('hu.incident_id', 'in', ids).orderBy('u.code').execute(),
    purgeRows(trx, ids),
  ]);
  return rows.map((r) => {
    const last = purges.find((p) => p.incident_id === r.id);
    return {
      id: r.id,
      name: r.name,
      startDate: r.start_date,
      status: r.status as IncidentView['status'],
      sites: sites.filter((s) => s.incident_id === r.id).map((s) => ({ code: s.code, nameZh: s.name_zh })),
      units: units.filter((u) => u.incident_id === r.id).map((u) => ({ code: u.code, nameZh: u.name_zh })),
      settings: {
        declarationDueTime: r.declaration_due_time,
        feverThresholdC: Number(r.fever_threshold_c),
        followUpDays: r.follow_up_days,
        followUpPerDay: r.follow_up_per_day,
        travelLookbackDays: r.travel_lookback_days,
        retentionDays: r.retention_days,
      },
      createdAt: r.created_at.toISOString(),
      closedAt: iso(r.closed_at),
      purgeDueAt: iso(r.purge_due_at),
      purgedAt: iso(r.purged_at),
      lastPurge: last ? toReport(last) : null,
      version: r.version,
    };
  });
}

async function incidentView(trx: Db | Tx, id: string): Promise<IncidentView> {
  const [view] = await incidentViews(trx, id);
  if (!view) throw notFound('INCIDENT_NOT_FOUND', 'No such incident');
  return view;
}

/** Sites and units by code, each in the caller's scope (else the same 404 as an unknown code); at least one. */
async function resolveCoverage(trx: Tx, scope: Scope, siteCodes: string[], unitCodes: string[]): Promise<{ siteIds: string[]; unitIds: string[] }> {
  const siteIds: string[] = [];
  for (const code of new Set(siteCodes)) siteIds.push((await siteInScope(trx, scope, code)).id);
  const unitIds: string[] = [];
  for (const code of new Set(unitCodes)) {
    const unit = await trx.selectFrom('units').select('id').where('code', '=', code).executeTakeFirst();
    if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${code}`);
    unitIds.push(unit.id);
  }
  if (siteIds.length === 0 && unitIds.length === 0) throw businessRule('INCIDENT_SCOPE_EMPTY', 'An incident covers at least one site or unit', { field: 'sites' });
  return { siteIds, unitIds };
}

/** Writes which sites and units an incident covers (emergency mode at their gates: every server's checkpoint cache is dropped). */
async function writeCoverage(trx: Tx, incidentId: string, c: { siteIds: string[]; unitIds: string[] }): Promise<void> {
  await invalidate(trx, 'gate-points');
  await trx.deleteFrom('health_incident_sites').where('incident_id', '=', incidentId).execute();
  await trx.deleteFrom('health_incident_units').where('incident_id', '=', incidentId).execute();
  if (c.siteIds.length > 0) await trx.insertInto('health_incident_sites').values(c.siteIds.map((site_id) => ({ incident_id: incidentId, site_id }))).execute();
  if (c.unitIds.length > 0) await trx.insertInto('health_incident_units').values(c.unitIds.map((unit_id) => ({ incident_id: incidentId, unit_id }))).execute();
}

export interface IncidentServiceOptions {
  /** Runs in a real purge's transaction before the deletes (wired to the daily briefing's store). */
  beforePurge?: BeforePurge;
}

/**
 * Incidents (疫情应急事件): emergency mode on for some sites and units, at most one at a time;
 * closing starts the retention clock, the purge deletes the personal data afterwards. Incidents
 * are company-wide records: the covered sites and units must be in the administrator's scope.
 */
export function incidentService(deps: Deps, options: IncidentServiceOptions = {}) {
  const { db } = deps.database;
  const { clock } = deps;
  const beforePurge = options.beforePurge ?? noBeforePurge;

  return {
    async active(): Promise<IncidentView | null> {
      const incident = await activeIncident(db);
      return incident ? incidentView(db, incident.id) : null;
    },

    async list(): Promise<{ rows: IncidentView[] }> {
      return { rows: await incidentViews(db) };
    },

    async create(ctx: RequestContext, actor: Actor, body: CreateIncidentBody): Promise<IncidentView> {
      return db.transaction().execute(async (trx) => {
        const current = await activeIncident(trx);
        if (current) throw businessRule('INCIDENT_ALREADY_ACTIVE', `Incident "${current.name}" is active; close it first`, { id: current.id });
        const coverage = await resolveCoverage(trx, await scopeOf(trx, actor), body.sites, body.units);
        const now = clock.now();
        const row = await trx
          .insertInto('health_incidents')
          .values({ name: body.name, start_date: body.startDate, ...settingColumns(body), created_by: actor.userId, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await writeCoverage(trx, row.id, coverage);
        const view = await incidentView(trx, row.id);
        await audit(trx, deps, ctx, {
          action: 'health.incident.create',
          objectType: 'health_incident',
          objectId: row.id,
          details: { name: view.name, startDate: view.startDate, sites: view.sites.map((s) => s.code), units: view.units.map((u) => u.code), settings: view.settings },
        });
        return view;
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, body: PatchIncidentBody): Promise<IncidentView> {
      return db.transaction().execute(async (trx) => {
        const before = await incidentView(trx, id);
        if (before.version !== body.version) throw staleVersion();
        if (before.status === 'purged') throw businessRule('INCIDENT_PURGED', 'A purged incident cannot be changed');
        const { version: _version, name, sites, units, ...settings } = body;
        if (before.status === 'closed') {
          // After the close only the name and the retention may change (e.g. a legal hold).
          const others = Object.entries({ sites, units, ...settings, retentionDays: undefined }).filter(([, v]) => v !== undefined);
          if (others.length > 0) throw businessRule('INCIDENT_CLOSED', 'A closed incident keeps its scope and settings; only the name and the retention may change', { fields: others.map(([k]) => k) });
        }
        if (sites !== undefined || units !== undefined) {
          const scope = await scopeOf(trx, actor);
          const coverage = await resolveCoverage(trx, scope, sites ?? before.sites.map((s) => s.code), units ?? before.units.map((u) => u.code));
          await writeCoverage(trx, id, coverage);
        }
        const now = clock.now();
        const closedAt = before.closedAt === null ? null : new Date(before.closedAt);
        const purgeDueAt = closedAt && settings.retentionDays !== undefined ? new Date(closedAt.getTime() + settings.retentionDays * dayMs) : undefined;
        const r = await trx
          .updateTable('health_incidents')
          .set({ ...(name === undefined ? {} : { name }), ...settingColumns(settings), ...(purgeDueAt ? { purge_due_at: purgeDueAt } : {}), updated_at: now, version: before.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const after = await incidentView(trx, id);
        const changes = diffChanges(
          { name: before.name, sites: before.sites.map((s) => s.code), units: before.units.map((u) => u.code), ...before.settings, purgeDueAt: before.purgeDueAt },
          { name: after.name, sites: after.sites.map((s) => s.code), units: after.units.map((u) => u.code), ...after.settings, purgeDueAt: after.purgeDueAt },
        );
        await audit(trx, deps, ctx, { action: 'health.incident.update', objectType: 'health_incident', objectId: id, changes });
        return after;
      });
    },

    async close(ctx: RequestContext, actor: Actor, id: string, confirmName: string): Promise<IncidentView> {
      return db.transaction().execute(async (trx) => {
        const incident = await incidentById(trx, id);
        if (incident.status !== 'active') throw businessRule('INCIDENT_NOT_ACTIVE', 'This incident is already closed');
        if (confirmName.trim() !== incident.name.trim()) throw businessRule('INCIDENT_NAME_MISMATCH', "Type the incident's name to confirm the close", { field: 'name' });
        const now = clock.now();
        const purgeDueAt = new Date(now.getTime() + incident.retentionDays * dayMs);
        await trx
          .updateTable('health_incidents')
          .set({ status: 'closed', closed_at: now, closed_by: actor.userId, purge_due_at: purgeDueAt, updated_at: now, version: incident.version + 1 })
          .where('id', '=', id)
          .execute();
        await invalidate(trx, 'gate-points');
        await audit(trx, deps, ctx, {
          action: 'health.incident.close',
          objectType: 'health_incident',
          objectId: id,
          details: { name: incident.name, retentionDays: incident.retentionDays, purgeDueAt: purgeDueAt.toISOString() },
        });
        return incidentView(trx, id);
      });
    },

    purge(ctx: RequestContext, id: string, dryRun: boolean): Promise<PurgeReport> {
      return purgeIncident(deps, ctx, id, { dryRun, beforePurge });
    },

    async purges(id: string): Promise<{ rows: PurgeReport[] }> {
      await incidentById(db, id);
      return { rows: (await purgeRows(db, [id])).map(toReport) };
    },
  };
}
export type IncidentService = ReturnType<typeof incidentService>;
