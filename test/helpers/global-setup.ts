import pg from 'pg';
import { findChromium } from './find-chromium';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    chromiumPath: string | null;
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


/** Finds PostgreSQL and Chromium once; under CI=true a missing one fails the run instead of skipping. */
export default async function setup(project: TestProject): Promise<void> {
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
}
