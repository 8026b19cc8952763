import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/server/app';
import type { FakeClock } from '../../src/server/clock';
import type { Deps } from '../../src/server/context';
import { createTestDatabase, type Engine } from './db';
import { demoPassword, prepareTestDatabase, testDeps } from './test-demo';

export { demoPassword, testConfig, testKey } from './test-demo';

/** Everything a test needs: the app on a fresh database, a fake clock, and signed-in clients. */
export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  clock: FakeClock;
  engine: Engine;
  /** Captured log lines (JSON), for checks that nothing secret is logged. */
  logs: string[];
  login(username: string, password?: string): Promise<Client>;
  anonymous(): Client;
  close(): Promise<void>;
}

export interface Client {
  csrf: string | null;
  cookie: string | null;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

function client(app: FastifyInstance, cookie: string | null, csrf: string | null, bearer?: string): Client {
  const c: Client = {
    csrf,
    cookie,
    request(method, url, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (c.cookie) h.cookie = `ps_session=${c.cookie}`;
      if (c.csrf && !h['x-csrf-token']) h['x-csrf-token'] = c.csrf;
      if (bearer) h.authorization = `Bearer ${bearer}`;
      return app.inject({ method: method as 'GET', url, headers: h, ...(body === undefined ? {} : { payload: body as object }) });
    },
    get: (url) => c.request('GET', url),
    post: (url, body) => c.request('POST', url, body ?? {}),
    patch: (url, body) => c.request('PATCH', url, body ?? {}),
    put: (url, body) => c.request('PUT', url, body ?? {}),
    delete: (url) => c.request('DELETE', url),
  };
  return c;
}

export function bearerClient(app: FastifyInstance, token: string): Client {
  return client(app, null, null, token);
}

/**
 * Builds the app on a fresh database of the engine, migrated, with the demo company unless told
 * not to. Without `env` the database starts as a copy of the demo company global-setup.ts seeded
 * the same way (seeding takes about a second; the suite builds a couple of hundred apps).
 */
export async function createTestApp(engine: Engine, options: { demo?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const demo = options.demo !== false;
  const testDb = await createTestDatabase(engine, demo && !options.env ? 'demo' : 'migrated');
  const database = await testDb.open();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const deps = testDeps(database, sink, options.env);
  const { clock } = deps;
  if (!testDb.seeded) await prepareTestDatabase(deps, demo);
  const app = await buildApp(deps, { webDir: null });
  await app.ready();
  return {
    app,
    deps,
    clock,
    engine,
    logs,
    anonymous: () => client(app, null, null),
    async login(username, password = demoPassword) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'ps_session')?.value ?? null;
      return client(app, cookie, (res.json() as { csrfToken: string }).csrfToken);
    },
    async close() {
      await app.close();
      await database.close();
      await testDb.drop();
    },
  };
}
