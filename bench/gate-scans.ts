/**
 * Gate scans under load (issue 6): POST /api/gate/scans of the real app (device-token guard, zod
 * validation, the decision's one lookup query, the idempotent insert, the answer in plain words)
 * against a reference Fastify server on the same PostgreSQL that does the least possible: one
 * indexed pass lookup by token hash and one insert into a copy of gate_events
 * (`LIKE gate_events INCLUDING ALL`). Both listen on a port and are driven the same way by 50
 * concurrent keep-alive connections from a child process (autocannon when it is installed, else a
 * small built-in driver), every request with a new idempotency key. Goals: ≥ 0.7× the reference's
 * throughput, p99 under 50 ms, and no lost events (stored events = 2xx answers).
 */
import Fastify from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { buildApp } from '../src/server/app';
import { personalDataOf } from '../src/server/crypto/personal-data';
import { addDays, shanghaiDay } from '../src/domain/notices/week';
import { freshDeps, quick, type Result } from './common';

const connections = 50;
const people = 2_000;
const durationS = quick ? 3 : 15;
const warmupS = quick ? 1 : 3;
const root = new URL('..', import.meta.url).pathname;

export interface Load {
  /** Completed requests per second. */
  rate: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  driver: string;
}

/**
 * The load generator, run in a worker thread so it does not share the servers' event loop. Uses
 * autocannon (setupRequest gives every request a new idempotency key) when the project has it.
 */
const driverSource = String.raw`
const workerData = JSON.parse(process.env.DRIVER_DATA);
const parentPort = { postMessage: (m) => process.stdout.write(JSON.stringify(m)) };
const { createRequire } = require('node:module');
const http = require('node:http');
const { url, path, headers, tokens, checkpoint, keyPrefix, connections, durationS, root } = workerData;
let n = 0;
const body = () => JSON.stringify({ checkpoint, token: tokens[n % tokens.length], direction: 'in', temperatureC: 36.5, idempotencyKey: keyPrefix + '-' + (n++) });
let autocannon = null;
try { autocannon = createRequire(root + 'package.json')('autocannon'); } catch { autocannon = null; }
if (autocannon) {
  // A fixed number of requests (about durationS seconds' worth), so that autocannon waits for every
  // answer: with a duration it stops with requests in flight, whose events are stored unanswered.
  // autocannon reports on its one-second ticks: the run is timed here, to its last answer.
  const t0 = process.hrtime.bigint();
  let last = t0;
  const instance = autocannon({ url, connections, amount: Math.round(durationS * 1500), requests: [{ method: 'POST', path, headers: { ...headers, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: body() }) }] }, (err, r) => {
    if (err) throw err;
    const done = r['2xx'] + r.non2xx;
    parentPort.postMessage({ rate: done / (Number(last - t0) / 1e9), ok: r['2xx'], failed: r.non2xx + r.errors + r.timeouts, p50: r.latency.p50, p99: r.latency.p99, driver: 'autocannon' });
  });
  instance.on('response', () => { last = process.hrtime.bigint(); });
} else {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let ok = 0, failed = 0;
  const started = Date.now();
  const end = started + durationS * 1000;
  const one = () => new Promise((resolve) => {
    const b = body();
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) } }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.statusCode >= 200 && res.statusCode < 300) ok++; else failed++;
        resolve();
      });
    });
    req.on('error', () => { failed++; resolve(); });
    req.end(b);
  });
  const loop = async () => { while (Date.now() < end) await one(); };
  Promise.all(Array.from({ length: connections }, loop)).then(() => {
    const seconds = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
    agent.destroy();
    parentPort.postMessage({ rate: (ok + failed) / seconds, ok, failed, p50: at(0.5), p99: at(0.99), driver: 'built-in driver (autocannon is not installed)' });
  });
}
`;

