/**
 * Random input against every route of the matrix (route-matrix.test.ts proves it lists every
 * registered route), built from the route's schemas in the OpenAPI document: path parameters,
 * query and body. Each route is called as a demo user who passes its permission check
 * (route-matrix.ts says who: admin, security or auditor; anonymous for the sign-in), with the
 * CSRF token, from a fresh client address so per-IP rate limits never interfere.
 *
 * Property: no input makes the server answer 5xx, and every 4xx carries `{ error: { code, message } }`.
 *
 * The server bugs this file found are pinned by the "[SERVER BUG]" tests at the bottom. Until they
 * are fixed, the generators stay clear of the inputs that trigger them (see `knownBugs`), so the
 * properties keep looking for new problems instead of re-finding the known ones.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { callerFor, freshAddress, matrix, MatrixContext, routeKey, send, type Call, type RouteCase } from './route-matrix';

/**
 * Runs per property: 20 on each engine, new random inputs on every run of the suite (so the search
 * goes on from one CI run to the next); FUZZ_RUNS=500 for a deeper search.
 */
const numRuns = Number(process.env.FUZZ_RUNS ?? 20);

/**
 * SERVER BUG switch: inputs the server is known to answer with 500 (the "[SERVER BUG]" tests below
 * pin each one). Set to false once they are fixed, to let the fuzzer produce them again.
 */
const knownBugs = {
  /** U+0000 in any string that reaches PostgreSQL: "invalid byte sequence for encoding UTF8: 0x00". */
  nulCharacter: false,
  /**
   * An unpaired UTF-16 surrogate ("\ud800", valid in JSON) in a value the audit row copies into
   * its jsonb changes/details: "invalid input syntax for type json".
   */
  loneSurrogate: false,
  /** Dates in year 0000 (valid for zod's ISO regex, out of range for PostgreSQL). */
  yearZero: false,
  /** POST/PATCH /api/people with a userId that is no account: foreign-key violation. */
  unknownPersonUserId: false,
  /** PGlite only: audit from/to outside PostgreSQL's timestamp input range after the offset. */
  auditTimestampRange: false,
  /**
   * Not a 500, but the same class: the router's own errors (a path parameter over Fastify's
   * maxParamLength of 100 → 414, a malformed %-escape in the path → 400) skip the app's error
   * handler and answer Fastify's default body, not `{ error: { code, message } }`.
   */
  routerErrors: false,
};

/** Fastify's default maxParamLength. */
const maxParamLength = 100;

// ---- the OpenAPI document, reduced to what the generators need --------------------------------

interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}
interface Operation {
  method: RouteCase['method'];
  /** Fastify's template, /api/units/:id */
  url: string;
  body: JsonSchema | null;
  query: Record<string, JsonSchema>;
  path: Record<string, JsonSchema>;
}

function operationsOf(doc: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> }; parameters?: { in: string; name: string; schema: JsonSchema }[] }>> }): Operation[] {
  const out: Operation[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      out.push({
        method: method.toUpperCase() as Operation['method'],
        url: p.replace(/\{(\w+)\}/g, ':$1'),
        body: op.requestBody?.content['application/json']?.schema ?? null,
        query: Object.fromEntries(params.filter((x) => x.in === 'query').map((x) => [x.name, x.schema])),
        path: Object.fromEntries(params.filter((x) => x.in === 'path').map((x) => [x.name, x.schema])),
      });
    }
  }
  return out;
}

// ---- generators ------------------------------------------------------------------------------

