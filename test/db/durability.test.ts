import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryableTransactionError, openDatabase, transaction, withRetry, type Database } from '../../src/server/db/database';
import { installErrorHandler, isDatabaseUnavailable } from '../../src/server/errors';
import { systemRoutes } from '../../src/server/modules/system/system.routes';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/db';

const sqlError = (code: string, message = `sqlstate ${code}`) => Object.assign(new Error(message), { code });

/** A bare app with the production error handler and one route that throws what it is given. */
async function appThrowing(run: () => Promise<unknown>): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  app.get('/run', async () => ({ result: await run() }));
  await app.ready();
  return app;
}

describe('retrying a transaction that lost a race', () => {
  it('retries 40001 and 40P01 up to three times, then gives up with the last error', async () => {
    for (const code of ['40001', '40P01']) {
      let calls = 0;
      await expect(withRetry(async () => (calls++, Promise.reject(sqlError(code))), { baseDelayMs: 1 })).rejects.toMatchObject({ code });
      expect(calls, code).toBe(4);
    }
    let calls = 0;
    expect(await withRetry(async () => (++calls < 3 ? Promise.reject(sqlError('40001')) : 'done'), { baseDelayMs: 1 })).toBe('done');
    expect(calls).toBe(3);
  });

  it('never retries any other error', async () => {
    for (const e of [sqlError('23505'), sqlError('57014'), sqlError('40002'), new Error('boom'), null]) {
      let calls = 0;
      await expect(withRetry(async () => (calls++, Promise.reject(e)), { baseDelayMs: 1 })).rejects.toBe(e);
      expect(calls).toBe(1);
      expect(isRetryableTransactionError(e)).toBe(false);
    }
  });
});

describe('errors that mean the database is down or too slow', () => {
  it('recognises refused and broken connections, shutdowns and pool timeouts, and nothing else', () => {
    for (const e of [sqlError('ECONNREFUSED'), sqlError('ECONNRESET'), sqlError('57P01'), sqlError('57P02'), sqlError('57P03'), sqlError('08000'), sqlError('08003'), sqlError('08006'),
      new Error('Connection terminated unexpectedly'), new Error('Connection terminated due to connection timeout'), new Error('timeout exceeded when trying to connect'),
      Object.assign(new AggregateError([sqlError('ECONNREFUSED'), sqlError('ECONNREFUSED')]), { code: 'ECONNREFUSED' })]) {
      expect(isDatabaseUnavailable(e), e.message).toBe(true);
    }
    for (const e of [sqlError('23505'), sqlError('57014'), sqlError('40001'), new Error('relation "x" does not exist'), null, 'ECONNREFUSED']) {
      expect(isDatabaseUnavailable(e)).toBe(false);
    }
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After: 5 and no internals, and 503 QUERY_TIMEOUT for a cancelled statement', async () => {
    const cases: [Error, string][] = [
      [sqlError('57P01', 'terminating connection due to administrator command'), 'DATABASE_UNAVAILABLE'],
      [sqlError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'DATABASE_UNAVAILABLE'],
      [new Error('timeout exceeded when trying to connect'), 'DATABASE_UNAVAILABLE'],
      [sqlError('57014', 'canceling statement due to statement timeout'), 'QUERY_TIMEOUT'],
    ];
    for (const [error, code] of cases) {
      const app = await appThrowing(() => Promise.reject(error));
      const res = await app.inject({ method: 'GET', url: '/run' });
      await app.close();
      expect(res.statusCode, error.message).toBe(503);
      expect(res.json().error.code).toBe(code);
      if (code === 'DATABASE_UNAVAILABLE') expect(res.headers['retry-after']).toBe('5');
      expect(res.body).not.toMatch(/ECONNREFUSED|5432|administrator|statement timeout|at .*\.ts/);
    }
  });
});

