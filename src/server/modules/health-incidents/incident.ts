/**
 * The incident (疫情应急事件) that switches emergency mode on, and who it covers. Shared by every
 * health module: declarations, screening, cases, exposures, quarantines, transfers, the briefing
 * and the purge. At most one incident is active (the database enforces it).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../../context';
import { businessRule, notFound } from '../../errors';

export interface Incident {
  id: string;
  name: string;
  startDate: string;
  status: 'active' | 'closed' | 'purged';
  declarationDueTime: string;
  feverThresholdC: number;
  followUpDays: number;
  followUpPerDay: number;
  travelLookbackDays: number;
  retentionDays: number;
  closedAt: Date | null;
  purgeDueAt: Date | null;
  purgedAt: Date | null;
  version: number;
  siteIds: string[];
  unitIds: string[];
}

async function load(trx: Db | Tx, where: { id?: string; active?: true }): Promise<Incident | null> {
  let q = trx.selectFrom('health_incidents').selectAll();
  if (where.id !== undefined) q = q.where('id', '=', where.id);
  if (where.active) q = q.where('status', '=', 'active');
  const r = await q.executeTakeFirst();
  if (!r) return null;
  const [sites, units] = await Promise.all([
    trx.selectFrom('health_incident_sites').select('site_id').where('incident_id', '=', r.id).execute(),
    trx.selectFrom('health_incident_units').select('unit_id').where('incident_id', '=', r.id).execute(),
  ]);
  return {
    id: r.id,
    name: r.name,
    startDate: r.start_date,
    status: r.status as Incident['status'],
    declarationDueTime: r.declaration_due_time,
    feverThresholdC: Number(r.fever_threshold_c),
    followUpDays: r.follow_up_days,
    followUpPerDay: r.follow_up_per_day,
    travelLookbackDays: r.travel_lookback_days,
    retentionDays: r.retention_days,
    closedAt: r.closed_at,
    purgeDueAt: r.purge_due_at,
    purgedAt: r.purged_at,
    version: r.version,
    siteIds: sites.map((s) => s.site_id),
    unitIds: units.map((u) => u.unit_id),
  };
}

/** The active incident, or null when emergency mode is off. */
export const activeIncident = (trx: Db | Tx): Promise<Incident | null> => load(trx, { active: true });

/** The active incident, or 422 NO_ACTIVE_INCIDENT. */
export async function requireActiveIncident(trx: Db | Tx): Promise<Incident> {
  const incident = await activeIncident(trx);
  if (!incident) throw businessRule('NO_ACTIVE_INCIDENT', 'Emergency mode is off: there is no active incident');
  return incident;
}

export async function incidentById(trx: Db | Tx, id: string): Promise<Incident> {
  const incident = await load(trx, { id });
  if (!incident) throw notFound('INCIDENT_NOT_FOUND', 'No such incident');
  return incident;
}

/**
 * The ids of the people an incident covers, as a subquery for `where('p.id', 'in', …)`: everyone
 * registered (not visitors) whose site is one of the incident's sites, or whose unit is one of its
 * units or below.
 */
export function coveredPeopleIds(incidentId: string): RawBuilder<{ id: string }> {
  return sql<{ id: string }>`(
    WITH RECURSIVE scope_units AS (
      SELECT unit_id AS id FROM health_incident_units WHERE incident_id = ${incidentId}
      UNION SELECT u.id FROM units u JOIN scope_units su ON u.parent_id = su.id
    )
    SELECT p.id FROM people p
    WHERE p.category <> 'visitor'
      AND (p.site_id IN (SELECT site_id FROM health_incident_sites WHERE incident_id = ${incidentId})
        OR p.unit_id IN (SELECT id FROM scope_units))
  )`;
}

/** Whether the incident covers one person. */
export async function incidentCovers(trx: Db | Tx, incidentId: string, personId: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`SELECT ${personId}::uuid IN ${coveredPeopleIds(incidentId)} AS ok`.execute(trx);
  return r.rows[0]?.ok === true;
}

/** Whether an active incident covers a site (the gate then requires a temperature). */
export async function siteInEmergency(trx: Db | Tx, siteId: string): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM health_incident_sites s JOIN health_incidents i ON i.id = s.incident_id
    WHERE i.status = 'active' AND s.site_id = ${siteId}`.execute(trx);
  return (r.rows[0]?.n ?? 0) > 0;
}
