import type { Writable } from 'node:stream';
import { FakeClock } from '../../src/server/clock';
import { loadConfig, type Config } from '../../src/server/config';
import type { Deps } from '../../src/server/context';
import type { Database } from '../../src/server/db/database';
import { migrate } from '../../src/server/db/migrate';
import { seedDemo, syncBuiltInRoles } from '../../src/server/demo/seed';
import { createLogger } from '../../src/server/runtime';

/**
 * What a test app runs on, kept apart from app.ts so that global-setup.ts (where vitest's
 * `inject` does not exist) can seed the demo company exactly as createTestApp does.
 */
export const testKey = Buffer.alloc(32, 7).toString('base64');
export const demoPassword = 'Demo#2020';
/** Every test app's clock starts here. */
export const testStart = new Date('2026-03-02T01:00:00Z');

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PACESETTER_KEY: testKey, LOG_LEVEL: 'silent', DATA_DIR: '/tmp/pacesetter-test-unused', LOGIN_IP_LIMIT_PER_MINUTE: '10000', ...overrides });
}

/** A test app's dependencies on `database`; `env` as in createTestApp's options. */
export function testDeps(database: Database, sink: Writable, env: Record<string, string> = {}): Deps & { clock: FakeClock } {
  const config = testConfig({ LOG_LEVEL: 'info', ...env });
  return { database, config, clock: new FakeClock(new Date(testStart)), log: createLogger(config, sink) };
}

/** Migrates, brings the built-in roles up to date and, unless told not to, seeds the demo company. */
export async function prepareTestDatabase(deps: Deps, demo: boolean): Promise<void> {
  await migrate(deps.database);
  await syncBuiltInRoles(deps);
  if (demo) await seedDemo(deps);
}