describe('/api/ready', () => {
  async function readyApp(raw: () => Promise<unknown[]>): Promise<FastifyInstance> {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandler(app);
    systemRoutes(app, { database: 'postgres', version: 'test' }, { raw: raw as Database['raw'] });
    await app.ready();
    return app;
  }

  it('is 200 ready while the database answers, 503 degraded when it fails or hangs; /api/health stays 200', async () => {
    const up = await readyApp(async () => [{ '?column?': 1 }]);
    const ok = await up.inject({ method: 'GET', url: '/api/ready' });
    expect([ok.statusCode, ok.json()]).toEqual([200, { status: 'ready', database: 'postgres' }]);
    await up.close();

    const down = await readyApp(() => Promise.reject(sqlError('ECONNREFUSED')));
    const refused = await down.inject({ method: 'GET', url: '/api/ready' });
    expect([refused.statusCode, refused.json(), refused.headers['retry-after']]).toEqual([503, { status: 'degraded', database: 'unavailable' }, '5']);
    expect((await down.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    await down.close();

    const hung = await readyApp(() => new Promise(() => {}));
    const started = Date.now();
    const slow = await hung.inject({ method: 'GET', url: '/api/ready' });
    expect([slow.statusCode, slow.json()]).toEqual([503, { status: 'degraded', database: 'unavailable' }]);
    expect(Date.now() - started).toBeLessThan(5000);
    await hung.close();
  });
});

describe.each(engines)('statement timeout and transaction retry on %s', (engine) => {
  let testDb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await openDatabase(testDb.target, { statementTimeoutMs: 200 });
    await database.raw('CREATE TABLE ledger (id serial PRIMARY KEY, seen int NOT NULL)');
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it.runIf(engine === 'postgres')('cancels a statement that runs past the timeout (57014 → 503 QUERY_TIMEOUT), but never a script (migrations)', async () => {
    expect(await database.raw('SHOW statement_timeout')).toEqual([{ statement_timeout: '200ms' }]);
    await expect(database.raw('SELECT pg_sleep(1)')).rejects.toMatchObject({ code: '57014' });
    await expect(sql`SELECT pg_sleep(1)`.execute(database.db)).rejects.toMatchObject({ code: '57014' });
    const app = await appThrowing(() => sql`SELECT pg_sleep(1)`.execute(database.db));
    const res = await app.inject({ method: 'GET', url: '/run' });
    await app.close();
    expect([res.statusCode, res.json().error.code]).toEqual([503, 'QUERY_TIMEOUT']);
    // A migration's script runs with SET LOCAL statement_timeout = 0.
    await database.execScript('SELECT pg_sleep(0.4); CREATE TABLE after_sleep (x int)');
    expect(await database.raw("SELECT to_regclass('after_sleep') IS NOT NULL AS made")).toEqual([{ made: true }]);
    // The session is usable afterwards and keeps the timeout.
    expect(await database.raw('SHOW statement_timeout')).toEqual([{ statement_timeout: '200ms' }]);
    // Without the option there is no timeout (the CLI's maintenance work).
    const unbounded = await openDatabase(testDb.target);
    try {
      expect(await unbounded.raw('SHOW statement_timeout')).toEqual([{ statement_timeout: '0' }]);
      await unbounded.raw('SELECT pg_sleep(0.4)');
    } finally {
      await unbounded.close();
    }
  });

  it.runIf(engine === 'postgres')('two conflicting SERIALIZABLE transactions both commit through the retry, and the result is a serial one', async () => {
    // Each reads how many rows there are and writes that number: run one after the other they
    // write 0 and 1; interleaved under SERIALIZABLE one fails with 40001 and must run again.
    let attempts = 0;
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const writer = () =>
      database.db
        .transaction()
        .setIsolationLevel('serializable')
        .execute(async (trx) => {
          attempts++;
          const { n } = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ledger`.execute(trx)).rows[0]!;
          if (++arrived === 2) release();
          await Promise.race([bothRead, new Promise((r) => setTimeout(r, 1000))]);
          await sql`INSERT INTO ledger (seen) VALUES (${n})`.execute(trx);
        });
    await Promise.all([writer(), writer()]);
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect((await database.raw<{ seen: number }>('SELECT seen FROM ledger ORDER BY seen')).map((r) => r.seen)).toEqual([0, 1]);

    // The explicit helper does the same, and a non-retryable failure runs once.
    let once = 0;
    await expect(transaction(database.db, async () => (once++, Promise.reject(sqlError('23505'))), { isolation: 'serializable' })).rejects.toMatchObject({ code: '23505' });
    expect(once).toBe(1);
  });

  it('a transaction that fails for another reason is not run again and leaves nothing behind', async () => {
    let calls = 0;
    await expect(
      database.db.transaction().execute(async (trx) => {
        calls++;
        await sql`INSERT INTO ledger (seen) VALUES (99)`.execute(trx);
        await sql`SELECT 1/0`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '22012' });
    expect(calls).toBe(1);
    expect(await database.raw('SELECT count(*)::int AS n FROM ledger WHERE seen = 99')).toEqual([{ n: 0 }]);
  });
});
