/**
 * Crash tests (issue 8 item 4, DUR-1, DUR-4, AV-4): the real server on PostgreSQL is killed with
 * SIGKILL in the middle of a 100 000-row import, a burst of gate scans and an offline sync, and
 * started again; then PostgreSQL itself is stopped with `pg_ctl stop -m immediate` mid-burst.
 * Every write the server acknowledged (2xx) must be there exactly once, no half-import may remain,
 * resending every key must add nothing, and the audit chain must verify after each restart.
 * PostgreSQL only: without it this file is skipped (loudly, by global-setup), and under CI=true
 * global-setup fails the run instead.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Database } from '../../src/server/db/database';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { deviceCall, gateWithResidents, serve, sideDatabase, signIn, sleep, storedKeys, throwAwayCluster, verifyAudit, type Cluster, type Server } from './harness';

const postgres = inject('postgresUrl');
if (!postgres) console.warn('\n!! PostgreSQL is not reachable: the crash tests (test/crash) are SKIPPED\n');

/** One line of figures per crash test, for docs/security.md §7. */
const report = (line: string) => console.log(`crash result: ${line}`);

/** Sends gate scans from `workers` loops until `stop()`; records each key and how it was answered. */
function scanBurst(base: () => string, device: string, checkpoint: string, tokens: string[], workers: number) {
  const sent: string[] = [];
  const acked = new Set<string>();
  const statuses: number[] = [];
  const bodies: string[] = [];
  let running = true;
  let n = 0;
  const loop = async () => {
    while (running) {
      const key = `burst-${n}-${randomUUID()}`;
      const token = tokens[n++ % tokens.length]!;
      sent.push(key);
      try {
        const res = await deviceCall(base(), device, '/api/gate/scans', { checkpoint, token, direction: 'in', idempotencyKey: key });
        statuses.push(res.status);
        const text = await res.text();
        if (res.status >= 200 && res.status < 300) acked.add(key);
        else bodies.push(`${res.status} ${res.headers.get('retry-after') ?? '-'} ${text}`);
      } catch {
        statuses.push(0); // the connection broke (the server was killed): not acknowledged
        await sleep(20);
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, loop));
  return { sent, acked, statuses, bodies, stop: async () => ((running = false), await done) };
}

/** Resends every key once (sequentially in a few lanes) and expects 200 for each. */
async function resend(base: string, device: string, checkpoint: string, token: string, keys: string[]) {
  const lanes = 8;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < keys.length; i += lanes) {
        const res = await deviceCall(base, device, '/api/gate/scans', { checkpoint, token, direction: 'in', idempotencyKey: keys[i] });
        if (res.status !== 200) failures.push(`${keys[i]}: ${res.status} ${await res.text()}`);
      }
    }),
  );
  return failures;
}

