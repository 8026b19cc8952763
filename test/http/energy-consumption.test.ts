import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perTonne } from '../../src/domain/energy/per-tonne';
import { energyFeedJob } from '../../src/server/jobs/energy-feed';
import type { IngestResult } from '../../src/server/modules/energy/energy.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

type Row = { start: string; consumption: number | null; quality: number | null };
const H = 3_600_000;
const at = (day: string, hour: number) => new Date(Date.parse(`${day}T00:00:00+08:00`) + hour * H).toISOString();

describe.each(engines)('energy consumption, quality and feeds on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  let leader: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    manager = await t.login('manager');
    leader = await t.login('leader');
    const hourly = { carrier: 'power', uom: 'kWh', unit: 'DJ1', intervalMinutes: 60 };
    for (const m of [
      { code: 'EC-P', kind: 'counter', rollover: 10_000, ...hourly },
      { code: 'EC-O1', kind: 'counter', ...hourly },
      { code: 'EC-O2', kind: 'counter', ...hourly },
      { code: 'EC-S', kind: 'counter', ...hourly },
      { code: 'EC-IN', kind: 'counter', ...hourly },
      { code: 'EC-OUT', kind: 'counter', ...hourly },
      { code: 'EC-V', kind: 'virtual', formula: [{ meter: 'EC-IN', sign: 1 }, { meter: 'EC-OUT', sign: -1 }], ...hourly },
      { code: 'EC-AC', kind: 'counter', carrier: 'power', uom: 'kWh', unit: 'DJ1', intervalMinutes: 1440 },
    ]) {
      const res = await manager.post('/api/energy/meters', { nameZh: m.code, ...m });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const send = async (readings: { meter: string; at: string; value: number }[]): Promise<IngestResult> => {
    t.clock.advance(1000);
    const res = await leader.post('/api/energy/readings', { readings });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const result = res.json() as IngestResult;
    // The batch queues the days it touched and answers; the server recomputes them in the background.
    if (result.accepted > 0) expect(result.pendingDays).toBeGreaterThan(0);
    await t.app.energyQueue.idle();
    expect((await leader.get('/api/energy/queue')).json()).toEqual({ pendingDays: 0 });
    return result;
  };
  const consumption = async (meter: string, from: string, to: string, interval: string): Promise<Row[]> => {
    const res = await leader.get(`/api/energy/consumption?meter=${meter}&from=${from}&to=${to}&interval=${interval}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { rows: Row[] }).rows;
  };

  it('a counter with a rollover and a replacement gives the right hourly and daily consumption', async () => {
    // The old register wraps at 10 000; at 12:00 it is exchanged (old final 20, new initial 0).
    const rep = await manager.post('/api/energy/meters/EC-P/replacements', { at: '2026-02-01T12:00:00+08:00', oldFinal: 20, newInitial: 0 });
    expect(rep.statusCode, rep.body).toBe(201);
    const readings = Array.from({ length: 25 }, (_, h) => ({ meter: 'EC-P', at: at('2026-02-01', h), value: h < 12 ? (9_900 + 10 * h) % 10_000 : 10 * (h - 12) }));
    expect(await send(readings)).toMatchObject({ accepted: 25, rejected: [] });
    const hours = await consumption('EC-P', '2026-02-01', '2026-02-01', 'hour');
    expect(hours).toHaveLength(24);
    for (const h of hours) expect(h.consumption).toBeCloseTo(10, 9);
    expect(hours[0]!.start).toBe('2026-02-01T00:00:00+08:00');
    const days = await consumption('EC-P', '2026-02-01', '2026-02-01', 'day');
    expect(days).toEqual([{ start: '2026-02-01T00:00:00+08:00', consumption: 240, quality: 100 }]);
    const body = (await leader.get('/api/energy/consumption?meter=EC-P&from=2026-02-01&to=2026-02-01&interval=month')).json();
    expect(body).toMatchObject({ meter: 'EC-P', unit: 'kWh', rows: [{ start: '2026-02-01T00:00:00+08:00', consumption: 240 }] });
  });

  it('out-of-order batches give the same days as in order; a resend changes nothing', async () => {
    const series = (meter: string) => {
      let v = 1000;
      return Array.from({ length: 49 }, (_, h) => ({ meter, at: at('2026-02-05', h), value: (v += h === 0 ? 0 : 5 + (h % 3)) }));
    };
    expect(await send(series('EC-O1'))).toMatchObject({ accepted: 49 });
    const shuffled = series('EC-O2').reverse();
    for (const part of [shuffled.slice(0, 10), shuffled.slice(30), shuffled.slice(10, 30)]) await send(part);
    const a = await consumption('EC-O1', '2026-02-05', '2026-02-06', 'day');
    const b = await consumption('EC-O2', '2026-02-05', '2026-02-06', 'day');
    expect(a).toHaveLength(2);
    expect(b).toEqual(a);
    expect(a[0]!.consumption! + a[1]!.consumption!).toBe(series('EC-O1')[48]!.value - 1000);

    const { db } = t.deps.database;
    const before = await db.selectFrom('energy_daily').select(['day', 'computed_at']).where('meter_id', '=', (await db.selectFrom('meters').select('id').where('code', '=', 'EC-O1').executeTakeFirstOrThrow()).id).orderBy('day').execute();
    expect(await send(series('EC-O1'))).toMatchObject({ accepted: 0, duplicates: 49 });
    const after = await db.selectFrom('energy_daily').select(['day', 'computed_at']).where('meter_id', '=', (await db.selectFrom('meters').select('id').where('code', '=', 'EC-O1').executeTakeFirstOrThrow()).id).orderBy('day').execute();
    expect(after).toEqual(before);
    expect(await consumption('EC-O1', '2026-02-05', '2026-02-06', 'day')).toEqual(a);
  });

  it('a stuck stretch marks the day suspect with EQ_STUCK; confirming it un-suspects it', async () => {
    let v = 500;
    const readings = Array.from({ length: 25 }, (_, h) => {
      if (h < 3 || h > 13) v += 7;
      return { meter: 'EC-S', at: at('2026-02-03', h), value: v };
    });
    await send(readings);
    const grid = async () => {
      const res = await leader.get('/api/energy/quality?unit=DJ1&from=2026-02-03&to=2026-02-03');
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { meters: { meter: string; days: { day: string; score: number; suspect: boolean; confirmed: boolean; findings: { code: string }[] }[] }[] }).meters.find((m) => m.meter === 'EC-S')!.days[0]!;
    };
    const day = await grid();
    expect(day).toMatchObject({ day: '2026-02-03', suspect: true, confirmed: false, score: 75 });
    expect(day.findings.map((f) => f.code)).toContain('EQ_STUCK');

    const bad = await leader.post('/api/energy/daily/EC-S/2026-02-03/confirm', {});
    expect(bad.statusCode).toBe(400);
    const ok = await leader.post('/api/energy/daily/EC-S/2026-02-03/confirm', { reason: '检修期间停机，读数正常' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ meter: 'EC-S', day: '2026-02-03', suspect: false, confirmed: true });
    expect(await grid()).toMatchObject({ suspect: false, confirmed: true });
    const again = await leader.post('/api/energy/daily/EC-S/2026-02-03/confirm', { reason: 'x' });
    expect(again.json()).toMatchObject({ error: { code: 'ENERGY_DAY_NOT_SUSPECT' } });
    const audit = await t.deps.database.db.selectFrom('audit_log').select(['action', 'object_id']).where('action', '=', 'energy.day.confirm').execute();
    expect(audit).toEqual([{ action: 'energy.day.confirm', object_id: 'EC-S/2026-02-03' }]);
  });

  it('a virtual meter (incoming − outgoing) sums its components', async () => {
    await send(Array.from({ length: 25 }, (_, h) => ({ meter: 'EC-IN', at: at('2026-02-04', h), value: 100 + 10 * h })));
    let days = await consumption('EC-V', '2026-02-04', '2026-02-04', 'day');
    // The outgoing meter has no data yet: the virtual day is there, without a consumption.
    expect(days).toEqual([{ start: '2026-02-04T00:00:00+08:00', consumption: null, quality: 0 }]);
    await send(Array.from({ length: 25 }, (_, h) => ({ meter: 'EC-OUT', at: at('2026-02-04', h), value: 50 + 2 * h })));
    days = await consumption('EC-V', '2026-02-04', '2026-02-04', 'day');
    expect(days).toEqual([{ start: '2026-02-04T00:00:00+08:00', consumption: 240 - 48, quality: 100 }]);
    const hours = await consumption('EC-V', '2026-02-04', '2026-02-04', 'hour');
    expect(hours).toHaveLength(24);
    expect(hours.every((h) => Math.abs(h.consumption! - 8) < 1e-9)).toBe(true);
  });

  it('the feed writes the month as a meter measurement; per tonne = Σ consumption ÷ Σ production; a typed value is not overwritten', async () => {
    const feed = await manager.put('/api/energy/feeds', { indicator: 'DJ_AC_KWH', unit: 'DJ1', meter: 'EC-AC' });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.json()).toMatchObject({ indicator: 'DJ_AC_KWH', unit: 'DJ1', meter: 'EC-AC' });
    // Checks: a per-tonne (formula) indicator cannot be fed; the unit of measure must match.
    expect((await manager.put('/api/energy/feeds', { indicator: 'DJ_AC_KWH_T', unit: 'DJ1', meter: 'EC-AC' })).json()).toMatchObject({ error: { code: 'FEED_INDICATOR_NOT_SUM' } });
    expect((await manager.put('/api/energy/feeds', { indicator: 'DJ_AL_OUT', unit: 'DJ1', meter: 'EC-AC' })).json()).toMatchObject({ error: { code: 'FEED_UOM_MISMATCH' } });

    // Production per day, and the month's output typed as the benchmarking quantity.
    const days = Array.from({ length: 28 }, (_, i) => `2026-02-${String(i + 1).padStart(2, '0')}`);
    for (const [i, day] of days.entries()) {
      const res = await leader.put('/api/energy/production', { unit: 'DJ1', day, product: 'aluminium', quantity: 690 + (i % 5) * 3, uom: 't' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const production = (await leader.get('/api/energy/production?unit=DJ1&from=2026-02-01&to=2026-02-28')).json() as { rows: { day: string; quantity: number }[] };
    expect(production.rows).toHaveLength(28);
    const produced = production.rows.reduce((s, r) => s + r.quantity, 0);
    const entry = await leader.put('/api/entry', { unit: 'DJ1', period: '2026-02', values: [{ indicator: 'DJ_AL_OUT', value: produced }, { indicator: 'DJ_DC_KWH', value: 123 }] });
    expect(entry.statusCode, entry.body).toBe(200);
    // DJ_DC_KWH is typed: a feed onto it clashes.
    expect((await manager.put('/api/energy/feeds', { indicator: 'DJ_DC_KWH', unit: 'DJ1', meter: 'EC-AC' })).statusCode).toBe(200);

    // Daily readings of the register at midnight, 1 Feb … 1 Mar.
    let v = 1_000_000;
    const readings = [...days, '2026-03-01'].map((day, i) => {
      if (i > 0) v += 14_000_000 + i * 1000;
      return { meter: 'EC-AC', at: `${day}T00:00:00+08:00`, value: v };
    });
    expect(await send(readings)).toMatchObject({ accepted: 29 });

    const { db } = t.deps.database;
    const measurement = (code: string) =>
      db
        .selectFrom('measurements as m')
        .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
        .innerJoin('units as u', 'u.id', 'm.unit_id')
        .select(['m.value', 'm.source', 'm.source_ref', 'm.status', 'm.approved_by'])
        .where('i.code', '=', code)
        .where('u.code', '=', 'DJ1')
        .where('m.period', '=', '2026-02')
        .executeTakeFirst();
    const fed = await measurement('DJ_AC_KWH');
    const total = readings[28]!.value - readings[0]!.value;
    expect(fed).toMatchObject({ source: 'meter', source_ref: 'meter:EC-AC', status: 'approved', approved_by: null });
    expect(Number(fed!.value)).toBeCloseTo(total, 6);
    expect(await measurement('DJ_DC_KWH')).toMatchObject({ source: 'entry' });
    expect(Number((await measurement('DJ_DC_KWH'))!.value)).toBe(123);

    // The job reports the clash and leaves the typed value.
    const job = await energyFeedJob.run(t.deps, t.clock.now());
    expect(job).toMatchObject({ written: 0, updated: 0 });
    expect(job.clashes).toEqual([expect.objectContaining({ indicator: 'DJ_DC_KWH', unit: 'DJ1', period: '2026-02', existing: 123, existingSource: 'entry' })]);
    expect(Number((await measurement('DJ_DC_KWH'))!.value)).toBe(123);

    // Per tonne in the scorecard = Σ consumption ÷ Σ production over the month's days.
    const daily = await consumption('EC-AC', '2026-02-01', '2026-02-28', 'day');
    const byDay = new Map(daily.map((d) => [d.start.slice(0, 10), d.consumption!]));
    const expected = perTonne(production.rows.map((p) => ({ consumption: byDay.get(p.day)!, production: p.quantity }))).value!;
    const card = await leader.get('/api/scorecard?unit=DJ1&period=2026-02');
    expect(card.statusCode, card.body).toBe(200);
    const row = (card.json() as { rows: { indicator: string; actual: number | null }[] }).rows.find((r) => r.indicator === 'DJ_AC_KWH_T')!;
    // The scorecard shows DJ_AC_KWH_T at its precision (0 decimals); the ratio of the stored sums is exact.
    expect(row.actual).toBe(Math.round(expected));
    expect(Number((await measurement('DJ_AC_KWH'))!.value) / Number((await measurement('DJ_AL_OUT'))!.value)).toBeCloseTo(expected, 9);

    // A later correction of the readings updates the meter value (audited).
    await db.deleteFrom('meter_readings').where('at', '=', new Date(readings[28]!.at)).execute();
    expect(await send([{ ...readings[28]!, value: readings[28]!.value + 500 }])).toMatchObject({ accepted: 1 });
    expect(Number((await measurement('DJ_AC_KWH'))!.value)).toBeCloseTo(total + 500, 6);
    const audits = await db.selectFrom('audit_log').select(['action', 'object_id']).where('action', '=', 'measurement.meter').execute();
    expect(audits).toHaveLength(2);

    // Every scope is a ratio of sums: with January and March fed too, the quarter and the year to
    // date are Σ kWh ÷ Σ t over the three months, not the mean of the months' ratios.
    t.clock.advance(31 * 86_400_000); // 2 April: March is over
    leader = await t.login('leader');
    const march = Array.from({ length: 31 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`);
    for (const [i, day] of march.entries()) {
      const res = await leader.put('/api/energy/production', { unit: 'DJ1', day, product: 'aluminium', quantity: 640 + (i % 7) * 11, uom: 't' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const marchProduced = march.reduce((sum, _, i) => sum + 640 + (i % 7) * 11, 0);
    expect((await leader.put('/api/entry', { unit: 'DJ1', period: '2026-03', values: [{ indicator: 'DJ_AL_OUT', value: marchProduced }] })).statusCode).toBe(200);
    let w = readings[28]!.value + 500;
    expect(await send([...march.slice(1), '2026-04-01'].map((day, i) => ({ meter: 'EC-AC', at: `${day}T00:00:00+08:00`, value: (w += 9_000_000 + i * 7919) })))).toMatchObject({ accepted: 31 });
    // A quarter needs all its months: January too (a small register advance, another ratio altogether).
    const january = Array.from({ length: 31 }, (_, i) => `2026-01-${String(i + 1).padStart(2, '0')}`);
    for (const day of january) expect((await leader.put('/api/energy/production', { unit: 'DJ1', day, product: 'aluminium', quantity: 700, uom: 't' })).statusCode).toBe(200);
    expect((await leader.put('/api/entry', { unit: 'DJ1', period: '2026-01', values: [{ indicator: 'DJ_AL_OUT', value: 31 * 700 }] })).statusCode).toBe(200);
    expect(await send(january.map((day, i) => ({ meter: 'EC-AC', at: `${day}T00:00:00+08:00`, value: readings[0]!.value - (31 - i) * 25_000 })))).toMatchObject({ accepted: 31 });
    const fedKwh = async (period: string) => Number((await db.selectFrom('measurements as m').innerJoin('indicators as i', 'i.id', 'm.indicator_id').innerJoin('units as u', 'u.id', 'm.unit_id').select('m.value').where('i.code', '=', 'DJ_AC_KWH').where('u.code', '=', 'DJ1').where('m.period', '=', period).executeTakeFirstOrThrow()).value);
    const kwh = { jan: await fedKwh('2026-01'), feb: await fedKwh('2026-02'), mar: await fedKwh('2026-03') };
    expect(kwh.jan).toBeCloseTo(31 * 25_000, 6);
    expect(kwh.mar).toBeCloseTo(w - (readings[28]!.value + 500), 6);
    const tonnes = { jan: 31 * 700, feb: produced, mar: marchProduced };
    const pooled = (kwh.jan + kwh.feb + kwh.mar) / (tonnes.jan + tonnes.feb + tonnes.mar);
    const meanOfMonths = (kwh.jan / tonnes.jan + kwh.feb / tonnes.feb + kwh.mar / tonnes.mar) / 3;
    expect(Math.round(pooled)).not.toBe(Math.round(meanOfMonths)); // the data tell the two apart
    // The same from the daily rows: Σ daily consumption ÷ Σ daily production over the quarter.
    const allDays = await consumption('EC-AC', '2026-01-01', '2026-03-31', 'day');
    const dailyProduction = (await leader.get('/api/energy/production?unit=DJ1&from=2026-01-01&to=2026-03-31')).json() as { rows: { day: string; quantity: number }[] };
    const consumptionOn = new Map(allDays.map((d) => [d.start.slice(0, 10), d.consumption!]));
    expect(perTonne(dailyProduction.rows.map((p) => ({ consumption: consumptionOn.get(p.day)!, production: p.quantity }))).value!).toBeCloseTo(pooled, 9);
    for (const url of ['/api/scorecard?unit=DJ1&period=2026-Q1', '/api/scorecard?unit=DJ1&period=2026-03&scope=ytd']) {
      const res = await leader.get(url);
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { rows: { indicator: string; actual: number | null }[] }).rows.find((r) => r.indicator === 'DJ_AC_KWH_T')!.actual, url).toBe(Math.round(pooled));
    }
  });
});
