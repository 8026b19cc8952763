/**
 * The Idempotency-Key header (issue 8 item 4, DUR-2; src/server/idempotency.ts): a POST sent
 * twice with one key runs once and answers the same twice; another request under the key is
 * refused; concurrent duplicates run once; keys belong to their caller and live 24 hours. Then a
 * sweep over every creating POST of the route matrix.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyExpireJob } from '../../src/server/idempotency';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { callerFor, matrix, MatrixContext, multipartBody, type Call } from './route-matrix';

describe.each(engines)('Idempotency-Key on %s', (engine) => {
  let t: TestApp;
  let m: MatrixContext;
  let admin: Client;
  let security: Client;

  beforeAll(async () => {
    t = await createTestApp(engine);
    m = await MatrixContext.create(t);
    admin = await m.client('admin');
    security = await m.client('security');
  });
  afterAll(() => t?.close());

  const keyRows = async (key: string) => t.deps.database.raw<{ owner: string; state: string; status_code: number | null; route: string }>('SELECT owner, state, status_code, route FROM idempotency_keys WHERE key = $1', [key]);
  const unitsCoded = async (code: string) => Number((await t.deps.database.raw<{ n: number | string }>('SELECT count(*) AS n FROM units WHERE code = $1', [code]))[0]!.n);
  const post = (client: Client, url: string, body: unknown, key: string) => client.request('POST', url, body, { 'idempotency-key': key });
  const newUnit = (code: string) => ({ code, nameZh: `幂等${code}`, nameEn: code, kind: 'team', parentId: m.unitId('DJ1') });

  it('the same request twice: one row, the same status and body, the second marked as replayed', async () => {
    const key = randomUUID();
    const first = await post(admin, '/api/units', newUnit('IDEM-A'), key);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await post(admin, '/api/units', newUnit('IDEM-A'), key);
    expect(second.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['cache-control']).toBe('no-store');
    expect(await unitsCoded('IDEM-A')).toBe(1);
    expect(await keyRows(key)).toEqual([{ owner: expect.stringMatching(/^user:/), state: 'done', status_code: 201, route: '/api/units' }]);
    // Without the key the same body is a new request: the unit exists already.
    expect((await admin.post('/api/units', newUnit('IDEM-A'))).statusCode).toBe(409);
  });

  it('the key with another body, or on another route → 422 IDEMPOTENCY_KEY_REUSED, and nothing runs', async () => {
    const key = randomUUID();
    expect((await post(admin, '/api/units', newUnit('IDEM-B'), key)).statusCode).toBe(201);
    const other = await post(admin, '/api/units', newUnit('IDEM-C'), key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await unitsCoded('IDEM-C')).toBe(0);
    const elsewhere = await post(admin, '/api/notifications/read-all', {}, key);
    expect(elsewhere.statusCode).toBe(422);
  });

  it('an answer that is an error (4xx) is kept and replayed too; an invalid request claims no key', async () => {
    const key = randomUUID();
    const taken = await post(admin, '/api/units', newUnit('IDEM-A'), key);
    expect(taken.statusCode).toBe(409);
    const again = await post(admin, '/api/units', newUnit('IDEM-A'), key);
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const invalidKey = randomUUID();
    expect((await post(admin, '/api/units', { code: 'x' }, invalidKey)).statusCode).toBe(400);
    expect(await keyRows(invalidKey)).toEqual([]);
  });

  it('two concurrent requests with one key: exactly one runs; the other is told it is in progress (or gets the replay)', async () => {
    const key = randomUUID();
    const answers = await Promise.all([post(admin, '/api/units', newUnit('IDEM-D'), key), post(admin, '/api/units', newUnit('IDEM-D'), key), post(admin, '/api/units', newUnit('IDEM-D'), key)]);
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const a of answers) {
      if (a.statusCode === 409) expect(a.json().error.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
      else expect(a.statusCode).toBe(201);
    }
    expect(answers.filter((a) => a.statusCode === 201 && a.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await unitsCoded('IDEM-D')).toBe(1);
    expect(await keyRows(key)).toHaveLength(1);
  });

  it('keys belong to their caller: another user with the same key runs their own request', async () => {
    const key = `shared-${randomUUID()}`;
    const mine = await post(admin, '/api/units', newUnit('IDEM-E'), key);
    const theirs = await post(security, '/api/roles', { code: 'idem-role', nameZh: '幂等角色', nameEn: 'x', scope: 'own', permissions: ['unit.read'] }, key);
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect((await keyRows(key)).map((r) => r.route).sort()).toEqual(['/api/roles', '/api/units']);
  });

  it('a key is 1–200 visible ASCII characters; anything else is 400', async () => {
    for (const bad of ['', 'has space', 'x'.repeat(201), 'ключ']) {
      const res = await admin.request('POST', '/api/units', newUnit('IDEM-F'), { 'idempotency-key': bad });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_INVALID');
    }
    expect(await unitsCoded('IDEM-F')).toBe(0);
  });

  it('the stored answer is ciphertext, not the response', async () => {
    const key = randomUUID();
    const res = await post(admin, '/api/units', newUnit('IDEM-G'), key);
    expect(res.statusCode).toBe(201);
    const [row] = await t.deps.database.raw<{ response_enc: Uint8Array }>('SELECT response_enc FROM idempotency_keys WHERE key = $1', [key]);
    expect(Buffer.from(row!.response_enc).toString('latin1')).not.toContain('IDEM-G');
  });

  describe('every creating POST of the route matrix: sent twice with one key, answered once', () => {
    const creating = matrix.filter((c) => c.method === 'POST' && c.status === 201 && !c.label && callerFor(c) !== null);

    it('the matrix has creating POSTs to sweep', () => {
      expect(creating.length).toBeGreaterThan(40);
    });

    for (const c of creating) {
      it(`POST ${c.url}`, async () => {
        const who = callerFor(c);
        const call: Call = await c.build(m, who, 'allowed');
        const client = call.client ?? (await m.client(who!));
        const headers: Record<string, string> = { ...call.headers, 'idempotency-key': randomUUID() };
        if (client.cookie) headers.cookie = `ps_session=${client.cookie}`;
        if (client.csrf) headers['x-csrf-token'] = client.csrf;
        // The same bytes both times (a multipart boundary is random per encoding).
        const form = call.multipart ? multipartBody(call.multipart) : null;
        if (form) headers['content-type'] = form.contentType;
        else if (call.body !== undefined) headers['content-type'] = 'application/json';
        const options: InjectOptions = {
          method: 'POST',
          url: call.url,
          headers,
          ...(call.remoteAddress ? { remoteAddress: call.remoteAddress } : {}),
          ...(form ? { payload: form.payload } : call.body === undefined ? {} : { payload: JSON.stringify(call.body) }),
        };
        const first: LightMyRequestResponse = await t.app.inject(options);
        expect(first.statusCode, first.body.slice(0, 300)).toBe(201);
        await c.check(first, m, who, call);
        const second = await t.app.inject(options);
        expect(second.statusCode).toBe(201);
        expect(second.headers['idempotent-replayed']).toBe('true');
        expect(second.body).toBe(first.body);
      });
    }
  });

  it('a key lives 24 hours: then the same key runs anew, and the job deletes the old rows', async () => {
    const key = randomUUID();
    // Last in the file: a day later every session is over and the matrix fixtures' dates are past.
    const first = await post(admin, '/api/notifications/read-all', {}, key);
    expect(first.statusCode).toBe(200);
    expect((await post(admin, '/api/notifications/read-all', {}, key)).headers['idempotent-replayed']).toBe('true');
    t.clock.advance(24 * 3_600_000 + 1_000);
    const later = await post(await t.login('admin'), '/api/notifications/read-all', {}, key);
    expect(later.statusCode).toBe(200);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    const older = (await t.deps.database.raw<{ n: number | string }>('SELECT count(*) AS n FROM idempotency_keys WHERE created_at <= $1', [new Date(t.clock.now().getTime() - 24 * 3_600_000)]))[0]!.n;
    expect(Number(older)).toBeGreaterThan(0);
    const result = await idempotencyExpireJob.run(t.deps, t.clock.now());
    expect(result).toEqual({ deleted: Number(older) });
    expect(await keyRows(key)).toHaveLength(1);
    expect((await idempotencyExpireJob.run(t.deps, t.clock.now())).deleted).toBe(0);
  });
});
