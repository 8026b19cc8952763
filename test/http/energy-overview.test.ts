import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Overview } from '../../src/server/modules/energy/overview.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

type Series = { rows: { consumption: number | null }[] };
const from = '2020-02-01';
const to = '2020-02-29';

/** The energy dashboard over the small demo: per-unit roots, carrier totals, the Sankey's flows, the data scope. */
describe.each(engines)('energy overview (%s)', (engine) => {
  let t: TestApp;
  let leader: Client;
  let manager: Client;
  beforeAll(async () => {
    t = await createTestApp(engine, { env: { PACESETTER_DEMO_ENERGY: 'small' } });
    leader = await t.login('leader');
    manager = await t.login('manager');
  }, 180_000);
  afterAll(() => t?.close());

  const sum = async (c: Client, meter: string) => {
    const res = await c.get(`/api/energy/consumption?meter=${meter}&from=${from}&to=${to}&interval=day`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as Series).rows.reduce((s, r) => s + (r.consumption ?? 0), 0);
  };
  const overview = async (c: Client, query = '') => {
    const res = await c.get(`/api/energy/overview?from=${from}&to=${to}${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Overview;
  };

  it('sums each unit’s root meters and passes the tree’s cross-unit meters as flows (the leader sees 电解一厂 only)', async () => {
    const o = await overview(leader);
    expect(new Set(o.units.map((u) => u.unit))).toEqual(new Set(['DJ1', 'DJ1-DJ', 'DJ1-DJ-A1', 'DJ1-ZZ']));
    const dj1Power = o.units.find((u) => u.unit === 'DJ1' && u.carrier === 'power')!;
    expect(dj1Power.meters).toEqual(['DJ1-P-MAIN']);
    expect(dj1Power.uom).toBe('kWh');
    expect(dj1Power.consumption).toBeCloseTo(await sum(leader, 'DJ1-P-MAIN'), 3);
    const dj1Air = o.units.find((u) => u.unit === 'DJ1' && u.carrier === 'air')!;
    expect(dj1Air.meters).toEqual(['DJ1-AIR-MAIN']);
    expect(dj1Air.consumption).toBeGreaterThan(0);
    // Carrier totals: only DJ1 counts (the units below it are inside its incoming meter).
    expect(o.carriers.find((c) => c.carrier === 'air')).toEqual({ carrier: 'air', uom: 'm³', consumption: dj1Air.consumption, units: ['DJ1'] });

    const airFlows = o.flows.filter((f) => f.carrier === 'air');
    const toDj = airFlows.find((f) => f.source === 'DJ1' && f.target === 'DJ1-DJ')!;
    expect(toDj.meters.sort()).toEqual(['DJ1-AIR-02', 'DJ1-AIR-03', 'DJ1-AIR-04']);
    const expected = (await sum(leader, 'DJ1-AIR-02')) + (await sum(leader, 'DJ1-AIR-03')) + (await sum(leader, 'DJ1-AIR-04'));
    expect(toDj.value).toBeCloseTo(expected, 3);
    expect(airFlows.find((f) => f.target === 'DJ1-DJ-A1')?.meters).toEqual(['DJ1-AIR-01']);
    expect(airFlows.find((f) => f.target === 'DJ1-ZZ')?.meters).toEqual(['DJ1-AIR-05']);
    // DJ1-AIR-06 stays inside DJ1: no flow from a unit to itself.
    expect(o.flows.every((f) => f.source !== f.target)).toBe(true);
    expect(o.flows.find((f) => f.carrier === 'power' && f.target === 'DJ1-ZZ')?.meters).toEqual(['DJ1-P-ZZ']);
  });

  it('shows the group manager every site, in common units (MWh as kWh), and narrows to one unit', async () => {
    const o = await overview(manager);
    const units = new Set(o.units.map((u) => u.unit));
    for (const u of ['DJ1', 'DL', 'YH2', 'TS']) expect(units.has(u), u).toBe(true);
    const dlGas = o.units.find((u) => u.unit === 'DL' && u.carrier === 'gas')!;
    expect(dlGas.consumption).toBeCloseTo(await sum(manager, 'DL-G-MAIN'), 3);
    for (const u of o.units.filter((x) => x.carrier === 'power')) expect(u.uom).toBe('kWh');
    const only = await overview(manager, '&unit=DJ1-DJ');
    expect(new Set(only.units.map((u) => u.unit))).toEqual(new Set(['DJ1-DJ', 'DJ1-DJ-A1']));
  });

  it('refuses a unit outside the scope and a reversed range', async () => {
    expect((await leader.get(`/api/energy/overview?from=${from}&to=${to}&unit=YH2`)).json()).toMatchObject({ error: { code: 'UNIT_NOT_FOUND' } });
    const bad = await leader.get(`/api/energy/overview?from=${to}&to=${from}`);
    expect([bad.statusCode, (bad.json() as { error: { code: string } }).error.code]).toEqual([422, 'INVALID_RANGE']);
  });
});