/** Strings that have broken parsers, databases, logs and spreadsheets before. */
const naughty = [
  '',
  ' ',
  '   padded   ',
  '\t\n\r',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1F',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  "'; DROP TABLE units; --",
  "' OR '1'='1",
  '%',
  '_',
  '\\',
  '\\%_',
  '%00',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '=HYPERLINK("http://x")',
  '+1',
  '@SUM(A1)',
  'Ω≈ç√∫˜µ≤≥÷',
  '田中さんにあげて下さい',
  '电解一厂',
  '٩(-̮̮̃-̃)۶',
  '\u202eRTL override',
  '\u200b\u200c\u200d\ufeff',
  '𝕿𝖍𝖊 𝖖𝖚𝖎𝖈𝖐',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  'Z̮̞̠͙͔ͅḀ̗̞͈̻̗Ḷ͙͎̯̹̞͓G̻O̭̗̮',
  '\ud800',
  '\udfff\ud800',
  '１２３',
  'ABC'.repeat(20),
  'a'.repeat(257),
  'DJ1',
  'system-admin',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '2026-02-30',
  '2024-02-29',
  '9999-12-31',
  '0001-01-01',
  '2026-03-02T01:00:00Z',
  '2026-03-02T01:00:00+14:00',
  '2026-03-02T01:00:00.123456789-12:00',
];
if (!knownBugs.nulCharacter) naughty.push('\u0000', 'a\u0000b');
if (!knownBugs.yearZero) naughty.push('0000-01-01', '0000-02-29');
if (!knownBugs.auditTimestampRange) naughty.push('0000-01-01T00:00:00Z', '9999-12-31T23:59:59-12:00');

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Takes the known-bug characters out of a generated string (see knownBugs). */
function clean(s: string): string {
  let out = s;
  if (knownBugs.nulCharacter) out = out.replaceAll('\u0000', '');
  if (knownBugs.loneSurrogate) out = out.replace(loneSurrogate, '\ufffd');
  return out;
}

/** Any string: random (also astral and unpaired surrogates), naughty, or huge. */
const anyString: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 4, arbitrary: fc.constantFrom(...naughty) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 300_000 }).map((n) => 'x'.repeat(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => '电'.repeat(n)) },
  )
  .map(clean);

/** Any JSON value, whatever type the key wants. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  anyString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e-308, [], {}, [null], { '': null }),
);

function isoDate(): fc.Arbitrary<string> {
  return fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
}
function isoDateTime(): fc.Arbitrary<string> {
  // Years 1900–2999 stay inside what both engines can store whatever the offset (see knownBugs).
  return fc
    .tuple(fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('2999-12-30T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('Z', '+08:00', '-12:00', '+14:00', '.5Z', '.123456+05:30'))
    .map(([d, tail]) => d.toISOString().slice(0, 19) + tail);
}

/** Values of a key that its schema (mostly) accepts. */
function nearValue(schema: JsonSchema, pools: Pools, key: string, route: string): fc.Arbitrary<unknown> {
  const near: fc.Arbitrary<unknown>[] = [];
  if (schema.enum) near.push(fc.constantFrom(...schema.enum));
  else if (schema.type === 'string' && schema.format === 'uuid') {
    if (knownBugs.unknownPersonUserId && route.includes('/api/people') && key === 'userId') near.push(fc.constantFrom(...pools.userIds));
    else near.push(fc.uuid(), fc.constantFrom(...pools.unitIds, ...pools.userIds));
  } else if (schema.type === 'string' && schema.format === 'date') near.push(isoDate());
  else if (schema.type === 'string' && schema.format === 'date-time') near.push(isoDateTime());
  else if (schema.type === 'string' && schema.pattern) near.push(fc.stringMatching(new RegExp(schema.pattern)));
  else if (schema.type === 'string') near.push(fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 50 }).map(clean), fc.constantFrom(...naughty).map(clean));
  else if (schema.type === 'integer' || schema.type === 'number') {
    near.push(fc.integer({ min: 1, max: 3 }), fc.integer({ min: schema.minimum ?? -(2 ** 31), max: Math.min(schema.maximum ?? 2 ** 31, Number.MAX_SAFE_INTEGER) }));
    near.push(fc.constantFrom(0, -1, 2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -0, 0.5, 1e21));
  } else if (schema.type === 'boolean') near.push(fc.boolean());
  else if (schema.type === 'array') {
    const items = key === 'permissions' ? fc.constantFrom('unit.read', 'user.read', 'person.write', 'role.read', 'audit.read', 'nope') : key === 'roleCodes' ? fc.constantFrom(...pools.roleCodes, 'audit-admin', 'security-admin') : null;
    near.push(fc.array(items ?? (schema.items ? nearValue(schema.items, pools, key, route) : anyJson), { maxLength: (schema.maxItems ?? 5) + 1 }));
  } else near.push(anyJson);
  if (schema.nullable) near.push(fc.constant(null));
  return fc.oneof(...near);
}

