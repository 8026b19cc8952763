import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type IsolationLevel, type Transaction } from 'kysely';
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
  /**
   * Where report reads go: the read replica (DATABASE_REPLICA_URL) when there is one, else `db`.
   * Only for reads that may lag the primary by the replication delay.
   */
  reports: Kysely<DB>;
  /**
   * Calls `handler` with the payload of every NOTIFY on `channel` (from any server, this one
   * included), once the notifying transaction commits. On PostgreSQL a dedicated connection
   * listens; when it is lost, it is opened again and `handler('*')` says notifications may have
   * been missed. Resolves to a function that stops listening.
   */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** The primary's pool: connections open, idle, and requests waiting for one (PostgreSQL only; for /metrics). */
  poolStats?: () => { total: number; idle: number; waiting: number };
  /** The PGlite instance in embedded mode (for its own dump). */
  pglite?: PGlite;
}

// Dates stay 'YYYY-MM-DD' strings and int8 becomes a number on both engines, so the two never
// disagree about a value's type.
const DATE_OID = 1082;
const INT8_OID = 20;
pg.types.setTypeParser(DATE_OID, (v) => v);
pg.types.setTypeParser(INT8_OID, (v) => Number(v));

export interface OpenOptions {
  /** A PGlite dump to start from (restore). */
  loadDataDir?: Blob;
  /**
   * statement_timeout for every session in milliseconds; 0 or absent = none. The server passes
   * `config.statementTimeoutMs`; the CLI, migrations, backup and restore run without one.
   */
  statementTimeoutMs?: number;
  /** A streaming replica of the PostgreSQL target, for report reads (`Database.reports`). */
  replicaUrl?: string | null;
}

/** How long a request waits for a pool connection before it fails with 503 (PostgreSQL down). */
export const connectTimeoutMs = 5000;

