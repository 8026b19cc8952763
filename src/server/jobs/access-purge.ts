/**
 * Retention of the access-control data (PIPL art. 19 and 47; issue 8 item 2, PI-5): gate events
 * and ended visits older than GATE_EVENT_RETENTION_DAYS are deleted, with the passes issued for
 * those visits. The retention comes from the personal-data registry (tablesRetainedBy).
 *
 * Held back: the gate events of an incident that is not purged yet (from its first day through
 * the day it closed, at its sites or of the people it covers). The daily briefing, the case card
 * and contact tracing compute from them until health-purge stores the briefings and purges the
 * incident; after that, this job deletes them on its next run.
 *
 * Each batch is one transaction with its audit row (counts only, never a personal value), so a
 * crash loses no more than the batch it was in and leaves nothing half-deleted.
 */
import { sql, type RawBuilder } from 'kysely';
import { addDays, shanghaiDay, startOfShanghaiDay } from '../../domain/notices/week';
import type { Db, Deps, Tx } from '../context';
import { retentionDays } from '../db/personal-data-registry';
import { systemContext } from '../context';
import { audit } from '../modules/audit/audit.service';
import { coveredPeopleIds } from '../modules/health-incidents/incident';
import type { Job } from './jobs';

export interface AccessPurgeOptions {
  /** Count what would go, delete nothing (the audit row says it was a dry run). */
  dryRun?: boolean;
  /** Rows per table and transaction. */
  batchSize?: number;
}

export interface AccessPurgeCounts {
  gate_events: number;
  visits: number;
  passes: number;
  pass_sites: number;
}

export interface AccessPurgeReport {
  dryRun: boolean;
  retentionDays: number;
  /** Rows recorded before this instant are past their retention. */
  cutoff: string;
  counts: AccessPurgeCounts;
  /** Gate events past the retention kept for an incident that is not purged yet. */
  held: number;
  /** Transactions that deleted something (each with its audit row). */
  batches: number;
}

const none = (): AccessPurgeCounts => ({ gate_events: 0, visits: 0, passes: 0, pass_sites: 0 });

/** The gate events (alias g) an incident not yet purged still needs; false when there is none. */
async function heldByIncidents(trx: Db | Tx): Promise<RawBuilder<boolean>> {
  const incidents = await trx.selectFrom('health_incidents').select(['id', 'start_date', 'closed_at']).where('status', '<>', 'purged').execute();
  if (incidents.length === 0) return sql<boolean>`false`;
  const holds = incidents.map((i) => {
    const from = startOfShanghaiDay(i.start_date);
    const until = i.closed_at === null ? null : startOfShanghaiDay(addDays(shanghaiDay(i.closed_at), 1));
    return sql<boolean>`(g.at >= ${from} AND (${until}::timestamptz IS NULL OR g.at < ${until}::timestamptz)
      AND (g.site_id IN (SELECT site_id FROM health_incident_sites WHERE incident_id = ${i.id}) OR g.person_id IN ${coveredPeopleIds(i.id)}))`;
  });
  return sql<boolean>`(${sql.join(holds, sql` OR `)})`;
}

/** Gate events past the cutoff and not held. */
const dueEvents = (cutoff: Date, held: RawBuilder<boolean>) => sql`SELECT g.id FROM gate_events g WHERE g.at < ${cutoff} AND NOT ${held}`;

/** Visits that ended before the cutoff and whose passes no remaining gate event names. */
const dueVisits = (cutoff: Date) => sql`SELECT v.id FROM visits v WHERE v.ends_at < ${cutoff}
  AND NOT EXISTS (SELECT 1 FROM passes p JOIN gate_events g ON g.pass_id = p.id WHERE p.visit_id = v.id)`;

