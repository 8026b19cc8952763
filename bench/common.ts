/** What every benchmark shares: the result row, timing, an all-powerful actor and a fresh database. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { FakeClock } from '../src/server/clock';
import { loadConfig } from '../src/server/config';
import type { Actor, Deps } from '../src/server/context';
import { openDatabase } from '../src/server/db/database';
import { migrate } from '../src/server/db/migrate';
import { syncBuiltInRoles } from '../src/server/demo/seed';
import { createLogger } from '../src/server/runtime';
import { permissionCodes } from '../src/server/permissions';

export const quick = process.argv.includes('--quick');

export interface Result {
  name: string;
  figure: string;
  reference: string;
  ratio: number;
  goal: string;
  note?: string;
}

/** Median wall time of `runs` runs after one warm-up, in milliseconds. */
export async function timeIt(fn: () => Promise<unknown>, runs = quick ? 1 : 3): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** A signed-in actor who may do everything, with the scope of all units. */
export const benchActor: Actor = {
  userId: '00000000-0000-4000-8000-000000000000',
  username: 'bench',
  displayName: 'Bench',
  unitId: null,
  roles: [{ code: 'bench', scope: 'all' }],
  permissions: new Set(permissionCodes),
  locale: 'zh-CN',
  mustChangePassword: false,
  passwordExpired: false,
  via: 'cli',
  sessionId: null,
  csrfToken: null,
};

/**
 * A fresh database for one benchmark: on PostgreSQL (the production engine) when
 * TEST_POSTGRES_URL or the local server answers, else embedded PGlite. Dropped by `done()`.
 */
export async function freshDeps(): Promise<Deps & { done(): Promise<void>; engine: string; url: string | null }> {
  const admin = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let target: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: null } = { kind: 'pglite', dataDir: null };
  let drop = async () => {};
  if (!process.argv.includes('--pglite')) {
    const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      const name = `ps_bench_${randomBytes(5).toString('hex')}`;
      await client.query(`CREATE DATABASE ${name}`);
      const url = new URL(admin);
      url.pathname = `/${name}`;
      target = { kind: 'postgres', url: url.toString() };
      drop = async () => {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      };
    } catch {
      /* no server: embedded */
    } finally {
      await client.end().catch(() => {});
    }
  }
  const database = await openDatabase(target);
  const config = loadConfig({ NODE_ENV: 'test', PACESETTER_KEY: Buffer.alloc(32, 1).toString('base64'), DATA_DIR: '/tmp/pacesetter-bench-unused', LOG_LEVEL: 'silent' });
  const deps: Deps = { database, config, clock: new FakeClock(new Date('2020-03-10T00:00:00Z')), log: createLogger({ logLevel: 'silent' }) };
  await migrate(database);
  await syncBuiltInRoles(deps);
  return { ...deps, engine: database.kind, url: target.kind === 'postgres' ? target.url : null, done: async () => (await database.close(), await drop()) };
}

