/**
 * The soak run's world (see bench/soak.ts): a fresh PostgreSQL database, migrated and seeded with
 * the demo company from this process (a production server never loads the demo), extra clerk
 * accounts, and a restricted gate site with a device and passes; then the real server started as a
 * child process in production mode, and stopped again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { addDays, shanghaiDay } from '../src/domain/notices/week';
import { loadConfig } from '../src/server/config';
import type { Deps } from '../src/server/context';
import { personalDataOf } from '../src/server/crypto/personal-data';
import { systemContext } from '../src/server/context';
import { seedDemo } from '../src/server/demo/seed';
import { demoPassword } from '../src/server/modules/auth/auth.service';
import { createUserRecord } from '../src/server/modules/users/users.service';
import { openRuntime } from '../src/server/runtime';

const root = new URL('..', import.meta.url).pathname;

/** A refusal the operator can act on: printed without a stack, exit code 2. */
export class SoakRefusal extends Error {}

export interface SoakDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database on TEST_POSTGRES_URL's server (default the local one); never PGlite. */
export async function freshPostgres(): Promise<SoakDatabase> {
  if (process.argv.includes('--pglite')) throw new SoakRefusal('The soak run measures the production engine: it runs on PostgreSQL only, not on PGlite.');
  const admin = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (e) {
    throw new SoakRefusal(
      `The soak run needs a PostgreSQL server (the production engine; it does not fall back to PGlite) and none answers at ${redact(admin)}: ${(e as Error).message}. Start one or set TEST_POSTGRES_URL.`,
    );
  }
  const name = `ps_soak_${randomBytes(5).toString('hex')}`;
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end().catch(() => {});
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export interface SoakWorld {
  deps: Deps & { close(): Promise<void> };
  key: string;
  dataDir: string;
  /** Clerks of 电解一厂 (DJ1): the demo's `clerk` and extra ones, so data entry stays inside each user's write budget. */
  clerks: string[];
  gate: { checkpoint: string; checkpointId: string; deviceToken: string; passTokens: string[] };
  /** Units with an indicator set, for scorecard views, and a month the demo has values for. */
  scorecardUnits: string[];
  demoPeriod: string;
  seedSeconds: number;
}

/**
 * Migrates and seeds the database from this process under NODE_ENV=development (seedDemo refuses
 * production, as the server does): the demo company without generated energy or health data and
 * with the small access demo, so the seed stays well under 30 s; then `clerkCount − 1` more DJ1
 * clerks and the gate fixtures.
 */
export async function seedWorld(url: string, o: { clerkCount: number; passes: number }): Promise<SoakWorld> {
  const key = randomBytes(32).toString('base64');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pacesetter-soak-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: url,
    PACESETTER_KEY: key,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PACESETTER_DEMO_ENERGY: 'none',
    PACESETTER_DEMO_ACCESS: 'small',
    PACESETTER_DEMO_HEALTH: 'none',
  });
  const t0 = performance.now();
  const deps = await openRuntime(config, { statementTimeoutMs: 0 });
  await seedDemo(deps);
  const { db } = deps.database;
  const ctx = systemContext('soak seed');
  const dj1 = await db.selectFrom('units').select('id').where('code', '=', 'DJ1').executeTakeFirstOrThrow();
  const clerks = ['clerk'];
  await db.transaction().execute(async (trx) => {
    for (let i = 2; i <= o.clerkCount; i++) {
      const username = `soak-clerk-${i}`;
      await createUserRecord(trx, deps, ctx, { username, displayName: `压测统计员${i}`, unitId: dj1.id, roleCodes: ['unit-clerk'], password: demoPassword, mustChangePassword: false });
      clerks.push(username);
    }
  });

  // A restricted site with one checkpoint and device, and residents with passes valid today (the server runs on the real clock).
  const pd = personalDataOf(config);
  const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  const today = shanghaiDay(new Date());
  const site = await db.insertInto('sites').values({ code: 'SOAK-SITE', name_zh: '压测小区', kind: 'community', access_level: 'restricted' }).returning('id').executeTakeFirstOrThrow();
  const checkpoint = await db.insertInto('checkpoints').values({ code: 'SOAK-GATE', name_zh: '压测卡口', site_id: site.id }).returning('id').executeTakeFirstOrThrow();
  const deviceToken = `dev_${randomBytes(24).toString('base64url')}`;
  await db.insertInto('devices').values({ checkpoint_id: checkpoint.id, name: 'soak', token_hash: sha(deviceToken) }).execute();
  const passTokens = Array.from({ length: o.passes }, () => randomBytes(18).toString('base64url'));
  const persons = await db
    .insertInto('people')
    .values(passTokens.map((_, i) => ({ code: `SOAK${String(i).padStart(5, '0')}`, name: `压测居民${i}`, category: 'resident', site_id: site.id })))
    .returning('id')
    .execute();
  const passes = await db
    .insertInto('passes')
    .values(passTokens.map((token, i) => ({ person_id: persons[i]!.id, token_hash: sha(token), token_enc: pd.encrypt('passes.token', token), valid_from: addDays(today, -30), valid_to: addDays(today, 365) })))
    .returning('id')
    .execute();
  await db.insertInto('pass_sites').values(passes.map((p) => ({ pass_id: p.id, site_id: site.id }))).execute();
  await deps.database.execScript('ANALYZE');

  const units = await db
    .selectFrom('indicator_assignments')
    .innerJoin('units', 'units.id', 'indicator_assignments.unit_id')
    .select('units.code')
    .distinct()
    .orderBy('units.code')
    .execute();
  const latest = await db.selectFrom('measurements').select((eb) => eb.fn.max('period').as('p')).where('source', '=', 'demo').executeTakeFirst();
  return {
    deps,
    key,
    dataDir,
    clerks,
    gate: { checkpoint: 'SOAK-GATE', checkpointId: checkpoint.id, deviceToken, passTokens },
    scorecardUnits: units.map((u) => u.code),
    demoPeriod: typeof latest?.p === 'string' && /^\d{4}-\d{2}$/.test(latest.p) ? latest.p : '2020-02',
    seedSeconds: (performance.now() - t0) / 1000,
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The environment of the production server and of the CLI run against the soak database. */
export function productionEnv(url: string, key: string, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, PACESETTER_KEY: key, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' };
  for (const k of ['PACESETTER_DEMO', 'PACESETTER_CLOCK_FILE', 'MFA_REQUIRED_ROLES', 'TRUST_PROXY']) delete env[k];
  return env;
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Log lines at level error or fatal (pino levels 50, 60), at most 20 kept; and how many there were. */
  errorLines: string[];
  errorCount: () => number;
  logLines: () => number;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Starts `node bin/pacesetter.mjs serve` (NODE_ENV=production, a free port) and waits for its "serving" line. */
export function startServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/pacesetter.mjs'), 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const errorLines: string[] = [];
    let errors = 0;
    let lines = 0;
    let started = false;
    let partial = '';
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    const onLine = (line: string) => {
      lines++;
      if (/"level":(50|60)\b/.test(line)) {
        errors++;
        if (errorLines.length < 20) errorLines.push(line.slice(0, 600));
      }
      const m = /Pacesetter is serving (http:\/\/\S+)/.exec(line);
      if (m && !started) {
        started = true;
        resolve({
          child,
          pid: child.pid!,
          url: m[1]!.replace('localhost', '127.0.0.1'),
          errorLines,
          errorCount: () => errors,
          logLines: () => lines,
          stop: async () => {
            const t0 = performance.now();
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            const r = await exited;
            clearTimeout(timer);
            return { ...r, ms: performance.now() - t0 };
          },
        });
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) onLine(p);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
    });
    void exited.then(({ code, signal }) => {
      if (!started) reject(new Error(`the server exited before it listened (code ${code}, signal ${signal}):\n${stderr.slice(-4000)}`));
    });
  });
}

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS); null once it is gone. */
export function rssOf(pid: number, read: (file: string) => string): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(read(`/proc/${pid}/status`));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Runs `node bin/pacesetter.mjs audit verify` against the soak database: its exit code and output. */
export function auditVerify(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/pacesetter.mjs'), 'audit', 'verify'], { cwd: root, env: { ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output: output.trim() }));
  });
}
