import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type DatabaseTarget, type OpenOptions } from '../../src/server/db/database';

export type Engine = 'pglite' | 'postgres';

/** The engines this run can test: PGlite always, PostgreSQL when reachable. */
export const engines: Engine[] = inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  target: DatabaseTarget;
  url: string | null;
  /**
   * Opens it. In-memory PGlite starts from the migrated cluster global-setup.ts dumped: creating
   * a PGlite cluster (initdb in WebAssembly) takes about 6 s, loading the dump about 1 s, and the
   * suite opens a couple of hundred. `migrate` then finds nothing to do.
   */
  open(options?: OpenOptions): Promise<Database>;
  drop(): Promise<void>;
}

let snapshot: Blob | null | undefined;
/** The dump of a migrated PGlite cluster, read once per test file (null when none was made). */
function pgliteSnapshot(): Blob | null {
  if (snapshot === undefined) {
    const file = inject('pgliteSnapshot');
    snapshot = file ? new Blob([readFileSync(file)]) : null;
  }
  return snapshot;
}

/** A fresh database for one test file: in-memory PGlite (migrated), or a new, empty PostgreSQL database. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const target: DatabaseTarget = { kind: 'pglite', dataDir: null };
    return {
      target,
      url: null,
      open: (options = {}) => {
        const loadDataDir = pgliteSnapshot();
        return openDatabase(target, { ...(loadDataDir ? { loadDataDir } : {}), ...options });
      },
      drop: async () => {},
    };
  }
  const admin = inject('postgresUrl');
  if (!admin) throw new Error('PostgreSQL is not available');
  const name = `ps_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const target: DatabaseTarget = { kind: 'postgres', url: url.toString() };
  return {
    target,
    url: url.toString(),
    open: (options = {}) => openDatabase(target, options),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
