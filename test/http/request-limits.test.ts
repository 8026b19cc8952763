/**
 * Request limits (issue 8 item 3, AV-2): a page size above a list's maximum is refused with 400
 * (never a 500, never a huge answer), on every paged list the OpenAPI document names; and the
 * Node HTTP timeouts that bound slow clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTimeouts } from '../../src/server/app';
import { createTestApp, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { callerFor, matrix, MatrixContext, routeKey } from './route-matrix';

interface Parameter {
  in: string;
  name: string;
  schema?: { maximum?: number };
}
type OpenApi = { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };

describe.each(engines)('request limits on %s', (engine) => {
  let t: TestApp;
  let m: MatrixContext;
  let paged: { url: string; param: string; maximum: number | undefined }[];

  beforeAll(async () => {
    t = await createTestApp(engine);
    m = await MatrixContext.create(t);
    const doc = (await t.anonymous().get('/api/openapi.json')).json() as OpenApi;
    paged = Object.entries(doc.paths).flatMap(([path, ops]) =>
      (ops.get?.parameters ?? [])
        .filter((p) => p.in === 'query' && (p.name === 'pageSize' || p.name === 'limit'))
        .map((p) => ({ url: path.replace(/\{(\w+)\}/g, ':$1'), param: p.name, maximum: p.schema?.maximum })),
    );
  });
  afterAll(() => t?.close());

  it('every paged list refuses pageSize (or limit) 100000 with 400 VALIDATION_FAILED naming the parameter', async () => {
    // The lists of today; a new paged list joins the sweep by itself.
    expect(paged.map((p) => `${p.url}?${p.param}`).sort()).toEqual(
      expect.arrayContaining(['/api/audit?pageSize', '/api/people?pageSize', '/api/passes?pageSize', '/api/health/cases?pageSize', '/api/health/quarantines?pageSize', '/api/health/declarations?pageSize', '/api/notices?limit', '/api/notifications?limit', '/api/energy/readings?limit']),
    );
    const problems: string[] = [];
    for (const p of paged) {
      expect(p.maximum, `${p.url} ${p.param} has no maximum`).toBeLessThan(100_000);
      const c = matrix.find((x) => routeKey(x.method, x.url) === routeKey('GET', p.url) && !x.label);
      expect(c, `no matrix entry for GET ${p.url}`).toBeDefined();
      const who = callerFor(c!);
      const client = who ? await m.client(who) : t.anonymous();
      const url = p.url.replace(/:(\w+)/g, () => m.unitId('GRP'));
      const tooBig = await client.get(`${url}?${p.param}=100000`);
      const atMax = await client.get(`${url}?${p.param}=${p.maximum}`);
      if (tooBig.statusCode !== 400 || tooBig.json().error?.code !== 'VALIDATION_FAILED' || !JSON.stringify(tooBig.json().error.details).includes(`querystring/${p.param}`)) {
        problems.push(`${p.url}?${p.param}=100000 → ${tooBig.statusCode} ${tooBig.body.slice(0, 200)}`);
      }
      // The maximum itself is a valid page size (other required parameters may still be missing).
      if (atMax.statusCode === 400 && JSON.stringify(atMax.json().error.details).includes(`querystring/${p.param}`)) problems.push(`${p.url}?${p.param}=${p.maximum} → 400 ${atMax.body.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('HTTP timeouts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { demo: false });
  });
  afterAll(() => t?.close());

  it('bounds the headers (slowloris), the whole request, and idle kept-alive connections', () => {
    const server = t.app.server;
    expect(server.headersTimeout).toBe(30_000);
    expect(server.requestTimeout).toBe(120_000);
    expect(server.keepAliveTimeout).toBe(72_000);
    expect(httpTimeouts).toEqual({ requestMs: 120_000, headersMs: 30_000, keepAliveMs: 72_000 });
    // Node checks the headers deadline only when it is shorter than the request's.
    expect(server.headersTimeout).toBeLessThan(server.requestTimeout);
    // Longer than the idle timeout of common proxies (nginx 60 s), so the proxy closes first.
    expect(server.keepAliveTimeout).toBeGreaterThan(60_000);
  });
});
