import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult } from '../../src/server/modules/energy/energy.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { multipartBody } from './route-matrix';

/**
 * Scope decision: a reading for a meter outside the caller's data scope is listed in `rejected`
 * exactly like an unknown meter ("no meter X"), so the answer reveals nothing about other units;
 * the rest of the request is still stored.
 */
describe.each(engines)('energy readings on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  let clerk: Client;
  let leader: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    manager = await t.login('manager');
    clerk = await t.login('clerk');
    leader = await t.login('leader');
    for (const m of [
      { code: 'TR-DJ1-P', unit: 'DJ1', kind: 'counter', rollover: 1e7 },
      { code: 'TR-DJ1-Q', unit: 'DJ1', kind: 'interval' },
      { code: 'TR-YH1-P', unit: 'YH1', kind: 'counter' },
      { code: 'TR-DJ1-V', unit: 'DJ1', kind: 'virtual', formula: [{ meter: 'TR-DJ1-P', sign: 1 }, { meter: 'TR-DJ1-Q', sign: -1 }] },
      { code: 'TR-BULK', unit: 'DJ1', kind: 'interval' },
    ]) {
      const res = await manager.post('/api/energy/meters', { nameZh: m.code, carrier: 'power', uom: 'kWh', ...m });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const send = async (client: Client, readings: unknown[]): Promise<IngestResult> => {
    t.clock.advance(1000); // batches in order of arrival
    const res = await client.post('/api/energy/readings', { readings });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return res.json();
  };
  const stored = async (meter: string) => {
    const res = await manager.get(`/api/energy/readings?meter=${meter}&limit=10000`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { rows: { at: string; value: number }[] }).rows;
  };
  async function uploadCsv(client: Client, filename: string, content: string | Buffer) {
    t.clock.advance(1000);
    const form = multipartBody({ file: { filename, content } });
    return t.app.inject({ method: 'POST', url: '/api/energy/readings/csv', payload: form.payload, headers: { 'content-type': form.contentType, cookie: `ps_session=${client.cookie}`, 'x-csrf-token': client.csrf! } });
  }

  it('accepts readings, counts a resend as duplicates, reports conflicts without overwriting', async () => {
    const first = await send(clerk, [
      { meter: 'TR-DJ1-P', at: '2026-02-01T00:00:00+08:00', value: 1000 },
      { meter: 'TR-DJ1-P', at: '2026-02-01T00:15:00+08:00', value: 1010.25 },
      { meter: 'TR-DJ1-P', at: '2026-01-31T16:30:00Z', value: 1020.5 }, // = 00:30 in Shanghai
      { meter: 'TR-DJ1-Q', at: '2026-02-01 00:15', value: 12.5 }, // no offset: Asia/Shanghai
    ]);
    expect(first).toMatchObject({ received: 4, accepted: 4, duplicates: 0, rejected: [] });
    expect(await stored('TR-DJ1-P')).toEqual([
      expect.objectContaining({ at: '2026-01-31T16:00:00.000Z', value: 1000 }),
      expect.objectContaining({ at: '2026-01-31T16:15:00.000Z', value: 1010.25 }),
      expect.objectContaining({ at: '2026-01-31T16:30:00.000Z', value: 1020.5 }),
    ]);
    expect((await stored('TR-DJ1-Q'))[0]).toMatchObject({ at: '2026-01-31T16:15:00.000Z', value: 12.5 });

    // The same request again: nothing counts twice.
    const resend = await send(clerk, [
      { meter: 'TR-DJ1-P', at: '2026-02-01T00:00:00+08:00', value: 1000 },
      { meter: 'TR-DJ1-P', at: '2026-02-01T00:15:00+08:00', value: 1010.25 },
      { meter: 'TR-DJ1-P', at: '2026-01-31T16:30:00Z', value: 1020.5 },
      { meter: 'TR-DJ1-Q', at: '2026-02-01 00:15', value: 12.5 },
    ]);
    expect(resend).toMatchObject({ accepted: 0, duplicates: 4, rejected: [] });

    // A different value for a stored time is a conflict, reported and not stored.
    const clash = await send(leader, [
      { meter: 'TR-DJ1-P', at: '2026-02-01T00:15:00+08:00', value: 1011 },
      { meter: 'TR-DJ1-P', at: '2026-02-01T00:45:00+08:00', value: 1030 },
    ]);
    expect(clash).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(clash.rejected).toEqual([{ index: 0, message: expect.stringMatching(/^conflict: stored 1010\.25, sent 1011/) }]);
    expect((await stored('TR-DJ1-P')).find((r) => r.at === '2026-01-31T16:15:00.000Z')!.value).toBe(1010.25);

    // Inside one request: the first wins, an identical repeat is a duplicate, a different one a conflict.
    const inner = await send(clerk, [
      { meter: 'TR-DJ1-Q', at: '2026-02-02T08:00:00+08:00', value: 5 },
      { meter: 'TR-DJ1-Q', at: '2026-02-02T00:00:00Z', value: 5 },
      { meter: 'TR-DJ1-Q', at: '2026-02-02T08:00', value: 6 },
    ]);
    expect(inner).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(inner.rejected).toEqual([{ index: 2, message: expect.stringContaining('conflict') }]);

    // Batches and audit: one row each per request, with the counts.
    const batches = await t.deps.database.db.selectFrom('reading_batches').selectAll().orderBy('created_at').execute();
    expect(batches.map((b) => [b.source, b.received, b.accepted, b.duplicates, b.rejected])).toEqual([
      ['api', 4, 4, 0, 0],
      ['api', 4, 0, 4, 0],
      ['api', 2, 1, 0, 1],
      ['api', 3, 1, 1, 1],
    ]);
    const linked = await t.deps.database.db.selectFrom('meter_readings').select('batch_id').where('batch_id', '=', batches[0]!.id).execute();
    expect(linked).toHaveLength(4);
    const audits = await t.deps.database.db.selectFrom('audit_log').select(['object_id', 'details']).where('action', '=', 'energy.readings').orderBy('seq').execute();
    expect(audits).toHaveLength(4);
    expect(audits[0]!.details).toMatchObject({ source: 'api', received: 4, accepted: 4, duplicates: 0, rejected: 0 });
  });

  it('accepts late and out-of-order data', async () => {
    const r = await send(clerk, [
      { meter: 'TR-DJ1-P', at: '2026-02-01T03:00:00+08:00', value: 1100 },
      { meter: 'TR-DJ1-P', at: '2026-02-01T01:00:00+08:00', value: 1050 },
      { meter: 'TR-DJ1-P', at: '2025-12-01T01:00:00+08:00', value: 10 }, // months late
    ]);
    expect(r).toMatchObject({ accepted: 3, duplicates: 0, rejected: [] });
    const ats = (await stored('TR-DJ1-P')).map((x) => x.at);
    expect(ats).toEqual([...ats].sort());
    expect(ats[0]).toBe('2025-11-30T17:00:00.000Z');
    const window = await manager.get('/api/energy/readings?meter=TR-DJ1-P&from=2026-02-01&to=2026-02-01&limit=2');
    expect(window.json()).toMatchObject({ meter: 'TR-DJ1-P', truncated: true, rows: [{ at: '2026-01-31T16:00:00.000Z' }, { at: '2026-01-31T16:15:00.000Z' }] });
  });

  it('rejects bad readings by index and keeps the good ones; scope, virtual meters', async () => {
    const r = await send(clerk, [
      { meter: 'TR-DJ1-Q', at: '2026-02-03T00:00:00+08:00', value: 1 }, // 0 ok
      { meter: 'TR-NOPE', at: '2026-02-03T00:00:00+08:00', value: 1 }, // 1 unknown meter
      { meter: 'TR-DJ1-Q', at: 'yesterday', value: 1 }, // 2 bad time
      { meter: 'TR-DJ1-Q', at: '2026-02-30T00:00:00+08:00', value: 1 }, // 3 no such date
      { meter: 'TR-DJ1-Q', at: '2026-02-03T00:15:00+08:00', value: 'abc' }, // 4 not a number
      { meter: 'TR-DJ1-Q', at: '2026-02-03T00:30:00+08:00', value: null }, // 5 no value
      { meter: 'TR-YH1-P', at: '2026-02-03T00:00:00+08:00', value: 1 }, // 6 outside the clerk's scope
      { meter: 'TR-DJ1-V', at: '2026-02-03T00:00:00+08:00', value: 1 }, // 7 virtual
      'not an object', // 8
      { meter: 'TR-DJ1-Q', at: '2027-02-03T00:00:00+08:00', value: 1 }, // 9 in the future
      { meter: 'TR-DJ1-Q', at: '2026-02-03T00:45:00+08:00', value: '2.5' }, // 10 ok: a numeric string
    ]);
    expect(r.accepted).toBe(2);
    expect(r.rejected.map((x) => x.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.rejected.find((x) => x.index === 6)!.message).toBe('meter: no meter TR-YH1-P');
    expect(r.rejected.find((x) => x.index === 1)!.message).toBe('meter: no meter TR-NOPE');
    expect(r.rejected.find((x) => x.index === 7)!.message).toContain('virtual');
    // The leader's scope (DJ1 subtree) does not include YH1 either; the manager has no measurement.enter.
    expect((await send(leader, [{ meter: 'TR-YH1-P', at: '2026-02-03T00:00:00+08:00', value: 1 }])).rejected).toHaveLength(1);
    expect((await manager.post('/api/energy/readings', { readings: [{ meter: 'TR-YH1-P', at: '2026-02-03T00:00:00+08:00', value: 1 }] })).statusCode).toBe(403);
    // The readings of YH1's meter are not visible to the clerk either.
    expect((await clerk.get('/api/energy/readings?meter=TR-YH1-P')).statusCode).toBe(404);
    // Shape errors of the request itself are 400s.
    expect((await clerk.post('/api/energy/readings', { readings: [] })).statusCode).toBe(400);
    expect((await clerk.post('/api/energy/readings', { rows: [] })).statusCode).toBe(400);
  });

  it('takes 50 000 readings in one request', { timeout: 180_000 }, async () => {
    const start = Date.parse('2025-06-01T00:00:00+08:00');
    const readings = Array.from({ length: 50_000 }, (_, i) => ({ meter: 'TR-BULK', at: new Date(start + i * 60_000).toISOString(), value: Math.round(Math.sin(i) * 1e6) / 1e3 }));
    const body = JSON.stringify({ readings });
    expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
    const t0 = performance.now();
    const res = await t.app.inject({ method: 'POST', url: '/api/energy/readings', payload: body, headers: { 'content-type': 'application/json', cookie: `ps_session=${clerk.cookie}`, 'x-csrf-token': clerk.csrf! } });
    const ms = performance.now() - t0;
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toMatchObject({ received: 50_000, accepted: 50_000, duplicates: 0, rejected: [] });
    console.log(`[${engine}] 50 000 readings in one request: ${ms.toFixed(0)} ms (${Math.round(50_000 / (ms / 1000))} readings/s, ${(body.length / 1024 / 1024).toFixed(1)} MB)`);
    const t1 = performance.now();
    const again = await t.app.inject({ method: 'POST', url: '/api/energy/readings', payload: body, headers: { 'content-type': 'application/json', cookie: `ps_session=${clerk.cookie}`, 'x-csrf-token': clerk.csrf! } });
    console.log(`[${engine}] the same 50 000 again (all duplicates): ${(performance.now() - t1).toFixed(0)} ms`);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 50_000, rejected: [] });
    const n = await t.deps.database.db.selectFrom('meter_readings as r').innerJoin('meters as m', 'm.key', 'r.meter_key').select((eb) => eb.fn.countAll<number>().as('n')).where('m.code', '=', 'TR-BULK').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(50_000);
    // More than 50 000 is refused as a whole.
    const tooMany = await clerk.post('/api/energy/readings', { readings: Array.from({ length: 50_001 }, () => ({})) });
    expect(tooMany.statusCode).toBe(400);
  });

  it('reads CSV files in UTF-8 (with BOM, English headers) and GBK (Chinese headers)', async () => {
    const utf8 = '\uFEFFmeter_code,timestamp,value\nTR-DJ1-Q,2026-02-04 00:00,3.5\nTR-DJ1-Q,2026-02-04 00:15,"1,234.5"\nTR-DJ1-Q,2026-02-04 00:30,oops\nTR-NOPE,2026-02-04 00:30,1\n';
    const a = await uploadCsv(clerk, 'readings.csv', utf8);
    expect(a.statusCode, a.body).toBe(200);
    const ra = a.json() as IngestResult;
    expect(ra).toMatchObject({ received: 4, accepted: 2, duplicates: 0 });
    expect(ra.rejected).toEqual([
      { index: 2, row: 4, message: expect.stringContaining('value') },
      { index: 3, row: 5, message: 'meter: no meter TR-NOPE' },
    ]);
    expect((await stored('TR-DJ1-Q')).find((r) => r.at === '2026-02-03T16:15:00.000Z')!.value).toBe(1234.5);

    const gbk = iconv.encode('表计编码,时间,读数\r\nTR-DJ1-Q,2026/2/4 0:00,3.5\r\nTR-DJ1-Q,2026/2/4 1:00,7\r\n', 'gbk');
    const b = await uploadCsv(leader, '读数.csv', gbk);
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json()).toMatchObject({ received: 2, accepted: 1, duplicates: 1, rejected: [] });
    const batch = await t.deps.database.db.selectFrom('reading_batches').selectAll().where('file_name', '=', '读数.csv').executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ file_name: '读数.csv', received: 2, accepted: 1, duplicates: 1, rejected: 0 });

    const noColumns = await uploadCsv(clerk, 'x.csv', 'code,when,value\nTR-DJ1-Q,2026-02-04 00:00,1\n');
    expect(noColumns.statusCode).toBe(422);
    expect(noColumns.json().error.code).toBe('READING_COLUMNS');
    const json = await clerk.post('/api/energy/readings/csv', { file: 'x' });
    expect(json.statusCode).toBe(415);
  });
});
