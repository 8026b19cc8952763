/**
 * How long seeding the demo's `full` energy data takes, and how big it makes the database.
 *
 *   npx tsx scripts/measure-demo-energy.ts            # embedded PGlite in a temporary directory
 *   DATABASE_URL=postgres://… npx tsx scripts/measure-demo-energy.ts   # an EMPTY PostgreSQL database
 *
 * Loads the demo company first (without energy data, untimed), then times `seedDemoEnergy(…, 'full')`
 * in one transaction, as `seedDemo` runs it with PACESETTER_DEMO_ENERGY=full. Not a test: run by hand.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { FakeClock } from '../src/server/clock';
import { loadConfig } from '../src/server/config';
import { seedDemoEnergy } from '../src/server/demo/demo-energy';
import { systemContext } from '../src/server/context';
import { seedDemo } from '../src/server/demo/seed';
import { openRuntime } from '../src/server/runtime';

function du(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? du(p) : statSync(p).size;
  }
  return total;
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pacesetter-energy-'));
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'warn', PACESETTER_DEMO_ENERGY: 'none' });
  const rt = await openRuntime(config, { clock: new FakeClock(new Date('2026-03-02T01:00:00Z')) });
  try {
    console.log(`engine: ${config.database.kind}${config.database.kind === 'pglite' ? ` (${config.database.dataDir})` : ''}`);
    let t = performance.now();
    await seedDemo(rt);
    console.log(`demo company (no energy): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const sizeBefore = await databaseSize(rt);
    t = performance.now();
    const result = await rt.database.db.transaction().execute((trx) => seedDemoEnergy(trx, rt, systemContext('measure demo energy'), 'full'));
    const seconds = (performance.now() - t) / 1000;
    console.log(`seedDemoEnergy full: ${seconds.toFixed(1)} s — ${JSON.stringify(result)}; ${Math.round(result.readings / seconds).toLocaleString('en')} readings/s`);
    const sizeAfter = await databaseSize(rt);
    const readings = await sql<{ n: string }>`SELECT pg_size_pretty(pg_total_relation_size('meter_readings')) AS n`.execute(rt.database.db);
    console.log(`database size: ${mb(sizeBefore)} before, ${mb(sizeAfter)} after; meter_readings with its index: ${readings.rows[0]!.n}`);
  } finally {
    await rt.close();
  }
  if (config.database.kind === 'pglite') console.log(`on disk (${dataDir}): ${mb(du(dataDir))}`);
  rmSync(dataDir, { recursive: true, force: true });
}

async function databaseSize(rt: Awaited<ReturnType<typeof openRuntime>>): Promise<number> {
  const r = await sql<{ n: string }>`SELECT pg_database_size(current_database()) AS n`.execute(rt.database.db);
  return Number(r.rows[0]!.n);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
