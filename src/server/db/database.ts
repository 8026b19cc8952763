import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock } from './lock';
import { PGliteDialect } from './pglite-dialect';
import type { DB } from './schema';

export type DatabaseKind = 'pglite' | 'postgres';

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null };

/** One handle on either engine: typed queries through Kysely, scripts for migrations. */
export interface Database {
  kind: DatabaseKind;
  db: Kysely<DB>;
  /** Runs a multi-statement script in one transaction. */
  execScript(script: string): Promise<void>;
  /** Runs a query outside Kysely (used by backup checks and tests). */
  raw<R = Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<R[]>;
  /**
   * Runs a hot-path query as a named prepared statement: PostgreSQL parses and plans it once per
   * connection instead of on every call (the gate's scan). Outside transactions only.
   */
  prepared<R = Record<string, unknown>>(name: string, sqlText: string, params: unknown[]): Promise<R[]>;
  close(): Promise<void>;
  /** The PGlite instance in embedded mode (for its own dump). */
  pglite?: PGlite;
}

// Dates stay 'YYYY-MM-DD' strings and int8 becomes a number on both engines, so the two never
// disagree about a value's type.
const DATE_OID = 1082;
const INT8_OID = 20;
pg.types.setTypeParser(DATE_OID, (v) => v);
pg.types.setTypeParser(INT8_OID, (v) => Number(v));

/** Opens the database named by the target; in embedded mode takes the data directory's lock. */
export async function openDatabase(target: DatabaseTarget, options: { loadDataDir?: Blob } = {}): Promise<Database> {
  if (target.kind === 'postgres') return openPostgres(target.url);
  const release = target.dataDir ? acquireDataDirLock(target.dataDir) : () => {};
  try {
    const pglite = await PGlite.create(target.dataDir ?? undefined, {
      parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v) },
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    void pgliteTypes;
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      kind: 'pglite',
      db,
      pglite,
      async execScript(script) {
        // Taking a Kysely connection keeps other queries out while the script runs.
        await db.connection().execute(async () => {
          try {
            await pglite.exec(`BEGIN;\n${script}\n;COMMIT;`);
          } catch (e) {
            await pglite.exec('ROLLBACK').catch(() => {});
            throw e;
          }
        });
      },
      async raw(sqlText, params) {
        return db.connection().execute(async () => (await pglite.query(sqlText, params)).rows as never);
      },
      // The embedded engine has one connection and no planning worth saving: a plain query.
      async prepared(_name, sqlText, params) {
        return db.connection().execute(async () => (await pglite.query(sqlText, params)).rows as never);
      },
      async close() {
        try {
          await db.destroy();
          await pglite.close();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'pacesetter' });
  pool.on('error', () => {
    /* an idle client lost its connection: the pool replaces it */
  });
  // Fail fast with a clear message instead of on the first request.
  const client = await pool.connect();
  client.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async execScript(script) {
      const c = await pool.connect();
      try {
        await c.query(`BEGIN;\n${script}\n;COMMIT;`);
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    async raw(sqlText, params) {
      return (await pool.query(sqlText, params)).rows as never;
    },
    async prepared(name, sqlText, params) {
      return (await pool.query({ name, text: sqlText, values: params })).rows as never;
    },
    async close() {
      await db.destroy();
    },
  };
}