async function count(trx: Tx, query: RawBuilder<unknown>): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${query}) AS q`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

async function deleted(trx: Tx, statement: RawBuilder<unknown>): Promise<number> {
  // Counted from the deleted rows themselves, the same way on PGlite and PostgreSQL.
  const r = await sql<{ n: number }>`WITH gone AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM gone`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

/**
 * Deletes (or, as a dry run, counts) the gate events and ended visits past their retention as of
 * `at`, in batches of `batchSize` per table, each batch one transaction with an `access.purge`
 * audit row. Idempotent: a second run finds nothing and writes no row.
 */
export async function purgeAccessData(deps: Pick<Deps, 'database' | 'config'>, at: Date, options: AccessPurgeOptions = {}): Promise<AccessPurgeReport> {
  const { db } = deps.database;
  const days = retentionDays(deps.config, 'gateEventRetentionDays');
  const cutoff = new Date(at.getTime() - days * 86_400_000);
  const batchSize = options.batchSize ?? 5000;
  const dryRun = options.dryRun ?? false;
  const asOf = { clock: { now: () => at } };
  const ctx = systemContext('job access-purge');
  const report = (counts: AccessPurgeCounts, held: number, batches: number): AccessPurgeReport => ({ dryRun, retentionDays: days, cutoff: cutoff.toISOString(), counts, held, batches });
  const auditRow = (trx: Tx, counts: AccessPurgeCounts, extra: Record<string, unknown> = {}) =>
    audit(trx, asOf, ctx, { action: 'access.purge', objectType: 'gate_events', details: { dryRun, retentionDays: days, cutoff: cutoff.toISOString(), counts, ...extra } });
  const heldCount = async (trx: Tx, held: RawBuilder<boolean>) => count(trx, sql`SELECT g.id FROM gate_events g WHERE g.at < ${cutoff} AND ${held}`);

  if (dryRun) {
    return db.transaction().execute(async (trx) => {
      const held = await heldByIncidents(trx);
      // The visits a real run would reach: as if the due gate events were gone already.
      const visitIds = sql`SELECT v.id FROM visits v WHERE v.ends_at < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM passes p JOIN gate_events g ON g.pass_id = p.id WHERE p.visit_id = v.id AND NOT (g.at < ${cutoff} AND NOT ${held}))`;
      const counts: AccessPurgeCounts = {
        gate_events: await count(trx, dueEvents(cutoff, held)),
        visits: await count(trx, visitIds),
        passes: await count(trx, sql`SELECT p.id FROM passes p WHERE p.visit_id IN (${visitIds})`),
        pass_sites: await count(trx, sql`SELECT ps.pass_id FROM pass_sites ps JOIN passes p ON p.id = ps.pass_id WHERE p.visit_id IN (${visitIds})`),
      };
      const heldRows = await heldCount(trx, held);
      await auditRow(trx, counts, { held: heldRows });
      return report(counts, heldRows, 0);
    });
  }

  const total = none();
  let batches = 0;
  for (;;) {
    const { counts, done, held } = await db.transaction().execute(async (trx) => {
      const hold = await heldByIncidents(trx);
      const c = none();
      c.gate_events = await deleted(trx, sql`DELETE FROM gate_events WHERE id IN (${dueEvents(cutoff, hold)} ORDER BY g.at LIMIT ${batchSize})`);
      // Visits only once this batch left no due gate event that might name one of their passes.
      if (c.gate_events < batchSize) {
        const ids = (await sql<{ id: string }>`${dueVisits(cutoff)} ORDER BY v.ends_at LIMIT ${batchSize}`.execute(trx)).rows.map((r) => r.id);
        if (ids.length > 0) {
          const passesOf = sql`SELECT id FROM passes WHERE visit_id IN (${sql.join(ids)})`;
          c.pass_sites = await deleted(trx, sql`DELETE FROM pass_sites WHERE pass_id IN (${passesOf})`);
          c.passes = await deleted(trx, sql`DELETE FROM passes WHERE visit_id IN (${sql.join(ids)})`);
          c.visits = await deleted(trx, sql`DELETE FROM visits WHERE id IN (${sql.join(ids)})`);
        }
      }
      const last = c.gate_events < batchSize && c.visits < batchSize;
      const h = last ? await heldCount(trx, hold) : 0;
      if (c.gate_events + c.visits > 0) await auditRow(trx, c, last ? { held: h } : {});
      return { counts: c, done: last, held: h };
    });
    for (const k of Object.keys(total) as (keyof AccessPurgeCounts)[]) total[k] += counts[k];
    if (counts.gate_events + counts.visits > 0) batches++;
    if (done) return report(total, held, batches);
  }
}

/** Every night at 03:45 Asia/Shanghai, after health-purge (03:30) has purged what it could. */
export const accessPurgeJob: Job = {
  name: 'access-purge',
  description: 'Deletes gate events and ended visits (with their passes) older than GATE_EVENT_RETENTION_DAYS; keeps those an unpurged incident needs',
  schedule: '45 3 * * *',
  async run(deps, at) {
    return { ...(await purgeAccessData(deps, at)) };
  },
  async dryRun(deps, at) {
    return { ...(await purgeAccessData(deps, at, { dryRun: true })) };
  },
};