/** Near-valid values of a key, mixed with values of every other type. */
function valueFor(schema: JsonSchema, pools: Pools, key: string, route: string): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: nearValue(schema, pools, key, route) }, { weight: 1, arbitrary: anyJson });
}

/**
 * Bodies: mostly valid ones (every required key, near-valid values) so the calls reach the
 * services, the same with one key of a wrong type, the route's keys with anything, unknown extra
 * keys, random JSON values and objects, and no body at all.
 */
function bodyFor(schema: JsonSchema, pools: Pools, route: string): fc.Arbitrary<unknown> {
  const props = schema.properties ?? {};
  const keys = Object.keys(props);
  const valid = fc.record(Object.fromEntries(keys.map((k) => [k, nearValue(props[k]!, pools, k, route)])), { requiredKeys: schema.required ?? [] });
  const oneWrong = keys.length ? fc.tuple(valid, fc.constantFrom(...keys), anyJson).map(([b, k, v]) => ({ ...b, [k]: v })) : valid;
  const shaped = fc.record(Object.fromEntries(keys.map((k) => [k, valueFor(props[k]!, pools, k, route)])), { requiredKeys: [] });
  const extra = fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }).map(clean), fc.constantFrom('__proto__', 'constructor', 'id', 'admin', 'role', 'version ')), anyJson, { minKeys: 1, maxKeys: 3 });
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 3, arbitrary: oneWrong },
    { weight: 2, arbitrary: shaped },
    { weight: 2, arbitrary: fc.tuple(valid, extra).map(([a, b]) => ({ ...b, ...a, ...b })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) },
    { weight: 1, arbitrary: keys.length ? fc.dictionary(fc.constantFrom(...keys), anyJson) : fc.object() },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** A path parameter, already %-encoded for the URL. */
function pathValue(name: string, route: string, pools: Pools): fc.Arbitrary<string> {
  const raw = fc.oneof(anyString, fc.constantFrom('', '.', '..', '%2e%2e', '00000000-0000-0000-0000-00000000000g', 'A0000000-0000-4000-8000-000000000000'));
  let junk: fc.Arbitrary<string>;
  // Over-long parameters are answered by the router (knownBugs.routerErrors): cut whole characters.
  const wellFormed = (s: string) => s.replace(loneSurrogate, '\ufffd'); // encodeURIComponent throws on lone surrogates
  if (knownBugs.routerErrors) junk = raw.map((s) => [...wellFormed(s)].reduce((acc, ch) => (acc.length + encodeURIComponent(ch).length <= maxParamLength ? acc + encodeURIComponent(ch) : acc), ''));
  else junk = fc.oneof(raw.map((s) => encodeURIComponent(wellFormed(s))), fc.constantFrom('%', '%zz', '%E0%A4%A', 'a%'));
  const known =
    name === 'code' ? fc.constantFrom(...pools.roleCodes) : route.startsWith('/api/auth/sessions') ? fc.stringMatching(/^[0-9a-f]{16}$/) : fc.constantFrom(...pools.unitIds, ...pools.userIds, ...pools.personIds);
  return fc.oneof({ weight: 3, arbitrary: known }, { weight: 2, arbitrary: fc.uuid() }, { weight: 2, arbitrary: junk });
}

function queryFor(op: Operation, pools: Pools): fc.Arbitrary<string> {
  const keys = Object.keys(op.query);
  const shaped = keys.length
    ? fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof({ weight: 6, arbitrary: nearValue(op.query[k]!, pools, k, op.url) }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: fc.array(anyString, { minLength: 2, maxLength: 3 }) })])), { requiredKeys: [] }).map((q) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(q)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, typeof one === 'string' ? one : JSON.stringify(one));
        return params.toString();
      })
    : fc.constant('');
  const raw = fc.oneof(
    fc.dictionary(anyString, anyString, { maxKeys: 4 }).map((d) => new URLSearchParams(d).toString()),
    fc.constantFrom('a[b]=1', 'page=%zz', '%', '&&&=', 'pageSize=1e3', 'page=0x10', 'from=%00'.replace(knownBugs.nulCharacter ? '%00' : '', ''), '__proto__[x]=1', 'constructor[prototype][x]=1', 'a=' + 'b'.repeat(5000)),
  );
  return fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: raw }, { weight: 1, arbitrary: fc.tuple(shaped, raw).map(([a, b]) => [a, b].filter(Boolean).join('&')) });
}

