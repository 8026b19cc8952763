import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, requestIdOf } from '../../src/server/app';
import { ConfigError } from '../../src/server/config';
import { installErrorHandler } from '../../src/server/errors';
import type { OfflineEvent, ScanResult } from '../../src/server/modules/gate/gate.schemas';
import { rateLimitClassOf } from '../../src/server/rate-limits';
import { accessFixtures, type AccessFixtures } from '../helpers/access-fixtures';
import { createTestApp, testConfig, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { multipartBody } from './route-matrix';

/**
 * The value of the sample `name{labels}` in Prometheus's text format, whatever the labels' order,
 * or undefined when no line has exactly these labels.
 */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? '').match(/\w+="(?:[^"\\]|\\.)*"/g)?.sort().join(',') ?? '';
    if (got === wanted) return Number(m[3]);
  }
  return undefined;
}

/** A request id of our own: 16 base64url characters. */
const ownId = /^[A-Za-z0-9_-]{16}$/;
const metricsToken = 'm'.repeat(20) + 'T0ken-for-the-scraper';

describe.each(engines)('metrics, request ids and probes on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let manager: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    manager = await t.login('manager');
  });
  afterAll(() => t?.close());

  /** A scrape from this machine (inject's default peer is 127.0.0.1). */
  const scrape = async (app: FastifyInstance = t.app): Promise<string> => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode, res.body).toBe(200);
    return res.body;
  };

  it('counts requests by route template, never the raw URL, with a latency histogram; unmatched routes and /metrics itself apart', async () => {
    const code = `NO_SUCH_${randomUUID().slice(0, 8)}`;
    const before = sample(await scrape(), 'pacesetter_http_requests_total', { method: 'GET', route: '/api/indicators/:code', status_class: '4xx' }) ?? 0;
    for (let i = 0; i < 3; i++) expect((await manager.get(`/api/indicators/${code}?name=王小明`)).statusCode).toBe(404);
    expect((await manager.get('/api/units')).statusCode).toBe(200);
    expect((await t.anonymous().get('/api/no-such-route/42')).statusCode).toBe(404);
    const text = await scrape();
    expect(text.startsWith('# HELP')).toBe(true);
    expect(sample(text, 'pacesetter_http_requests_total', { method: 'GET', route: '/api/indicators/:code', status_class: '4xx' })).toBe(before + 3);
    expect(sample(text, 'pacesetter_http_requests_total', { method: 'GET', route: '/api/units', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'pacesetter_http_requests_total', { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(code);
    expect(text).not.toContain('no-such-route');
    expect(text).not.toContain('王小明');
    expect(text).not.toMatch(/route="\/metrics"/);
    // The histogram: cumulative buckets from 1 ms to 10 s, +Inf equal to the count.
    const h = { method: 'GET', route: '/api/indicators/:code' };
    const count = sample(text, 'pacesetter_http_request_duration_seconds_count', h)!;
    expect(count).toBe(before + 3);
    expect(sample(text, 'pacesetter_http_request_duration_seconds_bucket', { ...h, le: '0.001' })).toBeDefined();
    expect(sample(text, 'pacesetter_http_request_duration_seconds_bucket', { ...h, le: '10' })).toBe(count);
    expect(sample(text, 'pacesetter_http_request_duration_seconds_bucket', { ...h, le: '+Inf' })).toBe(count);
    expect(sample(text, 'pacesetter_http_request_duration_seconds_sum', h)).toBeGreaterThan(0);
    // Node's process metrics, under the same prefix.
    expect(sample(text, 'pacesetter_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE pacesetter_nodejs_heap_size_used_bytes gauge');
    // The PostgreSQL pool (the embedded engine has none).
    if (engine === 'postgres') expect(sample(text, 'pacesetter_db_pool_clients', { state: 'total' })).toBeGreaterThanOrEqual(1);
    else expect(sample(text, 'pacesetter_db_pool_clients', { state: 'total' })).toBeUndefined();
  });

  it('labels the web app’s files and SPA pages "static", a missing file "unmatched", and a malformed URL still gets its id', async () => {
    const webDir = mkdtempSync(path.join(tmpdir(), 'ps-web-'));
    writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Pacesetter</title>');
    writeFileSync(path.join(webDir, 'app-4f2a.js'), 'console.log(1)');
    const web = await buildApp(t.deps, { webDir });
    try {
      for (const [url, status] of [['/app-4f2a.js', 200], ['/units/4711', 200], ['/', 200], ['/gone-9c1b.js', 404]] as const) {
        expect((await web.inject({ method: 'GET', url })).statusCode, url).toBe(status);
      }
      const text = await scrape(web);
      expect(sample(text, 'pacesetter_http_requests_total', { method: 'GET', route: 'static', status_class: '2xx' })).toBe(3);
      expect(sample(text, 'pacesetter_http_requests_total', { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBe(1);
      expect(text).not.toMatch(/4f2a|4711|9c1b/);
      const malformed = await web.inject({ method: 'GET', url: '/api/indicators/%zz', headers: { 'x-request-id': 'req-bad-url' } });
      expect([malformed.statusCode, malformed.headers['x-request-id']]).toEqual([400, 'req-bad-url']);
    } finally {
      await web.close();
      rmSync(webDir, { recursive: true, force: true });
    }
  });

  it('records an import’s rows and bytes by kind and outcome (a dry run is not counted)', async () => {
    const upload = (content: string, dryRun = false) => {
      const form = multipartBody({ kind: 'indicators', ...(dryRun ? { dryRun: 'true' } : {}), file: { filename: 'indicators.csv', content } });
      return t.app.inject({ method: 'POST', url: '/api/imports', payload: form.payload, headers: { 'content-type': form.contentType, cookie: `ps_session=${manager.cookie}`, 'x-csrf-token': manager.csrf! } });
    };
    const good = ['指标编码,指标名称,计量单位,方向,汇总方式,公式,精度,类别', 'MET_GAS,天然气用量,m³,越小越好,求和,,0,能源', 'MET_OUT,产品产量,t,越大越好,求和,,0,生产'].join('\r\n');
    const bad = ['指标编码,指标名称,计量单位,方向,汇总方式,公式,精度,类别', 'MET_BAD,坏指标,t,往旁边,求和,,0,生产'].join('\r\n');
    expect((await upload(good, true)).statusCode).toBe(200);
    const ok = await upload(good);
    expect([ok.statusCode, ok.json()]).toMatchObject([200, { rows: 2, inserted: 2 }]);
    const rejected = await upload(bad);
    expect(rejected.statusCode, rejected.body).toBe(422);
    const text = await scrape();
    expect(sample(text, 'pacesetter_import_rows_count', { kind: 'indicators', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'pacesetter_import_rows_sum', { kind: 'indicators', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'pacesetter_import_rows_count', { kind: 'indicators', outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'pacesetter_import_rows_sum', { kind: 'indicators', outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'pacesetter_import_bytes_count', { kind: 'indicators' })).toBe(2);
    expect(sample(text, 'pacesetter_import_bytes_sum', { kind: 'indicators' })).toBe(Buffer.byteLength(good) + Buffer.byteLength(bad));
    expect(sample(text, 'pacesetter_http_requests_total', { method: 'POST', route: '/api/imports', status_class: '4xx' })).toBe(1);
  });

  it('counts gate decisions by decision, reason and mode; a resend is not counted twice', async () => {
    const g = await f.gate({ accessLevel: 'restricted' });
    const p = await f.person({ siteId: g.site.id });
    const pass = await f.pass({ personId: p.id, siteIds: [g.site.id] });
    const scan = async (body: Record<string, unknown>): Promise<ScanResult> => {
      const res = await t.app.inject({ method: 'POST', url: '/api/gate/scans', headers: { authorization: `Bearer ${g.device.token}` }, payload: { checkpoint: g.checkpoint.code, direction: 'in', idempotencyKey: randomUUID(), ...body } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const before = await scrape();
    const denials = () => sample(before, 'pacesetter_gate_decisions_total', { decision: 'deny', reason: 'NO_PASS', mode: 'online' }) ?? 0;
    const resentKey = randomUUID();
    expect(await scan({ token: 'not-a-real-token-at-all', idempotencyKey: resentKey })).toMatchObject({ decision: 'deny', reason: 'NO_PASS', duplicate: false });
    expect(await scan({ token: 'not-a-real-token-at-all', idempotencyKey: resentKey })).toMatchObject({ duplicate: true });
    expect(await scan({ token: 'another-unknown-token' })).toMatchObject({ reason: 'NO_PASS' });
    expect(await scan({ token: pass.token })).toMatchObject({ decision: 'allow', reason: null });
    const offline = (e: Partial<OfflineEvent>): OfflineEvent => ({ checkpoint: g.checkpoint.code, token: pass.token, direction: 'in', scannedAt: '2026-03-02T00:30:00Z', idempotencyKey: randomUUID(), decision: 'allow', reason: null, ...e });
    const blocked = offline({ decision: 'deny', reason: 'BLOCKED' });
    const batch = await t.app.inject({ method: 'POST', url: '/api/gate/scans/batch', headers: { authorization: `Bearer ${g.device.token}` }, payload: { events: [offline({}), blocked, blocked] } });
    expect(batch.json()).toMatchObject({ stored: 2, duplicates: 1 });
    const text = await scrape();
    expect(sample(text, 'pacesetter_gate_decisions_total', { decision: 'deny', reason: 'NO_PASS', mode: 'online' })).toBe(denials() + 2);
    expect(sample(text, 'pacesetter_gate_decisions_total', { decision: 'allow', reason: 'OK', mode: 'online' })).toBe((sample(before, 'pacesetter_gate_decisions_total', { decision: 'allow', reason: 'OK', mode: 'online' }) ?? 0) + 1);
    expect(sample(text, 'pacesetter_gate_decisions_total', { decision: 'allow', reason: 'OK', mode: 'offline-batch' })).toBe(1);
    expect(sample(text, 'pacesetter_gate_decisions_total', { decision: 'deny', reason: 'BLOCKED', mode: 'offline-batch' })).toBe(1);
  });

  it('exposes the job runs the runner records through app.metrics', async () => {
    t.app.metrics.recordJobRun('weekly-notice', 'ok', 1.5);
    t.app.metrics.recordJobRun('weekly-notice', 'ok', 0.5);
    t.app.metrics.recordJobRun('weekly-notice', 'failed', 0.02);
    t.app.metrics.recordJobRun('access-purge', 'skipped', 0);
    const text = await scrape();
    expect(sample(text, 'pacesetter_job_runs_total', { job: 'weekly-notice', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'pacesetter_job_runs_total', { job: 'weekly-notice', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'pacesetter_job_runs_total', { job: 'access-purge', outcome: 'skipped' })).toBe(1);
    expect(sample(text, 'pacesetter_job_duration_seconds_count', { job: 'weekly-notice' })).toBe(3);
    expect(sample(text, 'pacesetter_job_duration_seconds_sum', { job: 'weekly-notice' })).toBeCloseTo(2.02, 6);
    expect(sample(text, 'pacesetter_job_duration_seconds_bucket', { job: 'weekly-notice', le: '1' })).toBe(2);
  });

  it('without METRICS_TOKEN answers only this machine, not through a proxy on it: anyone else gets a 404', async () => {
    const get = (remoteAddress: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });
    const local = await get('127.0.0.1');
    expect(local.statusCode).toBe(200);
    expect(local.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(local.headers['cache-control']).toBe('no-store');
    expect((await get('::1')).statusCode).toBe(200);
    expect((await get('::ffff:127.0.0.1')).statusCode).toBe(200);
    for (const [address, headers] of [['10.0.0.5', {}], ['10.0.0.5', { 'x-forwarded-for': '127.0.0.1' }], ['127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }], ['127.0.0.1', { forwarded: 'for=203.0.113.9' }]] as const) {
      const res = await get(address, headers);
      expect([res.statusCode, res.json().error.code], `${address} ${JSON.stringify(headers)}`).toEqual([404, 'NOT_FOUND']);
      expect(res.body).not.toContain('pacesetter_');
    }
  });

  it('with METRICS_TOKEN asks for it as a bearer token (401 without or wrong, from anywhere), and refuses a short one at start-up', async () => {
    expect(() => testConfig({ METRICS_TOKEN: 'too-short' })).toThrow(ConfigError);
    expect(() => testConfig({ METRICS_TOKEN: `${'x'.repeat(30)} with a space` })).toThrow(/METRICS_TOKEN/);
    const secured = await buildApp({ ...t.deps, config: testConfig({ METRICS_TOKEN: metricsToken }) }, { webDir: null });
    try {
      const get = (headers: Record<string, string>, remoteAddress = '127.0.0.1') => secured.inject({ method: 'GET', url: '/metrics', headers, remoteAddress });
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${metricsToken}x` }, { authorization: `Basic ${metricsToken}` }]) {
        const res = await get(headers);
        expect([res.statusCode, res.json().error.code], JSON.stringify(headers)).toEqual([401, 'METRICS_TOKEN_INVALID']);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      }
      const ok = await get({ authorization: `Bearer ${metricsToken}` }, '10.0.0.5');
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['www-authenticate']).toBeUndefined();
      expect(ok.body).toContain('# TYPE pacesetter_http_requests_total counter');
    } finally {
      await secured.close();
    }
  });

  it('keeps a load balancer’s valid x-request-id, replaces any other with one of its own, answers it on every response and logs it as reqId', async () => {
    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
    const kept = await get('/api/live', { 'x-request-id': 'lb-1a2B.3_c' });
    expect(kept.headers['x-request-id']).toBe('lb-1a2B.3_c');
    expect(t.logs.some((l) => l.includes('"reqId":"lb-1a2B.3_c"') && l.includes('request completed'))).toBe(true);
    for (const given of ['has spaces in it', 'x'.repeat(65), 'x'.repeat(200), '<script>', '']) {
      const res = await get('/api/live', { 'x-request-id': given });
      expect(res.headers['x-request-id'], given).toMatch(ownId);
    }
    expect((await get('/api/live')).headers['x-request-id']).toMatch(ownId);
    expect((await get('/api/live', { 'x-request-id': 'x'.repeat(64) })).headers['x-request-id']).toBe('x'.repeat(64));
    // Errors carry it too: unmatched, unauthenticated, refused.
    for (const res of [await get('/api/nowhere', { 'x-request-id': 'req-404' }), await get('/api/auth/me', { 'x-request-id': 'req-401' }), await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.0.0.5', headers: { 'x-request-id': 'req-metrics' } })]) {
      expect(res.headers['x-request-id']).toMatch(/^req-/);
      expect(res.json().error.requestId, 'only 5xx bodies name the request').toBeUndefined();
    }
  });

  it('puts the request id in the body of a 5xx, in the error shape, and never the cause', async () => {
    const app = Fastify({ logger: false, genReqId: requestIdOf });
    installErrorHandler(app);
    app.get('/boom', () => Promise.reject(new Error('secret internals at /srv/x.ts')));
    app.get('/down', () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })));
    try {
      const boom = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'support-1234' } });
      expect([boom.statusCode, boom.json()]).toEqual([500, { error: { code: 'INTERNAL', message: 'Internal error', requestId: 'support-1234' } }]);
      const down: LightMyRequestResponse = await app.inject({ method: 'GET', url: '/down' });
      expect(down.statusCode).toBe(503);
      expect(down.json().error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', requestId: expect.stringMatching(ownId) });
      expect(down.body).not.toContain('5432');
    } finally {
      await app.close();
    }
  });

  it('GET /api/live answers without the database; the probes and /metrics have no rate-limit class', async () => {
    const res = await t.anonymous().get('/api/live');
    expect([res.statusCode, res.json(), res.headers['cache-control']]).toEqual([200, { status: 'live' }, 'no-store']);
    expect((await t.anonymous().get('/api/ready')).json()).toEqual({ status: 'ready', database: engine });
    for (const url of ['/api/live', '/api/ready', '/api/health']) expect(rateLimitClassOf({ method: 'GET', url, config: { access: 'public' } }), url).toBeNull();
    expect(rateLimitClassOf({ method: 'GET', url: '/metrics' })).toBeNull();
    const text = await scrape();
    expect(sample(text, 'pacesetter_http_requests_total', { method: 'GET', route: '/api/live', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
  });
});
