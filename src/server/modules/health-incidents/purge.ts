/**
 * The purge (数据清除) of an incident's personal health, travel and contact data once its retention
 * has run out (PIPL: kept no longer than needed). Shared by POST /api/health/incidents/:id/purge
 * and the job health-purge. A dry run counts what would go and changes nothing else; both are
 * recorded in health_purges and the audit log with counts only, never a personal value.
 *
 * Kept: the incident row, transfers (trips without their people), supplies, donations, volunteers,
 * risk areas, the stored daily briefings (aggregates) and the purge reports.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Deps, RequestContext, Tx } from '../../context';
import { businessRule } from '../../errors';
import { audit } from '../audit/audit.service';
import { incidentById, type Incident } from './incident';
import type { PurgeCounts, PurgeReport } from './incidents.schemas';

/** Runs before the first delete, in the purge's transaction (the briefing module stores every day's briefing). */
export type BeforePurge = (trx: Tx, incident: Incident) => Promise<void>;
export const noBeforePurge: BeforePurge = async () => {};

export interface PurgeOptions {
  dryRun: boolean;
  beforePurge?: BeforePurge;
}

const ofTransfers = (id: string) => sql`transfer_id IN (SELECT id FROM transfers WHERE incident_id = ${id})`;
const ofCases = (id: string) => sql`case_id IN (SELECT id FROM abnormal_cases WHERE incident_id = ${id})`;
const ofQuarantines = (id: string) => sql`quarantine_id IN (SELECT id FROM quarantines WHERE incident_id = ${id})`;
const ofIncident = (id: string) => sql`incident_id = ${id}`;

/** The tables purged, children before their parents (foreign keys), with the rows of one incident. */
export const purgedTables: readonly { table: string; rows: (incidentId: string) => RawBuilder<unknown> }[] = [
  { table: 'transfer_people', rows: ofTransfers },
  { table: 'case_follow_ups', rows: ofCases },
  { table: 'quarantine_follow_ups', rows: ofQuarantines },
  { table: 'quarantine_supports', rows: ofQuarantines },
  { table: 'quarantine_notes', rows: ofQuarantines },
  { table: 'quarantines', rows: ofIncident },
  { table: 'exposures', rows: ofIncident },
  { table: 'abnormal_cases', rows: ofIncident },
  { table: 'health_status_contests', rows: ofIncident },
  { table: 'health_statuses', rows: ofIncident },
  { table: 'return_screenings', rows: ofIncident },
  { table: 'travel_records', rows: ofIncident },
  { table: 'health_reminders', rows: ofIncident },
  { table: 'health_declarations', rows: ofIncident },
];

async function countRows(trx: Tx, table: string, where: RawBuilder<unknown>): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

async function deleteRows(trx: Tx, table: string, where: RawBuilder<unknown>): Promise<number> {
  // Counted from the deleted rows themselves, the same way on PGlite and PostgreSQL.
  const r = await sql<{ n: number }>`WITH gone AS (DELETE FROM ${sql.table(table)} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM gone`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

export const purgeTotal = (counts: PurgeCounts): number => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Purges one incident (or counts what a purge would delete). A real purge needs the incident
 * closed and its purge date reached: 422 PURGE_NOT_DUE (details { purgeDueAt }) otherwise, and
 * 422 INCIDENT_PURGED when it already ran. Everything happens in one transaction.
 */
export async function purgeIncident(deps: Pick<Deps, 'database' | 'clock'>, ctx: RequestContext, incidentId: string, options: PurgeOptions): Promise<PurgeReport> {
  const beforePurge = options.beforePurge ?? noBeforePurge;
  return deps.database.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const incident = await incidentById(trx, incidentId);
    if (!options.dryRun) {
      if (incident.status === 'purged') throw businessRule('INCIDENT_PURGED', 'The personal data of this incident were already purged');
      if (incident.status !== 'closed' || incident.purgeDueAt === null || incident.purgeDueAt > now) {
        throw businessRule('PURGE_NOT_DUE', 'The retention period of this incident has not run out yet', { purgeDueAt: incident.purgeDueAt?.toISOString() ?? null });
      }
      await beforePurge(trx, incident);
    }
    const counts: PurgeCounts = {};
    for (const { table, rows } of purgedTables) {
      counts[table] = options.dryRun ? await countRows(trx, table, rows(incident.id)) : await deleteRows(trx, table, rows(incident.id));
    }
    if (!options.dryRun) {
      await trx
        .updateTable('health_incidents')
        .set({ status: 'purged', purged_at: now, updated_at: now, version: incident.version + 1 })
        .where('id', '=', incident.id)
        .execute();
    }
    const runBy = ctx.actor?.userId ?? null;
    const row = await trx
      .insertInto('health_purges')
      .values({ incident_id: incident.id, dry_run: options.dryRun, counts: JSON.stringify(counts), run_by: runBy, run_at: now })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await audit(trx, deps, ctx, {
      action: 'health.incident.purge',
      objectType: 'health_incident',
      objectId: incident.id,
      details: { dryRun: options.dryRun, counts, total: purgeTotal(counts), purgeId: row.id },
    });
    return { id: row.id, incidentId: incident.id, dryRun: options.dryRun, counts, total: purgeTotal(counts), runAt: now.toISOString(), runBy: ctx.actor?.username ?? null };
  });
}