interface Pools {
  unitIds: string[];
  userIds: string[];
  personIds: string[];
  roleCodes: string[];
}

interface Input {
  path: Record<string, string>;
  query: string;
  body: unknown;
}

function inputFor(op: Operation, pools: Pools): fc.Arbitrary<Input> {
  return fc.record({
    path: fc.record(Object.fromEntries(Object.keys(op.path).map((k) => [k, pathValue(k, op.url, pools)]))),
    query: queryFor(op, pools),
    body: op.body ? bodyFor(op.body, pools, op.url) : fc.constant(undefined),
  }) as fc.Arbitrary<Input>;
}

function urlOf(op: Operation, input: Input): string {
  const p = op.url.replace(/:(\w+)/g, (_, k: string) => input.path[k] ?? '');
  return input.query ? `${p}?${input.query}` : p;
}

type ErrorLike = { error?: { code?: unknown; message?: unknown } } | null;

/** The property: no 5xx, and every 4xx has the error shape. Throws a readable message otherwise. */
function checkAnswer(res: LightMyRequestResponse, what: string): void {
  if (res.statusCode >= 500) throw new Error(`${what} → ${res.statusCode} ${res.body.slice(0, 300)}`);
  if (res.statusCode >= 400) {
    let body: ErrorLike | null = null;
    try {
      body = JSON.parse(res.body) as ErrorLike;
    } catch {
      /* fall through */
    }
    if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string') {
      throw new Error(`${what} → ${res.statusCode} without { error: { code, message } }: ${res.body.slice(0, 300)}`);
    }
    if (!String(res.headers['content-type']).startsWith('application/json')) throw new Error(`${what} → ${res.statusCode} as ${res.headers['content-type']}`);
  }
}

const describeInput = (method: string, url: string, body: unknown) => `${method} ${url.slice(0, 300)} ${body === undefined ? '(no body)' : JSON.stringify(body)?.slice(0, 300)}`;

