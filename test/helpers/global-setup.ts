import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, type Database } from '../../src/server/db/database';
import { migrate } from '../../src/server/db/migrate';
import { findChromium } from './find-chromium';
import { adminQuery, databaseUrl } from './pg-admin';
import { prepareTestDatabase, testDeps } from './test-demo';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    chromiumPath: string | null;
    /** A dump of a migrated in-memory PGlite cluster, which test databases start from (db.ts). */
    pgliteSnapshot: string | null;
    /** A migrated PGlite data directory, which browser suites copy for their server (browser.ts). */
    pgliteDataDir: string | null;
    /** A dump of a PGlite cluster with the demo company as createTestApp seeds it (db.ts). */
    pgliteDemoSnapshot: string | null;
    /** A PostgreSQL database with the demo company as createTestApp seeds it, for CREATE DATABASE … TEMPLATE (db.ts). */
    postgresDemoTemplate: string | null;
  }
}

const banner = (text: string) => console.warn(`\n${'!'.repeat(78)}\n!! ${text}\n${'!'.repeat(78)}\n`);

async function findPostgres(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return url;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}


/**
 * Migrates one PGlite cluster on disk, once per run, for two uses: its dump, which test databases
 * load instead of running initdb in WebAssembly (about 6 s each; db.ts), and the directory itself,
 * which browser suites copy for their server (browser.ts).
 */
async function migratedPglite(withDemo: boolean): Promise<{ dir: string; dataDir: string; dump: string; demoDump: string | null }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pacesetter-test-pglite-'));
  const dataDir = path.join(dir, 'pglite');
  const dumpOf = async (database: Database, file: string) => {
    writeFileSync(file, Buffer.from(await (await database.pglite!.dumpDataDir('none')).arrayBuffer()));
    return file;
  };
  const database = await openDatabase({ kind: 'pglite', dataDir });
  let dump: string;
  try {
    await migrate(database);
    dump = await dumpOf(database, path.join(dir, 'migrated.tar'));
  } finally {
    await database.close();
  }
  if (!withDemo) return { dir, dataDir, dump, demoDump: null };
  // The same cluster with the demo company, in memory (the data directory stays migrated only).
  const demo = await openDatabase({ kind: 'pglite', dataDir: null }, { loadDataDir: new Blob([readFileSync(dump)]) });
  try {
    await seedAsTestApps(demo);
    return { dir, dataDir, dump, demoDump: await dumpOf(demo, path.join(dir, 'demo.tar')) };
  } finally {
    await demo.close();
  }
}

/** Seeds the demo company as createTestApp would (its clock, its configuration), logs discarded. */
async function seedAsTestApps(database: Database): Promise<void> {
  const discard = new Writable({ write: (_chunk, _enc, cb) => cb() });
  await prepareTestDatabase(testDeps(database, discard), true);
}

/** A PostgreSQL database with the demo company, made once per run; test databases copy it. */
async function postgresDemo(adminUrl: string): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `ps_test_demo_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl(adminUrl, name) });
  try {
    await seedAsTestApps(database);
  } finally {
    await database.close();
  }
  return { name, drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Finds PostgreSQL and Chromium once (under CI=true a missing one fails the run instead of
 * skipping) and prepares the migrated PGlite cluster and the demo company's copies; the returned
 * function removes them after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ci = process.env.CI === 'true';
  const postgresUrl = await findPostgres(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const chromiumPath = findChromium();
  if (!postgresUrl) {
    if (ci) throw new Error('CI=true but PostgreSQL is not reachable (TEST_POSTGRES_URL or 127.0.0.1:5432): PostgreSQL tests must run');
    banner('PostgreSQL is not reachable: the PostgreSQL variants of the database tests are SKIPPED (set TEST_POSTGRES_URL)');
  }
  if (!chromiumPath) {
    if (ci) throw new Error('CI=true but Chromium is not installed (apt-get install -y chromium): browser tests must run');
    banner('Chromium not found: the browser tests are SKIPPED (apt-get install -y chromium)');
  }
  project.provide('postgresUrl', postgresUrl);
  project.provide('chromiumPath', chromiumPath);
  // The demo company's copies save each test app its seeding; a run of the browser suites alone
  // (TEST_DEMO_COPIES=off, npm test's second run) has no test app to save it for. The two engines'
  // copies are made side by side (PGlite's work is in this process, PostgreSQL's in the server).
  const withDemo = process.env.TEST_DEMO_COPIES !== 'off';
  const [pglite, postgres] = await Promise.all([migratedPglite(withDemo), postgresUrl && withDemo ? postgresDemo(postgresUrl) : null]);
  project.provide('pgliteSnapshot', pglite.dump);
  project.provide('pgliteDataDir', pglite.dataDir);
  project.provide('pgliteDemoSnapshot', pglite.demoDump);
  project.provide('postgresDemoTemplate', postgres?.name ?? null);
  return async () => {
    rmSync(pglite.dir, { recursive: true, force: true });
    await postgres?.drop();
  };
}
