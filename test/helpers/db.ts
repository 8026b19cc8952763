import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { adminQuery, databaseUrl } from './pg-admin';
import { openDatabase, type Database, type DatabaseTarget, type OpenOptions } from '../../src/server/db/database';

export type Engine = 'pglite' | 'postgres';

/** The engines this run can test: PGlite always, PostgreSQL when reachable. */
export const engines: Engine[] = inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  target: DatabaseTarget;
  url: string | null;
  /** True when it starts as a copy of the demo company (migrated and seeded by global-setup.ts). */
  seeded: boolean;
  /**
   * Opens it. In-memory PGlite starts from the migrated cluster global-setup.ts dumped: creating
   * a PGlite cluster (initdb in WebAssembly) takes about 6 s, loading the dump about 1 s, and the
   * suite opens a couple of hundred. `migrate` then finds nothing to do.
   */
  open(options?: OpenOptions): Promise<Database>;
  drop(): Promise<void>;
}

/**
 * Where a test database starts: `migrated` (PGlite: migrated; PostgreSQL: empty, for `migrate` to
 * fill) or `demo`, a copy of the demo company when global-setup.ts made one (else as `migrated`).
 */
export type TestDatabaseStart = 'migrated' | 'demo';

const snapshots = new Map<string, Blob | null>();
/** A dump global-setup.ts made of a PGlite cluster, read once per test file (null when none was made). */
function pgliteSnapshot(key: 'pgliteSnapshot' | 'pgliteDemoSnapshot'): Blob | null {
  if (!snapshots.has(key)) {
    const file = inject(key);
    snapshots.set(key, file ? new Blob([readFileSync(file)]) : null);
  }
  return snapshots.get(key) ?? null;
}

/** A fresh database for one test file: in-memory PGlite, or a new PostgreSQL database (see TestDatabaseStart). */
export async function createTestDatabase(engine: Engine, start: TestDatabaseStart = 'migrated'): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const target: DatabaseTarget = { kind: 'pglite', dataDir: null };
    const demo = start === 'demo' ? pgliteSnapshot('pgliteDemoSnapshot') : null;
    const loadDataDir = demo ?? pgliteSnapshot('pgliteSnapshot');
    return {
      target,
      url: null,
      seeded: demo !== null,
      open: (options = {}) => openDatabase(target, { ...(loadDataDir ? { loadDataDir } : {}), ...options }),
      drop: async () => {},
    };
  }
  const admin = inject('postgresUrl');
  if (!admin) throw new Error('PostgreSQL is not available');
  const name = `ps_test_${randomBytes(6).toString('hex')}`;
  const template = start === 'demo' ? inject('postgresDemoTemplate') : null;
  await adminQuery(admin, template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const target: DatabaseTarget = { kind: 'postgres', url: databaseUrl(admin, name) };
  return {
    target,
    url: target.url,
    seeded: template !== null,
    open: (options = {}) => openDatabase(target, options),
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