/** Opens the database named by the target; in embedded mode takes the data directory's lock. */
export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  const statementTimeoutMs = Math.max(0, Math.trunc(options.statementTimeoutMs ?? 0));
  if (target.kind === 'postgres') return openPostgres(target.url, statementTimeoutMs, options.replicaUrl ?? null);
  const release = target.dataDir ? acquireDataDirLock(target.dataDir) : () => {};
  try {
    const pglite = await PGlite.create(target.dataDir ?? undefined, {
      parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v) },
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    void pgliteTypes;
    // Accepted for parity; the WebAssembly engine has no timer to cancel a statement with.
    if (statementTimeoutMs > 0) await pglite.exec(`SET statement_timeout = ${statementTimeoutMs}`);
    const db = withTransactionRetry(new Kysely<DB>({ dialect: new PGliteDialect(pglite) }));
    return {
      kind: 'pglite',
      db,
      reports: db,
      pglite,
      async execScript(script) {
        // Taking a Kysely connection keeps other queries out while the script runs.
        await db.connection().execute(async () => {
          try {
            await pglite.exec(`BEGIN;\nSET LOCAL statement_timeout = 0;\n${script}\n;COMMIT;`);
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
      async listen(channel, handler) {
        // Through Kysely's one connection, so that LISTEN never lands inside another caller's transaction.
        const stop = await db.connection().execute(() => pglite.listen(channelName(channel), handler));
        return () => db.connection().execute(() => stop());
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

/** Connections each server keeps to PostgreSQL (and as many again to a replica); see docs/deployment.md. */
export const poolSize = 10;

function openPool(url: string, statementTimeoutMs: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: 'pacesetter',
    // While PostgreSQL is down a request fails after this long (503) instead of waiting forever.
    connectionTimeoutMillis: connectTimeoutMs,
    // JIT compilation pays off for hour-long analytics, not for our queries: it once spent 10 of a
    // daily briefing's 11 seconds compiling (docs/performance.md). Off for every session.
    options: ['-c jit=off', ...(statementTimeoutMs > 0 ? [`-c statement_timeout=${statementTimeoutMs}`] : [])].join(' '),
  });
  pool.on('error', () => {
    /* an idle client lost its connection: the pool replaces it */
  });
  return pool;
}

async function openPostgres(url: string, statementTimeoutMs: number, replicaUrl: string | null): Promise<Database> {
  const pool = openPool(url, statementTimeoutMs);
  // Fail fast with a clear message instead of on the first request.
  const client = await pool.connect();
  client.release();
  const db = withTransactionRetry(new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }));
  const reports = replicaUrl ? new Kysely<DB>({ dialect: new PostgresDialect({ pool: openPool(replicaUrl, statementTimeoutMs) }) }) : db;
  const listener = pgListener(url);
  return {
    kind: 'postgres',
    db,
    reports,
    listen: listener.listen,
    async execScript(script) {
      const c = await pool.connect();
      try {
        // Migrations are maintenance: never cut by the server's statement_timeout.
        await c.query(`BEGIN;\nSET LOCAL statement_timeout = 0;\n${script}\n;COMMIT;`);
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
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await listener.close();
      if (reports !== db) await reports.destroy();
      await db.destroy();
    },
  };
}

/** A channel name as an SQL identifier: lower-case letters, digits and underscores only. */
function channelName(channel: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`Invalid notification channel: ${channel}`);
  return channel;
}

/**
 * One connection per server that LISTENs for every channel asked for (LISTEN cannot share a
 * pooled connection). A lost connection is opened again after a back-off (1 s, doubling to 30 s);
 * then every handler hears '*': notifications sent meanwhile were missed.
 */
function pgListener(url: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let backoffMs = 1000;
  let closed = false;
  const everyone = (payload: string) => {
    for (const set of handlers.values()) for (const h of set) h(payload);
  };

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url, application_name: 'pacesetter-listen', connectionTimeoutMillis: connectTimeoutMs });
    c.on('notification', (m) => {
      for (const h of handlers.get(m.channel) ?? []) h(m.payload ?? '');
    });
    c.on('error', () => {
      /* followed by 'end' */
    });
    c.on('end', () => {
      if (client !== c) return;
      client = null;
      if (!closed) reconnectLater();
    });
    await c.connect();
    for (const channel of handlers.keys()) await c.query(`LISTEN ${channel}`);
    return c;
  }

  function reconnectLater() {
    if (retryTimer || closed) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      ensure().then(
        () => ((backoffMs = 1000), everyone('*')),
        () => ((backoffMs = Math.min(backoffMs * 2, 30_000)), reconnectLater()),
      );
    }, backoffMs);
    retryTimer.unref();
  }

  function ensure(): Promise<pg.Client> {
    if (client) return Promise.resolve(client);
    connecting ??= connect().then(
      (c) => ((connecting = null), (client = c)),
      (e: unknown) => {
        connecting = null;
        throw e;
      },
    );
    return connecting;
  }

  return {
    async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
      const name = channelName(channel);
      let set = handlers.get(name);
      const first = !set;
      if (!set) handlers.set(name, (set = new Set()));
      set.add(handler);
      const c = await ensure();
      if (first) await c.query(`LISTEN ${name}`);
      return async () => {
        set.delete(handler);
        if (set.size > 0 || handlers.get(name) !== set) return;
        handlers.delete(name);
        if (client) await client.query(`UNLISTEN ${name}`).catch(() => {});
      };
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const c = client ?? (await connecting?.catch(() => null)) ?? null;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

/** SQLSTATEs after which the whole transaction may simply run again: serialization failure, deadlock. */
const retryableCodes = new Set(['40001', '40P01']);

export interface RetryOptions {
  /** Further attempts after the first (default 3). */
  retries?: number;
  /** Upper bound of the first back-off in milliseconds; doubles per attempt, with full jitter (default 20). */
  baseDelayMs?: number;
}

/** True for an error PostgreSQL raises when a transaction lost a race and may be retried as is. */
export function isRetryableTransactionError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && retryableCodes.has(String((e as { code?: unknown }).code));
}

/**
 * Runs `attempt` and runs it again (up to `retries` times, after a jittered back-off) when it
 * fails with a serialization failure or a deadlock. `attempt` must be a whole transaction: the
 * failed one was rolled back, so running it again from the start is safe.
 */
export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 20;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (n >= retries || !isRetryableTransactionError(e)) throw e;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * base * 2 ** n));
    }
  }
}

/** Runs `fn` in a transaction (optionally SERIALIZABLE), retried on serialization failures and deadlocks. */
export function transaction<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>, options: RetryOptions & { isolation?: IsolationLevel } = {}): Promise<T> {
  return withRetry(() => {
    const builder = db.transaction();
    return (options.isolation ? builder.setIsolationLevel(options.isolation) : builder).execute(fn);
  }, options);
}

/**
 * The services open their transactions with `db.transaction().execute(fn)`; this wraps the
 * handle so that every such call is retried on 40001/40P01 (see `withRetry`) without changing
 * them. Everything else is the Kysely instance itself (its methods bound to it: Kysely keeps
 * private fields, which a proxy receiver could not reach).
 */
function withTransactionRetry(db: Kysely<DB>): Kysely<DB> {
  const retrying = <B extends object>(builder: B): B =>
    new Proxy(builder, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (prop === 'execute') {
          return <T>(fn: (trx: Transaction<DB>) => Promise<T>) =>
            withRetry(() => (value as (f: typeof fn) => Promise<T>).call(target, fn));
        }
        // setIsolationLevel / setAccessMode return a new builder: keep retrying that one too.
        return (...args: unknown[]) => {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          return typeof result === 'object' && result !== null && 'execute' in result ? retrying(result) : result;
        };
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop === 'transaction') return () => retrying(target.transaction());
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
