/**
 * Rate-limit classes (issue 8 item 3, AV-1; src/server/rate-limits.ts). The app is built a second
 * time on the test database with small limits and the test's fake clock as the windows' clock, so
 * a class trips after a handful of calls and a window ends when the clock moves.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { rateLimitClassOf, rateLimitSettings, type RateLimitSettings } from '../../src/server/rate-limits';
import { accessFixtures } from '../helpers/access-fixtures';
import { createTestApp, demoPassword, testConfig, type Client, type TestApp } from '../helpers/app';

const minute = 60_000;
// A different maximum per class, so the x-ratelimit-limit header tells which class answered.
const limits: RateLimitSettings = {
  auth: { max: 3, windowMs: minute },
  personal: { max: 2, windowMs: minute },
  import: { max: 1, windowMs: minute },
  write: { max: 4, windowMs: minute },
  public: { max: 5, windowMs: minute },
  device: { max: 6, windowMs: minute },
};

describe('rate-limit classes', () => {
  let t: TestApp;
  let app: FastifyInstance;

  beforeAll(async () => {
    // One engine is enough: the counters live in the server's memory, not in the database.
    t = await createTestApp('pglite');
    app = await buildApp(t.deps, { webDir: null, rateLimits: { limits, now: () => t.clock.now().getTime() } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  /** Each test starts in a window of its own (counters are per class and caller). */
  const nextWindow = () => t.clock.advance(minute);

  function call(client: Client | null, method: string, url: string, body?: unknown, extra: { remoteAddress?: string; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(extra.headers ?? {}) };
    if (client?.cookie) headers.cookie = `ps_session=${client.cookie}`;
    if (client?.csrf) headers['x-csrf-token'] = client.csrf;
    return app.inject({ method: method as 'GET', url, headers, remoteAddress: extra.remoteAddress ?? '127.0.0.1', ...(body === undefined ? {} : { payload: body as object }) });
  }
  async function statuses(n: number, send: () => Promise<LightMyRequestResponse>): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send()).statusCode);
    return out;
  }
  function expectLimited(res: LightMyRequestResponse, windowMs = minute) {
    expect(res.statusCode, res.body).toBe(429);
    expect(res.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(windowMs / 1000);
  }

  it('classifies routes by method, path and access, with explicit entries for the exceptions', () => {
    const cases: [string, string, string | undefined, string | null][] = [
      ['POST', '/api/auth/login', 'public', 'auth'],
      ['PUT', '/api/auth/password', 'authenticated', 'auth'],
      ['POST', '/api/auth/mfa/confirm', 'authenticated', 'auth'], // any change under /api/auth (the second factor's routes)
      ['POST', '/api/auth/logout', 'authenticated', 'write'],
      ['GET', '/api/auth/me', 'authenticated', null],
      ['POST', '/api/people/:id/unmask', 'personal.unmask', 'personal'],
      ['GET', '/api/people/export.xlsx', 'person.read', 'personal'],
      ['HEAD', '/api/people/export.xlsx', 'person.read', 'personal'],
      ['GET', '/api/health/cases/export.xlsx', 'health.case.read', 'personal'],
      ['GET', '/api/audit/export', 'audit.export', 'personal'],
      ['POST', '/api/imports', 'import.run', 'import'],
      ['POST', '/api/health/risk-areas/import', 'health.admin', 'import'],
      ['POST', '/api/units', 'unit.write', 'write'],
      ['PATCH', '/api/units/:id', 'unit.write', 'write'],
      ['DELETE', '/api/users/:id/sessions', 'user.write', 'write'],
      ['GET', '/api/units', 'unit.read', null],
      ['GET', '/api/public/supply-points', 'public', 'public'],
      ['GET', '/api/health', 'public', null],
      ['POST', '/api/gate/scans', 'device', 'device'],
      ['GET', '/api/gate/snapshot', 'device', 'device'],
      ['GET', '/', undefined, null],
    ];
    for (const [method, url, access, expected] of cases) {
      expect(rateLimitClassOf({ method, url, config: access ? { access: access as 'public' } : {} }), `${method} ${url}`).toBe(expected);
    }
    expect(rateLimitClassOf({ method: 'GET', url: '/api/units', config: { access: 'unit.read', rateLimit: false } })).toBeNull();
  });

  it('the production limits: sign-in from LOGIN_IP_LIMIT_PER_MINUTE; a device far above the gate bench (50 connections, about 1 500 scans a second)', () => {
    const production = rateLimitSettings({ nodeEnv: 'production', lockout: { threshold: 5, windowMinutes: 15, minutes: 15, ipPerMinute: 30 } });
    expect(production.auth).toEqual({ max: 30, windowMs: minute });
    expect(production.write.max).toBe(600);
    expect(production.personal.max).toBeLessThan(production.write.max);
    expect(production.device.max / (production.device.windowMs / 1000)).toBeGreaterThan(1500 * 2);
    // The suites run as one demo user at thousands of calls a minute: a hundred times more there.
    expect(rateLimitSettings(testConfig()).write.max).toBe(60_000);
  });

  it('auth: the sign-in trips per address, after the limit, with Retry-After; another address is not affected; the window ends', async () => {
    nextWindow();
    const login = (ip: string, password = 'wrong') => call(null, 'POST', '/api/auth/login', { username: 'viewer', password }, { remoteAddress: ip });
    expect(await statuses(3, () => login('10.9.0.1'))).toEqual([401, 401, 401]);
    const limited = await login('10.9.0.1', demoPassword);
    expectLimited(limited);
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect((await login('10.9.0.2', demoPassword)).statusCode).toBe(200);
    t.clock.advance(minute);
    expect((await login('10.9.0.1', demoPassword)).statusCode).toBe(200);
  });

  it('auth: the password change counts per user, whatever the address', async () => {
    nextWindow();
    const viewer = await t.login('viewer');
    const clerk = await t.login('clerk');
    const change = (c: Client, ip: string) => call(c, 'PUT', '/api/auth/password', { currentPassword: 'not-it', newPassword: 'Another#2026pw' }, { remoteAddress: ip });
    const codes = [await change(viewer, '10.9.1.1'), await change(viewer, '10.9.1.2'), await change(viewer, '10.9.1.3')].map((r) => r.statusCode);
    expect(codes.every((s) => s !== 429)).toBe(true);
    expectLimited(await change(viewer, '10.9.1.4'));
    expect((await change(clerk, '10.9.1.1')).statusCode).not.toBe(429);
  });

  it('personal: unmasking and exports share one budget per user; another user is not affected', async () => {
    nextWindow();
    const auditor = await t.login('auditor');
    const access = await t.login('access');
    const first = await call(auditor, 'GET', '/api/audit/export');
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('2');
    expect((await call(auditor, 'GET', '/api/audit/export')).statusCode).toBe(200);
    expectLimited(await call(auditor, 'GET', '/api/audit/export'));
    expect((await call(access, 'GET', '/api/people/export.xlsx')).statusCode).toBe(200);
    expect((await call(access, 'GET', '/api/people/export.xlsx')).statusCode).toBe(200);
    // The same budget: an unmask after two exports is refused before it is even checked.
    expectLimited(await call(access, 'POST', '/api/people/00000000-0000-4000-8000-000000000000/unmask', { field: 'phone', reason: 'rate-limit test' }));
    t.clock.advance(minute);
    expect((await call(auditor, 'GET', '/api/audit/export')).statusCode).toBe(200);
  });

  it('import: per user, not per address (one office shares one address)', async () => {
    nextWindow();
    const manager = await t.login('manager');
    const clerk = await t.login('clerk');
    const upload = (c: Client) => {
      const boundary = 'rl-boundary';
      const payload = [`--${boundary}`, 'Content-Disposition: form-data; name="kind"', '', 'indicators', `--${boundary}`, 'Content-Disposition: form-data; name="dryRun"', '', 'true', `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="x.csv"', 'Content-Type: text/csv', '', 'code,name,uom,direction,aggregation,formula,precision,category', 'RL_X,x,t,higher,sum,,0,production', `--${boundary}--`, ''].join('\r\n');
      return call(c, 'POST', '/api/imports', payload, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    };
    const first = await upload(manager);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('1');
    expectLimited(await upload(manager));
    // The clerk sends from the same address and is not counted with the manager.
    expect((await upload(clerk)).statusCode).not.toBe(429);
  });

  it('write: per user; resets after the window', async () => {
    nextWindow();
    const viewer = await t.login('viewer');
    const leader = await t.login('leader');
    const readAll = (c: Client) => call(c, 'POST', '/api/notifications/read-all', {});
    expect(await statuses(4, () => readAll(viewer))).toEqual([200, 200, 200, 200]);
    const limited = await readAll(viewer);
    expectLimited(limited);
    expect(limited.headers['x-ratelimit-limit']).toBe('4');
    expect((await readAll(leader)).statusCode).toBe(200);
    t.clock.advance(minute - 1_000);
    expectLimited(await readAll(viewer));
    t.clock.advance(1_000);
    expect((await readAll(viewer)).statusCode).toBe(200);
  });

  it('reads of a signed-in user are not limited', async () => {
    nextWindow();
    const viewer = await t.login('viewer');
    const codes = await statuses(12, () => call(viewer, 'GET', '/api/units'));
    expect(codes.every((s) => s === 200)).toBe(true);
  });

  it('public: per address', async () => {
    nextWindow();
    const page = (ip: string) => call(null, 'GET', '/api/public/supply-points?site=NOPE', undefined, { remoteAddress: ip });
    const codes = await statuses(5, () => page('10.9.2.1'));
    expect(codes.some((s) => s === 429)).toBe(false);
    expectLimited(await page('10.9.2.1'));
    expect((await page('10.9.2.2')).statusCode).not.toBe(429);
  });

  it('device: per device token, not per address', async () => {
    nextWindow();
    const f = accessFixtures(t.deps);
    const site = await f.site();
    const checkpoint = await f.checkpoint({ siteId: site.id });
    const one = await f.device({ checkpointId: checkpoint.id });
    const two = await f.device({ checkpointId: checkpoint.id });
    const info = (token: string) => call(null, 'GET', '/api/gate/device', undefined, { headers: { authorization: `Bearer ${token}` } });
    expect(await statuses(6, () => info(one.token))).toEqual([200, 200, 200, 200, 200, 200]);
    expectLimited(await info(one.token));
    expect((await info(two.token)).statusCode).toBe(200);
  });
});
