import type { Deps } from '../context';
import { systemContext } from '../context';
import type { PurgeCounts } from '../modules/health-incidents/incidents.schemas';
import { noBeforePurge, purgeIncident, type BeforePurge } from '../modules/health-incidents/purge';
import type { Job } from './jobs';

/**
 * The job health-purge with a hook that runs before each purge's deletes (the lead wires the
 * daily briefing's store: `healthPurgeJobWith((deps) => (trx, incident) => storeIncidentBriefings(trx, deps, incident))`).
 */
export function healthPurgeJobWith(hook: (deps: Deps) => BeforePurge = () => noBeforePurge): Job {
  return {
    name: 'health-purge',
    description: 'Purges the personal health, travel and contact data of every closed incident whose retention has run out',
    schedule: '30 3 * * *',
    run: (deps, at) => purgeDue(deps, at, false),
    dryRun: (deps, at) => purgeDue(deps, at, true),
  };

  async function purgeDue(deps: Deps, at: Date, dryRun: boolean) {
    // Idempotent: a purged incident is no longer 'closed', so a second run finds nothing.
    const due = await deps.database.db
      .selectFrom('health_incidents')
      .select('id')
      .where('status', '=', 'closed')
      .where('purge_due_at', '<=', at)
      .orderBy('purge_due_at')
      .execute();
    const asOf = { ...deps, clock: { now: () => at } };
    const counts: PurgeCounts = {};
    const incidents: string[] = [];
    for (const { id } of due) {
      const report = await purgeIncident(asOf, systemContext('job health-purge'), id, { dryRun, beforePurge: hook(asOf) });
      incidents.push(id);
      for (const [table, n] of Object.entries(report.counts)) counts[table] = (counts[table] ?? 0) + n;
    }
    return { ...(dryRun ? { dryRun, due: incidents.length } : { purged: incidents.length }), incidents, counts };
  }
}

/** Every night at 03:30 Asia/Shanghai (without a hook; jobs.ts registers the wired one). */
export const healthPurgeJob: Job = healthPurgeJobWith();
