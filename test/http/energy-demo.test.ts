import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnergyFaults, demoEnergyFeeds, demoMeters, demoProductionDaily, demoReadings } from '../../src/server/demo/demo-energy';
import { seedDemo } from '../../src/server/demo/seed';
import { createTestApp, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

/** The demo with PACESETTER_DEMO_ENERGY=small: what lands in the database. */
describe.each(engines)('demo energy data, small (%s)', (engine) => {
  let t: TestApp;
  const meters = demoMeters('small');
  let readingCount = 0;
  for (const chunk of demoReadings('small')) readingCount += chunk.length;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { PACESETTER_DEMO_ENERGY: 'small' } });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const count = async (table: 'meters' | 'meter_readings' | 'meter_replacements' | 'production_daily' | 'energy_feeds' | 'reading_batches') => {
    const row = await t.deps.database.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return row.n;
  };

  it('reads the volume from the environment', () => {
    expect(t.deps.config.demoEnergy).toBe('small');
  });

  it('loads the meters, readings, replacement, production and feeds with one batch and one audit row', async () => {
    const { db } = t.deps.database;
    expect(await count('meters')).toBe(meters.length);
    expect(meters.length).toBe(20);
    expect(await count('meter_readings')).toBe(readingCount);
    expect(await count('meter_replacements')).toBe(1);
    expect(await count('production_daily')).toBe(demoProductionDaily().length);
    const codes = new Set(meters.map((m) => m.code));
    expect(await count('energy_feeds')).toBe(demoEnergyFeeds.filter((f) => codes.has(f.meter)).length);
    const batches = await db.selectFrom('reading_batches').selectAll().execute();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ source: 'demo', received: readingCount, accepted: readingCount, duplicates: 0, rejected: 0 });
    const audits = await db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'system.seed_demo_energy').execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ volume: 'small', meters: 20, readings: readingCount, replacements: 1 });
  });

  it('stores the tree, the virtual formulas and the documented fault values', async () => {
    const { db } = t.deps.database;
    const rows = await db.selectFrom('meters').select(['id', 'code', 'parent_id', 'kind', 'formula', 'rollover', 'multiplier', 'interval_minutes']).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const m of meters) {
      const row = rows.find((r) => r.code === m.code)!;
      expect(row.parent_id ? byId.get(row.parent_id)!.code : null).toBe(m.parent);
      expect(row.formula).toEqual(m.formula);
      expect([row.kind, row.rollover, Number(row.multiplier), row.interval_minutes]).toEqual([m.kind, m.rollover, m.multiplier, m.intervalMinutes]);
    }
    const reset = demoEnergyFaults.reset;
    const stored = await db
      .selectFrom('meter_readings')
      .innerJoin('meters', 'meters.key', 'meter_readings.meter_key')
      .select(['meter_readings.at', 'meter_readings.value'])
      .where('meters.code', '=', reset.meter)
      .where('meter_readings.at', '>=', new Date(Date.parse(reset.at) - 15 * 60_000))
      .orderBy('meter_readings.at')
      .limit(2)
      .execute();
    expect(stored.map((r) => new Date(r.at).getTime())).toEqual([Date.parse(reset.at) - 15 * 60_000, Date.parse(reset.at)]);
    expect(stored[0]!.value).toBe(reset.registerBefore);
    expect(stored[1]!.value).toBeLessThan(1000);
    const rep = await db.selectFrom('meter_replacements').innerJoin('meters', 'meters.id', 'meter_replacements.meter_id').select(['meters.code', 'at', 'old_final', 'new_initial']).executeTakeFirstOrThrow();
    expect({ code: rep.code, at: new Date(rep.at).getTime(), oldFinal: rep.old_final, newInitial: rep.new_initial }).toEqual({
      code: demoEnergyFaults.replacement.meter,
      at: Date.parse(demoEnergyFaults.replacement.at),
      oldFinal: demoEnergyFaults.replacement.oldFinal,
      newInitial: demoEnergyFaults.replacement.newInitial,
    });
  });

  it('seeding again changes nothing', async () => {
    await seedDemo(t.deps);
    expect(await count('meters')).toBe(meters.length);
    expect(await count('meter_readings')).toBe(readingCount);
    expect(await count('reading_batches')).toBe(1);
  });

  it('shows the meters through the API', async () => {
    const manager = await t.login('manager');
    const res = await manager.get('/api/energy/meters');
    expect(res.statusCode).toBe(200);
    const listed = new Set((res.json() as { rows: { code: string }[] }).rows.map((r) => r.code));
    for (const m of meters) expect(listed.has(m.code)).toBe(true);
  });
});

describe.each(engines)('demo energy data, default (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('loads no energy data unless asked', async () => {
    expect(t.deps.config.demoEnergy).toBe('none');
    const row = await t.deps.database.db.selectFrom('meters').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(row.n).toBe(0);
  });
});