// PostgreSQL only (the file's header): skipped loudly without it, and under CI=true global-setup fails the run.
describe.skipIf(!postgres)('crash: kill -9 of the server on PostgreSQL', () => {
  let testDb: TestDatabase;
  let side: Database;
  let dataDir: string;
  let server: Server;
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    dataDir = mkdtempSync(path.join(tmpdir(), 'ps-crash-'));
    server = await serve(testDb.url!, dataDir);
    side = await sideDatabase(testDb.url!);
  });
  afterAll(async () => {
    if (server?.alive()) await server.stop();
    await side?.close();
    await testDb?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a 100 000-row import killed mid-way leaves nothing of it; the audit chain verifies after the restart', async () => {
    const admin = await signIn(server.url, 'admin');
    const rows = Array.from({ length: 100_000 }, (_, i) => `CRASH-${String(i).padStart(6, '0')},崩溃测试${i},XCL,车间,`);
    const csv = `单位编码,单位名称,上级单位编码,类型,对标分组\n${rows.join('\n')}\n`;
    const form = new FormData();
    form.append('kind', 'units');
    form.append('file', new Blob([csv]), 'crash-units.csv');
    const before = await side.raw<{ n: number }>('SELECT count(*)::int AS n FROM units');
    let answered: number | null = null;
    const upload = admin.request('POST', '/api/imports', form).then(
      (r) => (answered = r.status),
      () => null,
    );
    // Wait until the import's transaction is inserting its unit rows, then kill.
    const started = Date.now();
    for (;;) {
      const busy = await side.raw<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state IN ('active', 'idle in transaction') AND query ILIKE 'insert into "units"%' AND pid <> pg_backend_pid()`,
      );
      if (busy[0]!.n > 0) break;
      if (Date.now() - started > 30_000) throw new Error('the import never started writing');
      await sleep(50);
    }
    await server.crash();
    await upload;
    expect(answered, 'the import must still have been running when the server was killed').toBeNull();

    server = await serve(testDb.url!, dataDir);
    expect(await side.raw("SELECT count(*)::int AS n FROM units WHERE code LIKE 'CRASH-%'")).toEqual([{ n: 0 }]);
    expect(await side.raw('SELECT count(*)::int AS n FROM units')).toEqual(before);
    expect(await side.raw("SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'import%' AND details::text LIKE '%crash-units%'")).toEqual([{ n: 0 }]);
    const chain = await verifyAudit(server.url);
    expect(chain).toMatchObject({ ok: true });
    report(`import: killed while writing 100 000 units; after restart 0 of them, units ${before[0]!.n} → ${before[0]!.n}, audit chain ok`);
  });

  it('a burst of gate scans killed mid-way: every acknowledged scan is stored once, and resending every key adds nothing', async () => {
    const g = await gateWithResidents(side, 20);
    const tokens = g.residents.map((r) => r.pass.token);
    const base = server.url;
    const burst = scanBurst(() => base, g.device.token, g.checkpoint.code, tokens, 16);
    while (burst.acked.size < 300) await sleep(20);
    await server.crash();
    await burst.stop();
    expect(burst.bodies, 'no error answers before the kill').toEqual([]);

    server = await serve(testDb.url!, dataDir);
    const stored = await storedKeys(side, g.checkpoint.id);
    const lost = [...burst.acked].filter((k) => stored.get(k) !== 1);
    expect(lost, 'acknowledged scans missing or doubled').toEqual([]);
    expect([...stored.keys()].every((k) => burst.sent.includes(k))).toBe(true);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);

    expect(await resend(server.url, g.device.token, g.checkpoint.code, tokens[0]!, burst.sent)).toEqual([]);
    const after = await storedKeys(side, g.checkpoint.id);
    expect(after.size).toBe(burst.sent.length);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
    expect(await verifyAudit(server.url)).toMatchObject({ ok: true });
    report(`gate burst: ${burst.sent.length} scans sent by 16 workers, ${burst.acked.size} acknowledged before the kill, all stored once (${stored.size} stored); after resending every key ${after.size} stored, each once; audit chain ok`);
  });

  it('an offline sync killed mid-way: every acknowledged batch is stored once, and syncing everything again stores each event once', async () => {
    const g = await gateWithResidents(side, 10);
    const start = Date.now() - 6 * 3600_000;
    const events = Array.from({ length: 6000 }, (_, i) => ({
      checkpoint: g.checkpoint.code,
      token: g.residents[i % g.residents.length]!.pass.token,
      direction: i % 2 === 0 ? ('in' as const) : ('out' as const),
      scannedAt: new Date(start + i * 1000).toISOString(),
      idempotencyKey: `sync-${i}-${randomUUID()}`,
      decision: 'allow' as const,
      reason: null,
    }));
    const batches: (typeof events)[] = [];
    for (let i = 0; i < events.length; i += 200) batches.push(events.slice(i, i + 200));
    const acked: string[] = [];
    let next = 0;
    let killed = false;
    const base = server.url;
    const lane = async () => {
      while (!killed && next < batches.length) {
        const batch = batches[next++]!;
        try {
          const res = await deviceCall(base, g.device.token, '/api/gate/scans/batch', { events: batch });
          if (res.status === 200) acked.push(...batch.map((e) => e.idempotencyKey));
          else throw new Error(`sync answered ${res.status}: ${await res.text()}`);
        } catch (e) {
          if (!killed) throw e;
        }
      }
    };
    const lanes = Promise.all(Array.from({ length: 4 }, lane));
    while (acked.length < 1000) await sleep(10);
    killed = true;
    await server.crash();
    await lanes;
    expect(acked.length).toBeLessThan(events.length);

    server = await serve(testDb.url!, dataDir);
    const stored = await storedKeys(side, g.checkpoint.id);
    expect(acked.filter((k) => stored.get(k) !== 1), 'acknowledged events missing or doubled').toEqual([]);
    // Every batch is all-or-nothing: an event of a batch that was not acknowledged is either
    // absent, or its whole batch is there (committed just before the kill).
    for (const batch of batches) {
      const present = batch.filter((e) => stored.has(e.idempotencyKey)).length;
      expect([0, batch.length]).toContain(present);
    }

    let newlyStored = 0;
    for (const batch of batches) {
      const res = await deviceCall(server.url, g.device.token, '/api/gate/scans/batch', { events: batch });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { stored: number; duplicates: number };
      expect(body.stored + body.duplicates).toBe(batch.length);
      newlyStored += body.stored;
    }
    const after = await storedKeys(side, g.checkpoint.id);
    expect(after.size).toBe(events.length);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
    expect(newlyStored).toBe(events.length - stored.size);
    expect(await verifyAudit(server.url)).toMatchObject({ ok: true });
    report(`offline sync: ${events.length} events in ${batches.length} batches of 200 over 4 lanes, ${acked.length} acknowledged before the kill, ${stored.size} stored (whole batches only); after syncing again ${after.size}, each once; audit chain ok`);
  });
});

// PostgreSQL only (the file's header): skipped loudly without it, and under CI=true global-setup fails the run.
describe.skipIf(!postgres)('crash: PostgreSQL stopped with pg_ctl -m immediate under a burst', () => {
  let cluster: Cluster;
  let server: Server | undefined;
  let side: Database | undefined;
  let dataDir: string;
  beforeAll(async () => {
    cluster = await throwAwayCluster();
    dataDir = mkdtempSync(path.join(tmpdir(), 'ps-crash-'));
  });
  afterAll(async () => {
    if (server?.alive()) await server.stop();
    await side?.close().catch(() => {});
    cluster?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers clear 503s while it is down (no 500, the process lives, /api/ready 503), recovers after, and loses no acknowledged scan', async () => {
    const url = cluster.url('crash');
    server = await serve(url, dataDir);
    side = await sideDatabase(url);
    const g = await gateWithResidents(side, 10);
    const tokens = g.residents.map((r) => r.pass.token);
    await side.close();
    side = undefined;
    const base = server.url;

    const burst = scanBurst(() => base, g.device.token, g.checkpoint.code, tokens, 8);
    while (burst.acked.size < 100) await sleep(20);
    cluster.stopImmediate();
    const down = burst.statuses.length;
    await sleep(3000);
    const whileDown = burst.statuses.slice(down);
    const ready = await fetch(`${base}/api/ready`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'degraded', database: 'unavailable' }]);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    expect(server.alive()).toBe(true);
    expect(whileDown.filter((s) => s === 503).length, 'the burst saw 503s while PostgreSQL was down').toBeGreaterThan(10);

    cluster.start();
    const back = Date.now();
    for (;;) {
      const r = await fetch(`${base}/api/ready`).catch(() => null);
      if (r?.status === 200) break;
      if (Date.now() - back > 20_000) throw new Error('/api/ready did not come back within 20 s');
      await sleep(200);
    }
    const recoveredMs = Date.now() - back;
    const up = burst.statuses.length;
    await sleep(1500);
    await burst.stop();
    expect(burst.statuses.slice(up + 20).filter((s) => s !== 200), 'after the recovery every scan is 200 again').toEqual([]);

    // Every answer was 200 or a clear 503 (a request cut by the stop itself may be a 503 too); never a 500.
    expect(burst.statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const codes = new Set(burst.bodies.map((b) => (/"code":"(\w+)"/.exec(b) ?? [])[1]));
    expect([...codes].every((c) => c === 'DATABASE_UNAVAILABLE' || c === 'QUERY_TIMEOUT')).toBe(true);
    expect(burst.bodies.filter((b) => b.startsWith('503') && !/^503 5 /.test(b) && b.includes('DATABASE_UNAVAILABLE')), 'Retry-After: 5').toEqual([]);
    expect(burst.bodies.join('\n')).not.toMatch(/ECONNREFUSED|stack|at \/|terminating connection/);

    side = await sideDatabase(url);
    const stored = await storedKeys(side, g.checkpoint.id);
    expect([...burst.acked].filter((k) => stored.get(k) !== 1), 'acknowledged scans missing or doubled').toEqual([]);
    expect(await resend(base, g.device.token, g.checkpoint.code, tokens[0]!, burst.sent)).toEqual([]);
    const after = await storedKeys(side, g.checkpoint.id);
    expect(after.size).toBe(burst.sent.length);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
    expect(await verifyAudit(base)).toMatchObject({ ok: true });
    const count = (status: number) => burst.statuses.filter((x) => x === status).length;
    report(`PostgreSQL stopped (-m immediate) under 8 workers: ${burst.statuses.length} answers: ${count(200)} × 200, ${count(503)} × 503 (${[...codes].join(', ')}), ${burst.statuses.length - count(200) - count(503)} other; ${burst.acked.size} acknowledged, all stored once; /api/ready 200 again ${(recoveredMs / 1000).toFixed(1)} s after pg_ctl start returned; audit chain ok`);
  });
});