describe.each(engines)('fuzzing the API on %s', (engine) => {
  let t: TestApp;
  let m: MatrixContext;
  let ops: Operation[];
  const pools: Pools = { unitIds: [], userIds: [], personIds: [], roleCodes: ['viewer', 'system-admin'] };

  beforeAll(async () => {
    t = await createTestApp(engine);
    m = await MatrixContext.create(t);
    ops = operationsOf((await t.anonymous().get('/api/openapi.json')).json());
    // Records the fuzzer may hit with a real id (never the demo accounts it signs in as).
    for (let i = 0; i < 3; i++) {
      pools.unitIds.push((await m.newUnit()).id);
      pools.userIds.push((await m.newUser()).id);
      pools.personIds.push((await m.newPerson()).id);
      pools.roleCodes.push((await m.newRole()).code);
    }
    pools.unitIds.push(m.unitId('GRP'));
  });
  afterAll(() => t?.close());

  /** The matrix case of an operation (the first, unlabelled one). */
  const caseOf = (method: string, url: string): RouteCase => {
    const c = matrix.find((x) => routeKey(x.method, x.url) === routeKey(method, url) && !x.label);
    if (!c) throw new Error(`no matrix entry for ${method} ${url}`);
    return c;
  };
  const clientFor = async (c: RouteCase): Promise<Client | null> => {
    const who = callerFor(c);
    return who ? m.client(who) : null;
  };

  async function inject(client: Client | null, method: string, url: string, body: unknown): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    if (client?.cookie) headers.cookie = `ps_session=${client.cookie}`;
    if (client?.csrf) headers['x-csrf-token'] = client.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return t.app.inject({
      method: method as 'GET',
      url,
      headers,
      remoteAddress: freshAddress(),
      ...(body === undefined ? {} : { payload: JSON.stringify(body) ?? 'null' }),
    });
  }

  it('every route of the OpenAPI document has a matrix entry (and so a property below)', () => {
    expect(ops.length).toBeGreaterThanOrEqual(30);
    for (const op of ops) expect(() => caseOf(op.method, op.url)).not.toThrow();
  });

  describe('random input never gives 5xx, and every 4xx is { error: { code, message } }', () => {
    // One property per route of the matrix (route-matrix.test.ts proves it lists every route): the
    // path, query and body come from the route's OpenAPI schema; a route without a query schema
    // still gets random query strings. The logout is left out: a valid call ends the session.
    for (const c of matrix.filter((x) => !x.label && x.url !== '/api/auth/logout')) {
      it(routeKey(c.method, c.url), async () => {
        const op = ops.find((o) => routeKey(o.method, o.url) === routeKey(c.method, c.url)) ?? { method: c.method, url: c.url, body: null, query: {}, path: {} };
        const client = await clientFor(c);
        await fc.assert(
          fc.asyncProperty(inputFor(op, pools), async (input) => {
            const url = urlOf(op, input);
            checkAnswer(await inject(client, op.method, url, input.body), describeInput(op.method, url, input.body));
          }),
          { numRuns },
        );
      });
    }

    it('bodies that are not JSON objects, on every route that takes a body', async () => {
      const withBody = ops.filter((op) => op.body);
      const raw = fc.oneof(
        fc.constantFrom('', '{', '}', '[', 'null', '"x"', '1', '{"a":}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\ufeff{}', '{}{}', '{"version":1,"version":2}'),
        fc.string({ maxLength: 50 }),
      );
      const type = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', '');
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: withBody.length - 1 }), raw, type, async (i, payload, contentType) => {
          const op = withBody[i]!;
          const client = await clientFor(caseOf(op.method, op.url));
          const url = op.url.replace(/:(\w+)/g, () => pools.unitIds[0]!);
          const headers: Record<string, string> = { ...(contentType ? { 'content-type': contentType } : {}) };
          if (client?.cookie) headers.cookie = `ps_session=${client.cookie}`;
          if (client?.csrf) headers['x-csrf-token'] = client.csrf;
          const res = await t.app.inject({ method: op.method, url, headers, payload, remoteAddress: freshAddress() });
          checkAnswer(res, `${op.method} ${url} [${contentType}] ${JSON.stringify(payload)}`);
          expect(res.statusCode, `${op.method} ${url} ${payload}`).toBeLessThan(500);
        }),
        { numRuns: numRuns * 2 },
      );
    });
  });

  describe('strict bodies and the body limit', () => {
    const bodyRoutes = () => matrix.filter((c) => !c.label && ['POST', 'PATCH', 'PUT'].includes(c.method));

    it('a valid body with one unknown field gives 400 VALIDATION_FAILED naming the field, on every route with a body schema', async () => {
      const withSchema = new Set(ops.filter((op) => op.body).map((op) => routeKey(op.method, op.url)));
      const checked: string[] = [];
      const problems: string[] = [];
      for (const c of bodyRoutes()) {
        if (!withSchema.has(routeKey(c.method, c.url))) continue;
        const who = callerFor(c);
        const call: Call = await c.build(m, who, 'allowed');
        const res = await send(t, who ? await m.client(who) : null, c.method, { ...call, remoteAddress: freshAddress(), body: { ...(call.body as object), unexpectedField: 'x' } });
        checked.push(routeKey(c.method, c.url));
        if (res.statusCode !== 400) {
          problems.push(`${c.method} ${c.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          continue;
        }
        const error = (res.json() as { error: { code: string; details: { path: string; message: string; keys?: string[] }[] } }).error;
        const named = error.details.some((d) => d.keys?.includes('unexpectedField') || d.message.includes('"unexpectedField"'));
        if (error.code !== 'VALIDATION_FAILED' || !named) problems.push(`${c.method} ${c.url}: ${res.body.slice(0, 300)}`);
      }
      expect(problems).toEqual([]);
      expect(checked.sort()).toEqual([...withSchema].sort());
      // Two POST routes without a body schema take no input at all (their body is ignored); the
      // import and the attachment upload take multipart/form-data, whose fields they check by hand.
      const bodiless = bodyRoutes().map((c) => routeKey(c.method, c.url)).filter((k) => !withSchema.has(k));
      // POST /api/energy/readings/csv is a multipart file upload as well.
      // Revoking a device, marking a transfer disinfected and recomputing health statuses take no
      // input either; the risk-area import is a multipart upload.
      expect(bodiless.sort()).toEqual([
        'POST /api/attachments', 'POST /api/audit/verify', 'POST /api/auth/logout', 'POST /api/devices/:id/revoke', 'POST /api/energy/readings/csv',
        'POST /api/health/risk-areas/import', 'POST /api/health/rules/recompute', 'POST /api/health/transfers/:id/disinfect', 'POST /api/imports',
      ]);
    });

    it('a 2 MB body gives 413 PAYLOAD_TOO_LARGE on every POST, PATCH and PUT route', async () => {
      const big = JSON.stringify({ filler: 'x'.repeat(2 * 1024 * 1024) });
      const problems: string[] = [];
      for (const c of bodyRoutes()) {
        const who = callerFor(c);
        // A session of its own for the logout, which would otherwise end the shared one.
        const client = c.url === '/api/auth/logout' ? await m.fresh(who ?? 'admin') : who ? await m.client(who) : null;
        const url = c.url.replace(/:(\w+)/g, (_, k: string) => (k === 'code' ? pools.roleCodes.at(-1)! : pools.unitIds[0]!));
        // Gate routes authenticate by the device's bearer token, before the body is read.
        const device = c.url.startsWith('/api/gate/') ? ((await c.build(m, who, 'allowed')).headers ?? {}) : {};
        const headers: Record<string, string> = { 'content-type': 'application/json', ...device };
        if (client?.cookie) headers.cookie = `ps_session=${client.cookie}`;
        if (client?.csrf) headers['x-csrf-token'] = client.csrf;
        const res = await t.app.inject({ method: c.method, url, headers, payload: big, remoteAddress: freshAddress() });
        // The imports (and the risk-area import) take files of up to 20 MB, as multipart only: a 2 MB JSON body is the wrong type.
        // The readings route takes up to 50 000 readings (about 3 MB of JSON; its own limit is 8 MB):
        // 2 MB is read and refused by validation. Its CSV upload, like the import, is multipart only.
        const [status, code] =
          c.url === '/api/imports' || c.url === '/api/energy/readings/csv' || c.url === '/api/health/risk-areas/import' ? [415, 'UNSUPPORTED_MEDIA_TYPE'] : c.url === '/api/energy/readings' ? [400, 'VALIDATION_FAILED'] : [413, 'PAYLOAD_TOO_LARGE'];
        if (res.statusCode !== status || res.json().error?.code !== code) problems.push(`${c.method} ${c.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
    });

    it('a body just under the 1 MiB limit is read (and refused by validation, not by size)', async () => {
      const admin = await m.client('admin');
      const res = await send(t, admin, 'POST', { url: '/api/units', body: { code: 'BIG', nameZh: 'x'.repeat(1024 * 1024 - 200), nameEn: 'x', kind: 'team', parentId: null } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    });
  });

  // ---- the server bugs the fuzzer found, one reproducer each ----------------------------------
  // Each asserts the correct behaviour (a 4xx with the error shape), so each fails until fixed.
  describe('known server bugs', () => {
    // SERVER BUG: U+0000 is valid JSON and passes every zod string schema, but PostgreSQL text
    // cannot hold it: "invalid byte sequence for encoding UTF8: 0x00" → 500 INTERNAL. The sign-in
    // form reaches it without an account. In the export the filter is written into the audit
    // row's jsonb `details` first ("unsupported Unicode escape sequence").
    it('[SERVER BUG] a NUL character in a string gives 4xx, not 500', async () => {
      const admin = await m.client('admin');
      const security = await m.client('security');
      const auditor = await m.client('auditor');
      const calls: [Client | null, string, string, unknown][] = [
        [null, 'POST', '/api/auth/login', { username: 'a\u0000', password: 'x' }],
        [admin, 'POST', '/api/units', { code: 'NUL', nameZh: 'a\u0000b', nameEn: 'x', kind: 'team', parentId: m.unitId('SJY') }],
        [admin, 'POST', '/api/people', { code: 'NUL', name: 'a\u0000b', unitId: null }],
        [security, 'POST', '/api/roles', { code: 'nul-role', nameZh: 'a\u0000b', nameEn: 'x', scope: 'own', permissions: [] }],
        [auditor, 'GET', '/api/audit?actor=%00', undefined],
        [auditor, 'GET', '/api/audit/export?action=%00', undefined],
      ];
      const problems: string[] = [];
      for (const [client, method, url, body] of calls) {
        try {
          checkAnswer(await inject(client, method, url, body), describeInput(method, url, body));
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
      expect(problems).toEqual([]);
    });

    // SERVER BUG: JSON may carry an unpaired surrogate ("\ud800"). Text columns store it as U+FFFD,
    // but where the raw request value is copied into the audit row's jsonb (`details.username` of a
    // failed sign-in, `changes` of user/role/unit edits), PostgreSQL refuses the JSON ("invalid
    // input syntax for type json") → 500, on both engines and, for the sign-in, without an account.
    it('[SERVER BUG] an unpaired surrogate in a string gives 4xx or is stored, not 500', async () => {
      const admin = await m.client('admin');
      const security = await m.client('security');
      const u = await m.newUnit();
      const r = await m.newRole();
      const calls: [Client | null, string, string, string][] = [
        [null, 'POST', '/api/auth/login', '{"username":"\\ud800","password":"x"}'],
        [admin, 'POST', '/api/users', `{"username":"surrogate","displayName":"\\ud800","unitId":null,"roleCodes":[],"password":"Start#2026x"}`],
        [admin, 'PATCH', `/api/units/${u.id}`, `{"version":${u.version},"nameEn":"\\udc00"}`],
        [security, 'POST', '/api/roles', '{"code":"surrogate-role","nameZh":"\\ud800","nameEn":"x","scope":"own","permissions":[]}'],
        [security, 'PATCH', `/api/roles/${r.code}`, `{"version":${r.version},"nameEn":"\\ud800"}`],
      ];
      const problems: string[] = [];
      for (const [client, method, url, payload] of calls) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (client?.cookie) headers.cookie = `ps_session=${client.cookie}`;
        if (client?.csrf) headers['x-csrf-token'] = client.csrf;
        const res = await t.app.inject({ method: method as 'POST', url, headers, payload, remoteAddress: freshAddress() });
        try {
          checkAnswer(res, `${method} ${url} ${payload}`);
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
      expect(problems).toEqual([]);
    });

    // SERVER BUG: z.iso.date() accepts year 0000, which PostgreSQL rejects ("date/time field value
    // out of range") → 500 on POST /api/units and PATCH /api/units/:id (validFrom).
    it('[SERVER BUG] a date in year 0000 gives 4xx, not 500', async () => {
      const admin = await m.client('admin');
      const create = await inject(admin, 'POST', '/api/units', { code: 'YEAR0', nameZh: 'x', nameEn: 'x', kind: 'team', parentId: m.unitId('SJY'), validFrom: '0000-01-01' });
      const u = await m.newUnit();
      const patch = await inject(admin, 'PATCH', `/api/units/${u.id}`, { version: u.version, validFrom: '0000-02-29' });
      const problems: string[] = [];
      for (const [what, res] of [['POST /api/units', create], ['PATCH /api/units/:id', patch]] as const) {
        try {
          checkAnswer(res, what);
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
      expect(problems).toEqual([]);
    });

    // SERVER BUG: people.service.ts writes body.userId without checking the account exists; the
    // foreign key people_user_id_fkey fails (23503), which the error handler turns into 500.
    // Expected: 404 USER_NOT_FOUND (or 422), as for an unknown unitId.
    it('[SERVER BUG] a person linked to an unknown account gives 4xx, not 500', async () => {
      const admin = await m.client('admin');
      const ghost = '00000000-0000-4000-8000-000000000000';
      const create = await inject(admin, 'POST', '/api/people', { code: 'GHOST1', name: 'Ghost', unitId: m.unitId('DJ1'), userId: ghost });
      const p = await m.newPerson();
      const patch = await inject(admin, 'PATCH', `/api/people/${p.id}`, { version: p.version, userId: ghost });
      const problems: string[] = [];
      for (const [what, res] of [['POST /api/people', create], ['PATCH /api/people/:id', patch]] as const) {
        try {
          checkAnswer(res, what);
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
      expect(problems).toEqual([]);
    });

    // SERVER BUG (PGlite only): the audit filters `from`/`to` go to the database as
    // Date.toISOString(); for year 0000 ("date/time field value out of range") and for instants
    // past year 9999 ("+010000-01-01T…", "time zone displacement out of range") PGlite fails →
    // 500. PostgreSQL (node-postgres formats dates itself) answers 200. On the export the failure
    // happens inside the CSV stream, after the text/csv header is set, so the 500 body is not even
    // the error shape: {"statusCode":500,"code":"FST_ERR_REP_INVALID_PAYLOAD_TYPE",…}.
    it('[SERVER BUG] audit filters at the edges of the date range give 200 or 4xx, not 500', async () => {
      const auditor = await m.client('auditor');
      const problems: string[] = [];
      for (const url of [
        '/api/audit?from=0000-01-01T00:00:00Z',
        '/api/audit?to=9999-12-31T23:59:59-12:00',
        '/api/audit/export?from=0000-01-01T00:00:00Z',
        '/api/audit/export?to=9999-12-31T23:59:59-12:00',
      ]) {
        try {
          checkAnswer(await inject(auditor, 'GET', url, undefined), `GET ${url}`);
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
      expect(problems).toEqual([]);
    });

    // SERVER BUG (error contract): errors raised by Fastify's router never reach the app's error
    // handler, so they answer Fastify's default body {"error":"Bad Request","code":"FST_ERR_…",
    // "message":"'<the whole URL>' is …","statusCode":…} instead of { error: { code, message } }:
    // a path parameter longer than maxParamLength (100) → 414 FST_ERR_MAX_PARAM_LENGTH, a
    // malformed %-escape in the path → 400 FST_ERR_BAD_URL. Both come before the guard, so
    // anonymous callers get them too. (Fastify's `frameworkErrors` option is the usual fix.)
    it('[SERVER BUG] router errors (over-long path parameter, malformed %-escape) use the error shape', async () => {
      const admin = await m.client('admin');
      const problems: string[] = [];
      for (const [client, method, url] of [
        [admin, 'PATCH', `/api/units/${'a'.repeat(maxParamLength + 1)}`],
        [null, 'PATCH', `/api/units/${'a'.repeat(maxParamLength + 1)}`],
        [admin, 'POST', '/api/units/%E0%A4%A/move'],
        [admin, 'DELETE', '/api/users/%zz/sessions'],
      ] as const) {
        const res = await inject(client, method, url, method === 'DELETE' ? undefined : { version: 1 });
        try {
          checkAnswer(res, `${method} ${url}`);
          if (res.statusCode < 400) problems.push(`${method} ${url} → ${res.statusCode}`);
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
      expect(problems).toEqual([]);
    });

    // SERVER BUG (minor): installErrorHandler (src/server/errors.ts) means to add `keys` to the
    // detail of an unrecognized-key issue, but looks for v.params.issue.keys, while
    // fastify-type-provider-zod 7 puts the fields straight into v.params (v.params.keys).
    // So `keys` is never sent; only the message ("Unrecognized key: \"x\"") names the field.
    it('[SERVER BUG] an unknown body field is named in details[].keys', async () => {
      const admin = await m.client('admin');
      const res = await send(t, admin, 'POST', { url: '/api/units', body: { code: 'KEYS', nameZh: 'x', nameEn: 'x', kind: 'team', parentId: m.unitId('SJY'), unexpectedField: 1 } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toEqual([expect.objectContaining({ path: 'body/', keys: ['unexpectedField'] })]);
    });
  });
});
