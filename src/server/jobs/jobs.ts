import type { Deps } from '../context';
import { systemContext } from '../context';
import { audit } from '../modules/audit/audit.service';
import { benchmarkStagesJob } from './benchmark-stages';
import { warningsScanJob } from './warnings-scan';
import { supervisionLightsJob } from './supervision-lights';
import { weeklyNoticeJob } from './weekly-notice';
import { dailyDigestJob } from './daily-digest';
import { energyFeedJob } from './energy-feed';
import { energyRecomputeJob } from './energy-recompute';
import { dailyBriefingJob } from './daily-briefing';
import { healthPurgeJobWith } from './health-purge';
import { accessPurgeJob } from './access-purge';
import { idempotencyExpireJob } from '../idempotency';
import { storeIncidentBriefings } from '../modules/health-briefing/briefing.service';

/** A scheduled job: idempotent, run as if the clock read `at`. */
export interface Job {
  name: string;
  description: string;
  /** croner pattern (server time zone Asia/Shanghai). */
  schedule: string;
  run(deps: Deps, at: Date): Promise<Record<string, unknown>>;
  /** Jobs that delete: what `run` would delete at `at`, counted, with nothing changed (`jobs run --dry-run`). */
  dryRun?(deps: Deps, at: Date): Promise<Record<string, unknown>>;
}

const sessionsExpire: Job = {
  name: 'sessions-expire',
  description: 'Marks sessions past their idle or absolute timeout as ended',
  schedule: '*/15 * * * *',
  async run(deps, at) {
    const idleSince = new Date(at.getTime() - deps.config.session.idleMinutes * 60_000);
    return deps.database.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('sessions')
        .set({ ended_at: at, end_reason: 'expired' })
        .where('ended_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', '<=', at), eb('last_seen_at', '<', idleSince)]))
        .executeTakeFirst();
      const ended = Number(r.numUpdatedRows);
      if (ended > 0) await audit(trx, { clock: { now: () => at } }, systemContext('job sessions-expire'), { action: 'job.sessions_expire', details: { ended } });
      return { ended };
    });
  },
};

/** Purges closed incidents whose retention ended, after storing every day's briefing. */
const healthPurge = healthPurgeJobWith((deps) => async (trx, incident) => void (await storeIncidentBriefings(trx, deps, incident)));

/** Every job the platform has; later modules add theirs here. */
export const jobs: Job[] = [sessionsExpire, benchmarkStagesJob, warningsScanJob, supervisionLightsJob, weeklyNoticeJob, dailyDigestJob, energyFeedJob, energyRecomputeJob, dailyBriefingJob, healthPurge, accessPurgeJob, idempotencyExpireJob];

export function findJob(name: string): Job | undefined {
  return jobs.find((j) => j.name === name);
}
