import { Cron } from 'croner';
import type { Config } from './config';
import { buildApp } from './app';
import { seedDemo } from './demo/seed';
import { jobs } from './jobs/jobs';
import { runJobOnce } from './jobs/run-job';
import { openRuntime } from './runtime';
import { demoPassword } from './modules/auth/auth.service';

/** Decides demo mode: forced by PACESETTER_DEMO, else on for an empty embedded database outside production. */
async function shouldLoadDemo(config: Config, countUsers: () => Promise<number>): Promise<boolean> {
  if (config.demo !== undefined) return config.demo;
  if (config.nodeEnv === 'production' || config.database.kind !== 'pglite') return false;
  return (await countUsers()) === 0;
}

/** Starts the server; resolves once it listens, with a function that stops it cleanly. */
export async function serve(config: Config): Promise<{ url: string; stop: () => Promise<void> }> {
  const runtime = await openRuntime(config);
  const { log, database } = runtime;
  if (database.kind === 'pglite') {
    log.warn(`Embedded database (PGlite) in ${config.database.kind === 'pglite' ? config.database.dataDir : ''}: for a single server only. Production wants PostgreSQL (set DATABASE_URL).`);
  }
  const countUsers = async () => Number((await database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  if (await shouldLoadDemo(config, countUsers)) {
    const seeded = await seedDemo(runtime);
    if (seeded.units + seeded.users > 0) log.info(seeded, 'demo company loaded');
  }
  const app = await buildApp(runtime, { trustProxy: config.trustProxy });
  // Every server keeps the schedule (unless PACESETTER_JOBS=off); each run is taken by one server (run-job.ts).
  const crons = (config.jobsEnabled ? jobs : []).map(
    (job) =>
      new Cron(job.schedule, { timezone: 'Asia/Shanghai', protect: true }, async () => {
        const t0 = performance.now();
        try {
          const run = await runJobOnce(runtime, job, runtime.clock.now());
          if (run.ran) log.info({ job: job.name, result: run.result, ms: Math.round(run.ms) }, 'job done');
          else log.info({ job: job.name }, 'job skipped: another server is running it');
          app.metrics.recordJobRun(job.name, run.ran ? 'ok' : 'skipped', run.ran ? run.ms / 1000 : 0);
        } catch (e) {
          log.error({ err: e, job: job.name }, 'job failed');
          app.metrics.recordJobRun(job.name, 'failed', (performance.now() - t0) / 1000);
        }
      }),
  );
  await app.listen({ port: config.port, host: config.host });
  // Days queued before this start (the demo's energy data, or uploads a stop interrupted) are recomputed now, in the background.
  void crons[jobs.findIndex((j) => j.name === 'energy-recompute')]?.trigger();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  const demo = await runtime.database.db.selectFrom('settings').select('value').where('key', '=', 'demo').executeTakeFirst();
  const lines = [`Pacesetter is serving ${url}  (API docs: ${url}/api/docs, database: ${database.kind})`];
  if (demo?.value.enabled === true) {
    const accounts = (demo.value.accounts as { username: string; role: string }[]).map((a) => `${a.username} (${a.role})`).join(', ');
    lines.push(`Demo mode. Sign in with password ${demoPassword} as: ${accounts}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      for (const c of crons) c.stop();
      await app.close();
      await runtime.close();
    })());
  return { url, stop };
}
