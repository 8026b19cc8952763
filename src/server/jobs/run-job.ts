import { sql } from 'kysely';
import type { Deps } from '../context';
import type { Job } from './jobs';

/** The advisory-lock class of scheduled jobs (7262001 migrations, 7262002 the audit chain, 7262003 imports). */
export const jobLockClass = 7262004;

export type JobRun = { ran: true; result: Record<string, unknown>; ms: number } | { ran: false };

/**
 * Runs a job once across every server (issue 9 item 4). Each server keeps the schedule; on
 * PostgreSQL a run first takes a session advisory lock named after the job, on a connection of
 * its own held while the job runs, and a server that does not get it skips the run: another is
 * running it. Jobs are idempotent besides, so a later run of the same slot finds the work done.
 * The embedded database is one process, where croner's `protect` already keeps a job from
 * overlapping itself.
 */
export async function runJobOnce(deps: Deps, job: Job, at: Date): Promise<JobRun> {
  const run = async (): Promise<JobRun> => {
    const t0 = performance.now();
    const result = await job.run(deps, at);
    return { ran: true, result, ms: performance.now() - t0 };
  };
  if (deps.database.kind !== 'postgres') return run();
  return deps.database.db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${jobLockClass}, hashtext(${job.name})) AS ok`.execute(conn);
    if (!got.rows[0]?.ok) return { ran: false };
    try {
      return await run();
    } finally {
      await sql`SELECT pg_advisory_unlock(${jobLockClass}, hashtext(${job.name}))`.execute(conn);
    }
  });
}
