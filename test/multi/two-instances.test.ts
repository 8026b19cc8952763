/**
 * Many servers on one PostgreSQL (issue 9 item 4): two `pacesetter serve` processes on one
 * database, as behind a load balancer. A weekly notice whose job fires on both every second is
 * published once; a session made on one works on the other and ends on both; a pass revoked on
 * one is refused on the other at the next scan, and so is a revoked gate device as soon as the
 * other server hears the notification (though it had cached the token for ten minutes); the sign-in limit counts across both.
 * PostgreSQL only: without it this file is skipped (loudly, by global-setup), and under CI=true
 * global-setup fails the run instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { systemClock } from '../../src/server/clock';
import type { Database } from '../../src/server/db/database';
import { accessFixtures, type CheckpointFixture, type DeviceFixture, type PassFixture } from '../helpers/access-fixtures';
import { testConfig } from '../helpers/app';
import { startServer } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { demoPassword, deviceCall, sideDatabase, sleep } from '../crash/harness';

const postgres = inject('postgresUrl');
if (!postgres) console.warn('\n!! PostgreSQL is not reachable: the two-instance test (test/multi) is SKIPPED\n');

const loginLimit = 5;

// PostgreSQL only (the file's header): skipped loudly without it, and under CI=true global-setup fails the run.
describe.skipIf(!postgres)('two app servers on one PostgreSQL', () => {
  let testDb: TestDatabase;
  let side: Database;
  let dataDir: string;
  let servers: ReturnType<typeof startServer>[] = [];
  let a: string;
  let b: string;
  const startedAt = new Date();

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    dataDir = mkdtempSync(path.join(tmpdir(), 'ps-multi-'));
    const env = {
      DATABASE_URL: testDb.url!,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      TRUST_PROXY: 'on',
      LOGIN_IP_LIMIT_PER_MINUTE: String(loginLimit),
      // Both servers fire the weekly notice every second: only the job's lock keeps it to one run at a time.
      PACESETTER_WEEKLY_NOTICE_CRON: '* * * * * *',
      // Device tokens stay cached for ten minutes: only the cache bus can make B forget a revoked one in this test.
      GATE_DEVICE_CACHE_SECONDS: '600',
    };
    // The first loads the demo company; the second starts on the database as it finds it.
    servers = [startServer({ ...env, PACESETTER_DEMO: '1' })];
    a = await servers[0]!.url;
    servers.push(startServer(env));
    b = await servers[1]!.url;
    side = await sideDatabase(testDb.url!);
  });

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await side?.close();
    await testDb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes the weekly notice once, though the job fires on both servers every second', async () => {
    const weekly = () => side.raw<{ n: number }>(`SELECT count(*)::int AS n FROM notices WHERE kind = 'weekly' AND published_at >= $1`, [startedAt]);
    await expect.poll(async () => (await weekly())[0]!.n).toBe(1);
    // Let both servers fire a few more times, overlapping.
    await sleep(3_000);
    expect((await weekly())[0]!.n).toBe(1);
    const lines = servers.flatMap((s) => s.output().split('\n')).filter((l) => l.includes('"job":"weekly-notice"'));
    expect(lines.filter((l) => l.includes('"published":true'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('job failed'))).toEqual([]);
    // Each server ran it (and found it published) or skipped it: both took part.
    for (const s of servers) expect(s.output()).toMatch(/"job":"weekly-notice"/);
  });

  it('a session made on one server works on the other, and signing out on the other ends it on both', async () => {
    const manager = await signIn(a, 'manager');
    const me = async (base: string) => (await manager(base, 'GET', '/api/auth/me')).status;
    expect(await me(a)).toBe(200);
    expect(await me(b)).toBe(200);
    expect((await manager(b, 'POST', '/api/auth/logout', {})).status).toBeLessThan(300);
    expect(await me(a)).toBe(401);
    expect(await me(b)).toBe(401);
  });

  describe('the gate', () => {
    let checkpoint: CheckpointFixture;
    let device: DeviceFixture;
    let pass: PassFixture;
    const scan = (base: string) => deviceCall(base, device.token, '/api/gate/scans', { checkpoint: checkpoint.code, token: pass.token, direction: 'in', idempotencyKey: `multi-${Math.random()}` });
    const decision = async (base: string) => {
      const res = await scan(base);
      return res.status === 200 ? ((await res.json()) as { decision: string; reason: string | null }) : { status: res.status };
    };

    beforeAll(async () => {
      const unit = (await side.raw<{ id: string }>(`SELECT id FROM units WHERE code = 'WZBW'`))[0]!;
      const f = accessFixtures({ database: side, config: testConfig(), clock: systemClock });
      const g = await f.gate({ accessLevel: 'restricted', unitId: unit.id });
      checkpoint = g.checkpoint;
      device = g.device;
      const person = await f.person({ siteId: g.site.id, category: 'resident' });
      pass = await f.pass({ personId: person.id, siteIds: [g.site.id] });
    });

    it('a pass revoked on one server is refused on the other at the next scan', async () => {
      expect(await decision(b)).toMatchObject({ decision: 'allow' });
      const admin = await signIn(a, 'access');
      const { version } = (await (await admin(a, 'GET', `/api/passes/${pass.id}`)).json()) as { version: number };
      expect((await admin(a, 'POST', `/api/passes/${pass.id}/revoke`, { reason: 'lost card', version })).status).toBe(200);
      expect(await decision(b)).toMatchObject({ decision: 'deny' });
    });

    it('a device revoked on one server is refused on the other as soon as it hears the notification, though it had cached the token for ten minutes', async () => {
      expect(await decision(b)).toHaveProperty('decision'); // B has the token cached now (GATE_DEVICE_CACHE_SECONDS=600)
      const admin = await signIn(a, 'access');
      expect((await admin(a, 'POST', `/api/devices/${device.id}/revoke`, {})).status).toBe(200);
      expect(await decision(a)).toEqual({ status: 401 }); // the revoking server forgot it before answering
      // The NOTIFY reaches B on its own connection, in milliseconds, but not necessarily before the next request does.
      await expect.poll(() => decision(b), { timeout: 10_000, interval: 50 }).toEqual({ status: 401 });
    });
  });

  it('the sign-in limit per address counts the attempts on both servers together', async () => {
    const attempt = (base: string) =>
      fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' }, body: JSON.stringify({ username: 'nobody', password: 'wrong password 1' }) });
    const statuses: number[] = [];
    for (let i = 0; i < loginLimit + 1; i++) statuses.push((await attempt(i % 2 === 0 ? a : b)).status);
    expect(statuses.slice(0, loginLimit).every((s) => s === 401)).toBe(true);
    expect(statuses[loginLimit]).toBe(429);
  });
});

/** Signs in as a demo user on `base`; the client sends the session cookie and CSRF token to whichever server it is given. */
async function signIn(base: string, username: string) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (server: string, method: string, url: string, body?: unknown): Promise<Response> =>
    fetch(`${server}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}
