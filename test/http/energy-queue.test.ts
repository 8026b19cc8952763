import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { energyRecomputeJob } from '../../src/server/jobs/energy-recompute';
import { enqueueDays } from '../../src/server/modules/energy/daily.service';
import type { IngestResult } from '../../src/server/modules/energy/energy.schemas';
import { energyQueue } from '../../src/server/modules/energy/recompute-queue';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

type Row = { start: string; consumption: number | null; quality: number | null };
const H = 3_600_000;
const at = (day: string, hour: number) => new Date(Date.parse(`${day}T00:00:00+08:00`) + hour * H).toISOString();
/** Hourly register readings of a meter for the days given, advancing 10 per hour from `start`. */
const hourly = (meter: string, days: string[], start = 1000) => days.flatMap((day, d) => Array.from({ length: 24 }, (_, h) => ({ meter, at: at(day, h), value: start + (d * 24 + h) * 10 })));

describe.each(engines)('energy recompute queue on %s', (engine) => {
  let t: TestApp;
  let leader: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const manager = await t.login('manager');
    leader = await t.login('leader');
    for (const code of ['EQ-A', 'EQ-B', 'EQ-C']) {
      const res = await manager.post('/api/energy/meters', { code, nameZh: code, carrier: 'power', kind: 'counter', uom: 'kWh', unit: 'DJ1', intervalMinutes: 60 });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => t?.close());
  const meterId = async (code: string) => (await t.deps.database.db.selectFrom('meters').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const queued = async () => Number((await t.deps.database.db.selectFrom('energy_recompute_queue').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  it('an upload answers with the days it queued, and a read right after sees its own writes', async () => {
    const res = await leader.post('/api/energy/readings', { readings: [...hourly('EQ-A', ['2026-02-02', '2026-02-03']), { meter: 'EQ-A', at: at('2026-02-04', 0), value: 1480 }] });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as IngestResult;
    expect(result.accepted).toBe(49);
    // 2, 3 and 4 February, the 1st (the interval ending at the first reading) and the 5th (a counter's next day).
    expect(result.pendingDays).toBe(5);
    // No waiting: the read settles the meter's queued days first (whatever the background drain has done).
    const days = await leader.get('/api/energy/consumption?meter=EQ-A&from=2026-02-02&to=2026-02-03&interval=day');
    expect(days.statusCode, days.body).toBe(200);
    expect((days.json() as { rows: Row[] }).rows.map((r) => r.consumption)).toEqual([240, 240]);
    await t.app.energyQueue.idle();
    expect((await leader.get('/api/energy/queue')).json()).toEqual({ pendingDays: 0 });
  });

  it('the energy-recompute job drains days left in the queue (after a restart, say), and a second drain changes nothing', async () => {
    // Readings stored by an earlier process that stopped before recomputing: only the queue knows.
    const readings = hourly('EQ-B', ['2026-02-10']);
    const { db } = t.deps.database;
    const key = (await db.selectFrom('meters').select('key').where('code', '=', 'EQ-B').executeTakeFirstOrThrow()).key;
    await db.insertInto('meter_readings').values(readings.map((r) => ({ meter_key: key, at: new Date(r.at), value: r.value, received_at: t.clock.now(), batch_id: null }))).execute();
    const id = await meterId('EQ-B');
    await db.transaction().execute((trx) => enqueueDays(trx, new Map([[id, new Set(['2026-02-10'])]]), t.clock.now()));
    expect(await queued()).toBe(1);
    expect(await energyRecomputeJob.run(t.deps, t.clock.now())).toEqual({ days: 1, measurements: 0 });
    expect(await queued()).toBe(0);
    const row = await db.selectFrom('energy_daily').select(['consumption', 'intervals_received']).where('meter_id', '=', id).where('day', '=', '2026-02-10').executeTakeFirstOrThrow();
    expect(row).toEqual({ consumption: 230, intervals_received: 23 });
    expect(await energyRecomputeJob.run(t.deps, t.clock.now())).toEqual({ days: 0, measurements: 0 });
  });

  it('two servers draining one queue at once recompute each day once and lose none', async () => {
    const res = await leader.post('/api/energy/readings', { readings: hourly('EQ-C', ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08']) });
    expect(res.statusCode, res.body).toBe(200);
    await t.app.energyQueue.close(); // this app's own drain stays out of the race below
    const { db } = t.deps.database;
    const id = await meterId('EQ-C');
    // Queue a month of days for the meter (most have no readings: their rows are simply absent).
    const days = Array.from({ length: 31 }, (_, i) => `2026-01-${String(i + 1).padStart(2, '0')}`);
    await db.transaction().execute((trx) => enqueueDays(trx, new Map([[id, new Set(days)]]), t.clock.now()));
    const before = await queued();
    const [a, b] = [energyQueue(t.deps), energyQueue(t.deps)];
    const [ra, rb] = await Promise.all([a.settle(), b.settle()]);
    expect(ra.days + rb.days).toBe(before);
    expect(await queued()).toBe(0);
    const rows = await db.selectFrom('energy_daily').select(['day', 'consumption']).where('meter_id', '=', id).orderBy('day').execute();
    expect(rows.map((r) => [String(r.day).slice(0, 10), r.consumption])).toEqual([
      ['2026-01-05', 240],
      ['2026-01-06', 240],
      ['2026-01-07', 240],
      ['2026-01-08', 230],
    ]);
  });
});