/** Drives POST `path` on `url` with 50 keep-alive connections for about `seconds` seconds' worth of scans (1 500 a second). */
export function drive(url: string, path: string, headers: Record<string, string>, tokens: string[], checkpoint: string, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    // A child process, not a worker thread: autocannon inside a worker thread answers as one of its own workers.
    const data = { url, path, headers, tokens, checkpoint, keyPrefix: `bench-${randomBytes(6).toString('hex')}`, connections, durationS: seconds, root };
    const child = spawn(process.execPath, ['-e', driverSource], { env: { ...process.env, DRIVER_DATA: JSON.stringify(data) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load driver exited with ${code}`))));
  });
}

export async function gateScansBench(): Promise<Result> {
  const deps = await freshDeps();
  const { db } = deps.database;
  const pd = personalDataOf(deps.config);
  const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  const today = shanghaiDay(deps.clock.now());

  // A restricted community with one checkpoint and device, and 2 000 residents with passes.
  const site = await db.insertInto('sites').values({ code: 'BENCH-SITE', name_zh: '基准小区', kind: 'community', access_level: 'restricted' }).returning('id').executeTakeFirstOrThrow();
  const checkpoint = await db.insertInto('checkpoints').values({ code: 'BENCH-GATE', name_zh: '基准卡口', site_id: site.id }).returning('id').executeTakeFirstOrThrow();
  const deviceToken = `dev_${randomBytes(24).toString('base64url')}`;
  await db.insertInto('devices').values({ checkpoint_id: checkpoint.id, name: 'bench', token_hash: sha(deviceToken) }).execute();
  const tokens = Array.from({ length: people }, () => randomBytes(18).toString('base64url'));
  const persons = await db
    .insertInto('people')
    .values(tokens.map((_, i) => ({ code: `BP${String(i).padStart(5, '0')}`, name: `基准居民${i}`, category: 'resident', site_id: site.id })))
    .returning('id')
    .execute();
  const passes = await db
    .insertInto('passes')
    .values(tokens.map((token, i) => ({ person_id: persons[i]!.id, token_hash: sha(token), token_enc: pd.encrypt('passes.token', token), valid_from: addDays(today, -30), valid_to: addDays(today, 365) })))
    .returning('id')
    .execute();
  await db.insertInto('pass_sites').values(passes.map((p) => ({ pass_id: p.id, site_id: site.id }))).execute();
  await deps.database.execScript('CREATE TABLE ref_events (LIKE gate_events INCLUDING ALL); ANALYZE;');

  // Our app, on a port.
  const app = await buildApp(deps, { webDir: null });
  const ours = await app.listen({ port: 0, host: '127.0.0.1' });

  // The reference: the same framework and database, one indexed lookup and one insert.
  let referenceUrl: string | null = null;
  let pool: pg.Pool | null = null;
  const reference = Fastify({ logger: false });
  if (deps.url) {
    const refPool = new pg.Pool({ connectionString: deps.url, max: 10 });
    pool = refPool;
    refPool.on('error', () => {
      /* the database is dropped at the end: idle clients lose their connection */
    });
    reference.post<{ Body: { checkpoint: string; token: string; direction: string; temperatureC?: number; idempotencyKey: string } }>('/ref/scans', async (request) => {
      const b = request.body;
      const pass = await refPool.query<{ id: string; person_id: string; status: string }>('SELECT id, person_id, status FROM passes WHERE token_hash = $1', [sha(b.token)]);
      const p = pass.rows[0];
      const decision = p?.status === 'active' ? 'allow' : 'deny';
      const row = await refPool.query<{ id: string }>(
        `INSERT INTO ref_events (idempotency_key, checkpoint_id, site_id, person_id, pass_id, credential, direction, decision, reason, temperature_c, at)
         VALUES ($1, $2, $3, $4, $5, 'pass', $6, $7, $8, $9, now()) RETURNING id`,
        [b.idempotencyKey, checkpoint.id, site.id, p?.person_id ?? null, p?.id ?? null, b.direction, decision, decision === 'allow' ? null : 'NO_PASS', b.temperatureC ?? null],
      );
      return { id: row.rows[0]!.id, decision };
    });
    referenceUrl = await reference.listen({ port: 0, host: '127.0.0.1' });
  }

  const bearer = { authorization: `Bearer ${deviceToken}` };
  const run = (url: string, path: string, headers: Record<string, string>, seconds: number) => drive(url, path, headers, tokens, 'BENCH-GATE', seconds);
  let ourOk = 0;
  let refLoad: Load | null = null;
  // Warm both up, then measure the reference and ours back to back.
  ourOk += (await run(ours, '/api/gate/scans', bearer, warmupS)).ok;
  if (referenceUrl) {
    await run(referenceUrl, '/ref/scans', {}, warmupS);
    refLoad = await run(referenceUrl, '/ref/scans', {}, durationS);
  }
  const ourLoad = await run(ours, '/api/gate/scans', bearer, durationS);
  ourOk += ourLoad.ok;

  const stored = Number((await db.selectFrom('gate_events').select((eb) => eb.fn.countAll<string>().as('n')).where('checkpoint_id', '=', checkpoint.id).executeTakeFirstOrThrow()).n);
  const lost = stored - ourOk;
  await app.close();
  await reference.close();
  await pool?.end();
  await deps.done();

  if (ourLoad.failed > 0) throw new Error(`gate bench: ${ourLoad.failed} of our requests failed`);
  const figure = `${Math.round(ourLoad.rate).toLocaleString('en')} scans/s, p50 ${ourLoad.p50.toFixed(1)} ms, p99 ${ourLoad.p99.toFixed(1)} ms, lost events ${lost}`;
  return {
    name: `gate scans, ${connections} concurrent clients, ${Math.round(durationS * 1500).toLocaleString('en')} scans each (${deps.engine}; ${ourLoad.driver})`,
    figure,
    reference: refLoad ? `${Math.round(refLoad.rate).toLocaleString('en')} scans/s, p99 ${refLoad.p99.toFixed(1)} ms (lookup + insert)` : 'n/a (the reference needs PostgreSQL)',
    ratio: refLoad ? ourLoad.rate / refLoad.rate : Number.NaN,
    goal: '≥ 0.7× the reference, p99 < 50 ms, 0 lost',
    ...(lost === 0 ? {} : { note: `LOST EVENTS: ${lost} (stored ${stored}, 2xx ${ourOk})` }),
  };
}
