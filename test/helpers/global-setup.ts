import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/server/db/database';
import { migrate } from '../../src/server/db/migrate';
import { findChromium } from './find-chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    chromiumPath: string | null;
    /** A dump of a migrated in-memory PGlite cluster, which test databases start from (db.ts). */
    pgliteSnapshot: string | null;
    /** A migrated PGlite data directory, which browser suites copy for their server (browser.ts). */
    pgliteDataDir: string | null;
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
async function migratedPglite(): Promise<{ dir: string; dataDir: string; dump: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pacesetter-test-pglite-'));
  const dataDir = path.join(dir, 'pglite');
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await migrate(database);
    const dump = path.join(dir, 'migrated.tar');
    writeFileSync(dump, Buffer.from(await (await database.pglite!.dumpDataDir('none')).arrayBuffer()));
    return { dir, dataDir, dump };
  } finally {
    await database.close();
  }
}

/**
 * Finds PostgreSQL and Chromium once (under CI=true a missing one fails the run instead of
 * skipping) and prepares the migrated PGlite cluster; the returned function removes it after the run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
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
  const pglite = await migratedPglite();
  project.provide('pgliteSnapshot', pglite.dump);
  project.provide('pgliteDataDir', pglite.dataDir);
  return () => rmSync(pglite.dir, { recursive: true, force: true });
}
