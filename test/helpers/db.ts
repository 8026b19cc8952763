import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseTarget } from '../../src/server/db/database';

export type Engine = 'pglite' | 'postgres';

/** The engines this run can test: PGlite always, PostgreSQL when reachable. */
export const engines: Engine[] = inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  target: DatabaseTarget;
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file: in-memory PGlite, or a new PostgreSQL database. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') return { target: { kind: 'pglite', dataDir: null }, url: null, drop: async () => {} };
  const admin = inject('postgresUrl');
  if (!admin) throw new Error('PostgreSQL is not available');
  const name = `ps_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
