/**
 * Security headers (issue 8 item 3, IN-4 and PI-8; helmet and the hooks in src/server/app.ts):
 * a strict Content-Security-Policy without inline or eval'd scripts, frame denial twice (CSP
 * frame-ancestors and X-Frame-Options), nosniff, no referrer, HSTS only over HTTPS (behind a
 * trusted proxy that says so), and answers of the API never cached.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { accessFixtures } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

/** `a b; c d e` → { a: ['b'], c: ['d', 'e'] } */
function parseCsp(header: string | string[] | number | undefined): Record<string, string[]> {
  expect(typeof header).toBe('string');
  const out: Record<string, string[]> = {};
  for (const part of String(header).split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = values;
  }
  return out;
}

describe.each(engines)('security headers on %s', (engine) => {
  let t: TestApp;
  let behindProxy: FastifyInstance;
  let admin: Client;
  let personId: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    // The same database and services, as `serve` builds them with TRUST_PROXY=1.
    behindProxy = await buildApp(t.deps, { webDir: null, trustProxy: true });
    await behindProxy.ready();
    admin = await t.login('admin');
    personId = (await accessFixtures(t.deps).person()).id;
  });
  afterAll(async () => {
    await behindProxy?.close();
    await t?.close();
  });

  const pages = ['/api/health', '/api/auth/me', '/api/docs/', '/api/no-such-route'];

  it('a strict Content-Security-Policy: no inline or eval\'d scripts, no plugins, no framing, same-origin only', async () => {
    for (const url of pages) {
      const csp = parseCsp((await t.anonymous().get(url)).headers['content-security-policy']);
      expect(csp['default-src'], url).toEqual(["'self'"]);
      const scripts = csp['script-src'] ?? [];
      expect(scripts[0], url).toBe("'self'");
      // Only 'self' and the hashes of swagger-ui's own bootstrap scripts: nothing that runs injected markup.
      for (const source of scripts.slice(1)) expect(source, url).toMatch(/^'sha(256|384|512)-[A-Za-z0-9+/=]+'$/);
      expect(scripts.join(' ')).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic|\*|data:|https?:/);
      expect(csp['script-src-attr'], url).toEqual(["'none'"]);
      expect(csp['object-src'], url).toEqual(["'none'"]);
      expect(csp['frame-ancestors'], url).toEqual(["'none'"]);
      expect(csp['base-uri'], url).toEqual(["'self'"]);
      expect(csp['form-action'], url).toEqual(["'self'"]);
      expect(csp['connect-src'], url).toEqual(["'self'"]);
    }
  });

  it('nosniff, no referrer, frame denial (X-Frame-Options DENY to match frame-ancestors), same-origin isolation', async () => {
    for (const url of pages) {
      const res = await t.anonymous().get(url);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy'], url).toBe('same-origin');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('no HSTS over plain HTTP, whatever the client claims when no proxy is trusted', async () => {
    expect((await t.anonymous().get('/api/health')).headers['strict-transport-security']).toBeUndefined();
    const claimed = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
    const proxiedHttp = await behindProxy.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'http' } });
    expect(proxiedHttp.headers['strict-transport-security']).toBeUndefined();
  });

  it('HSTS for a year with sub-domains when the trusted proxy says the request came over HTTPS', async () => {
    for (const url of ['/api/health', '/api/docs/', '/api/no-such-route']) {
      const res = await behindProxy.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains');
    }
    // Errors carry it too.
    const refused = await behindProxy.inject({ method: 'POST', url: '/api/units', headers: { 'x-forwarded-proto': 'https' }, payload: {} });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('answers of the API are never cached: personal lists, details, errors', async () => {
    const responses: [string, LightMyRequestResponse][] = [
      ['/api/people/:id', await admin.get(`/api/people/${personId}`)],
      ['/api/people', await admin.get('/api/people')],
      ['/api/people?pageSize=100000', await admin.get('/api/people?pageSize=100000')],
      ['/api/auth/me', await admin.get('/api/auth/me')],
      ['/api/passes', await admin.get('/api/passes')],
      ['anonymous /api/people', await t.anonymous().get('/api/people')],
    ];
    expect(responses[0]![1].statusCode).toBe(200);
    expect(responses[0]![1].json()).toMatchObject({ id: personId });
    expect(responses[1]![1].statusCode).toBe(200);
    for (const [what, res] of responses) expect(res.headers['cache-control'], what).toBe('no-store');
  });
});
