/**
 * The pieces that let several servers share one database (issue 9 item 4, decision 0011): the
 * cache bus (NOTIFY on commit, never on rollback), one run per job (advisory lock), the
 * rate-limit counters in the database (shared by stores of two servers, windows as in memory,
 * devices per process), and the replica handle. The whole, on two processes:
 * test/multi/two-instances.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { invalidate, onInvalidate } from '../../src/server/cache-bus';
import { FakeClock } from '../../src/server/clock';
import { openDatabase, type Database } from '../../src/server/db/database';
import { migrate } from '../../src/server/db/migrate';
import { jobLockClass, runJobOnce } from '../../src/server/jobs/run-job';
import type { Job } from '../../src/server/jobs/jobs';
import { databaseStore } from '../../src/server/rate-limits';
import { createLogger } from '../../src/server/runtime';
import { testConfig } from '../helpers/app';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/db';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(engines)('sharing one database between servers, on %s', (engine) => {
  let testDb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await openDatabase(testDb.target);
    await migrate(database);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('the cache bus delivers an invalidation when its transaction commits, and never when it rolls back', async () => {
    const heard: string[] = [];
    const stop = await onInvalidate(database, 'device', (key) => heard.push(key));
    const other = await onInvalidate(database, 'gate-points', (key) => heard.push(`points:${key}`));
    await database.db.transaction().execute(async (trx) => {
      await invalidate(trx, 'device', 'd-1');
      await sleep(50);
      expect(heard).toEqual([]); // not before the commit
    });
    await expect.poll(() => heard).toEqual(['d-1']);
    await database.db
      .transaction()
      .execute(async (trx) => {
        await invalidate(trx, 'device', 'd-2');
        throw new Error('roll back');
      })
      .catch(() => {});
    await invalidate(database.db, 'gate-points');
    await expect.poll(() => heard).toEqual(['d-1', 'points:*']);
    await stop();
    await other();
    await invalidate(database.db, 'device', 'd-3');
    await sleep(100);
    expect(heard).toEqual(['d-1', 'points:*']);
  });

  it('a job runs and reports how long it took', async () => {
    const job: Job = { name: 'test-job', description: 'counts', schedule: '* * * * *', run: async () => ({ counted: 1 }) };
    const deps = { database, config: testConfig(), clock: new FakeClock(), log: createLogger({ logLevel: 'silent' }) };
    const run = await runJobOnce(deps, job, new Date());
    expect(run).toMatchObject({ ran: true, result: { counted: 1 } });
  });

  it('rate-limit counters in the database are shared by the stores of two servers; a window ends; devices count per process', async () => {
    let now = 1_000_000;
    // Two servers: a store each, one database.
    const s1 = new (databaseStore(database, () => now))({});
    const s2 = new (databaseStore(database, () => now))({});
    const incr = (s: typeof s1, key: string) =>
      new Promise<{ current: number; ttl: number }>((resolve, reject) => s.incr(key, (e, r) => (e ? reject(e) : resolve(r!)), 60_000, 10));
    expect(await incr(s1, 'auth|ip:203.0.113.1')).toEqual({ current: 1, ttl: 60_000 });
    now += 1_000;
    expect(await incr(s2, 'auth|ip:203.0.113.1')).toEqual({ current: 2, ttl: 59_000 });
    expect(await incr(s1, 'auth|ip:203.0.113.2')).toMatchObject({ current: 1 });
    now += 59_000; // the first window has ended
    expect(await incr(s2, 'auth|ip:203.0.113.1')).toEqual({ current: 1, ttl: 60_000 });
    expect(await incr(s1, 'device|device:x')).toMatchObject({ current: 1 });
    expect(await incr(s2, 'device|device:x')).toMatchObject({ current: 1 });
    expect(await incr(s1, 'device|device:x')).toMatchObject({ current: 2 });
    const rows = await database.raw<{ key: string }>('SELECT key FROM rate_limit_counters ORDER BY key');
    expect(rows.map((r) => r.key)).toEqual(['auth|ip:203.0.113.1', 'auth|ip:203.0.113.2']);
  });

  it('without a replica, report reads use the primary', () => {
    expect(database.reports).toBe(database.db);
  });
});

// Advisory locks and a replica pool exist only on PostgreSQL (PGlite is one process): skipped without it, and under CI=true global-setup fails the run instead.
describe.skipIf(!engines.includes('postgres'))('one run per job across servers, on PostgreSQL', () => {
  let testDb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    database = await openDatabase(testDb.target, { replicaUrl: testDb.url });
    await migrate(database);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('a server that finds the job running elsewhere skips the run; once it is over, the next run goes ahead', async () => {
    const job: Job = { name: 'weekly-notice', description: '', schedule: '* * * * *', run: async () => ({ ok: true }) };
    const deps = { database, config: testConfig(), clock: new FakeClock(), log: createLogger({ logLevel: 'silent' }) };
    // "Another server": a connection of its own holding the job's lock.
    const other = new pg.Client({ connectionString: testDb.url! });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1, hashtext($2))', [jobLockClass, job.name]);
    expect(await runJobOnce(deps, job, new Date())).toEqual({ ran: false });
    await other.query('SELECT pg_advisory_unlock($1, hashtext($2))', [jobLockClass, job.name]);
    expect(await runJobOnce(deps, job, new Date())).toMatchObject({ ran: true });
    // The lock is given back after a run, also when the job fails.
    const failing: Job = { ...job, run: async () => Promise.reject(new Error('boom')) };
    await expect(runJobOnce(deps, failing, new Date())).rejects.toThrow('boom');
    const held = await other.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [jobLockClass, job.name]);
    expect(held.rows[0]!.ok).toBe(true);
    await other.end();
  });

  it('sessions run without JIT compilation (it cost a daily briefing 10 of its 11 seconds)', async () => {
    expect(await database.raw('SHOW jit')).toEqual([{ jit: 'off' }]);
  });

  it('DATABASE_REPLICA_URL gives report reads a pool of their own', async () => {
    expect(database.reports).not.toBe(database.db);
    const r = await sql<{ n: number }>`SELECT 1 AS n`.execute(database.reports);
    expect(r.rows[0]!.n).toBe(1);
  });
});
