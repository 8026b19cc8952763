/**
 * Helpers for the crash tests: a real `pacesetter serve` on PostgreSQL (killed with SIGKILL and
 * started again), a signed-in HTTP client over fetch, a gate fixture, and a throw-away PostgreSQL
 * cluster that can be stopped with `pg_ctl stop -m immediate`.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemClock } from '../../src/server/clock';
import { openDatabase, type Database } from '../../src/server/db/database';
import { accessFixtures } from '../helpers/access-fixtures';
import { testConfig } from '../helpers/app';
import { startServer } from '../helpers/cli';

export const demoPassword = 'Demo#2020';

/** A running server and how to crash it. */
export interface Server {
  url: string;
  crash(): Promise<unknown>;
  stop(): Promise<unknown>;
  alive(): boolean;
  output(): string;
}

/** Starts `pacesetter serve` on the PostgreSQL database at `databaseUrl` (the demo company loaded once). */
export async function serve(databaseUrl: string, dataDir: string): Promise<Server> {
  const s = startServer({ DATABASE_URL: databaseUrl, PACESETTER_DEMO: '1', DATA_DIR: dataDir, LOGIN_IP_LIMIT_PER_MINUTE: '10000' });
  const url = await s.url;
  return { url, crash: s.crash, stop: s.stop, alive: s.alive, output: s.output };
}

export interface Http {
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** Signs in as a demo user and returns a client that sends the cookie and the CSRF token. */
export async function signIn(base: string, username: string): Promise<Http> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    request: (method, url, body, headers = {}) =>
      fetch(`${base}${url}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
      }),
  };
}

/** A device client: bearer token only. */
export const deviceCall = (base: string, token: string, url: string, body: unknown): Promise<Response> =>
  fetch(`${base}${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The database opened beside the server (same key), for fixtures and for counting what was stored. */
export async function sideDatabase(databaseUrl: string): Promise<Database> {
  return openDatabase({ kind: 'postgres', url: databaseUrl });
}

/** A restricted gate with a device and `people` residents holding passes. */
export async function gateWithResidents(database: Database, people: number) {
  const f = accessFixtures({ database, config: testConfig(), clock: systemClock });
  const g = await f.gate({ accessLevel: 'restricted', unitId: null });
  const residents = [];
  for (let i = 0; i < people; i++) {
    const p = await f.person({ siteId: g.site.id, category: 'resident' });
    residents.push({ ...p, pass: await f.pass({ personId: p.id, siteIds: [g.site.id] }) });
  }
  return { ...g, residents };
}

/** Keys of gate events stored, with how often each is there. */
export async function storedKeys(database: Database, checkpointId: string): Promise<Map<string, number>> {
  const rows = await database.raw<{ k: string; n: number }>('SELECT idempotency_key AS k, count(*)::int AS n FROM gate_events WHERE checkpoint_id = $1 GROUP BY 1', [checkpointId]);
  return new Map(rows.map((r) => [r.k, r.n]));
}

/** Checks the audit chain through the API as the audit administrator. */
export async function verifyAudit(base: string): Promise<{ ok: boolean; checked: number }> {
  const auditor = await signIn(base, 'auditor');
  const res = await auditor.request('POST', '/api/audit/verify', {});
  if (res.status !== 200) throw new Error(`audit verify: ${res.status} ${await res.text()}`);
  return (await res.json()) as { ok: boolean; checked: number };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const pgBin = (process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin').replace(/\/$/, '');

/** A PostgreSQL cluster of its own in a temp directory (run as `postgres` when we are root). */
export interface Cluster {
  url(database: string): string;
  start(): void;
  stopImmediate(): void;
  destroy(): void;
}

export async function throwAwayCluster(): Promise<Cluster> {
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'ps-crash-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const as = (cmd: string, args: string[]) =>
    root ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe', cwd: dir }) : execFileSync(cmd, args, { stdio: 'pipe', cwd: dir });
  as(`${pgBin}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const start = () => as(`${pgBin}/pg_ctl`, ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`, 'start']);
  start();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE crash');
  await admin.end();
  let running = true;
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      start();
      running = true;
    },
    stopImmediate() {
      as(`${pgBin}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      running = false;
    },
    destroy() {
      try {
        if (running) as(`${pgBin}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
