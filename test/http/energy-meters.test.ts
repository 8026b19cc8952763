import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meter } from '../../src/server/modules/energy/energy.schemas';
import type { ImportResult } from '../../src/server/modules/imports/imports.schemas';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { multipartBody } from './route-matrix';

// The test's own meters carry the prefix TM- so they never meet demo energy data.
describe.each(engines)('energy meters on %s', (engine) => {
  let t: TestApp;
  let manager: Client;
  let clerk: Client;
  let viewer: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    manager = await t.login('manager');
    clerk = await t.login('clerk');
    viewer = await t.login('viewer');
  });
  afterAll(() => t?.close());

  const base = { nameZh: '表', carrier: 'power', kind: 'counter', uom: 'kWh', unit: 'DJ1' } as const;
  async function create(body: Record<string, unknown>): Promise<Meter> {
    const res = await manager.post('/api/energy/meters', { ...base, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  const errorOf = async (res: Promise<{ statusCode: number; json(): unknown }>) => {
    const r = await res;
    return [r.statusCode, (r.json() as { error: { code: string } }).error?.code] as const;
  };
  async function upload(client: Client, filename: string, content: string | Buffer, dryRun = false) {
    const form = multipartBody({ kind: 'meters', ...(dryRun ? { dryRun: 'true' } : {}), file: { filename, content } });
    return t.app.inject({ method: 'POST', url: '/api/imports', payload: form.payload, headers: { 'content-type': form.contentType, cookie: `ps_session=${client.cookie}`, 'x-csrf-token': client.csrf! } });
  }
  const auditCount = async (action: string) =>
    Number((await t.deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  it('creates a tree of meters with a virtual one; lists them by unit and carrier within the scope', async () => {
    const incoming = await create({ code: 'TM-DJ1-IN', nameZh: '电解一厂进线', rollover: 1e6, multiplier: 200 });
    expect(incoming).toMatchObject({ code: 'TM-DJ1-IN', kind: 'counter', unit: 'DJ1', parent: null, rollover: 1e6, multiplier: 200, intervalMinutes: 15, formula: [], version: 1, active: true, validFrom: '2000-01-01' });
    expect(incoming.key).toBeGreaterThan(0);
    await create({ code: 'TM-DJ1-OUT', nameZh: '转供出线', parent: 'TM-DJ1-IN' });
    await create({ code: 'TM-DJ1-DJ', nameZh: '电解车间', unit: 'DJ1-DJ', kind: 'interval', parent: 'TM-DJ1-IN' });
    const net = await create({ code: 'TM-DJ1-NET', nameZh: '电解一厂用电', kind: 'virtual', formula: [{ meter: 'TM-DJ1-IN', sign: 1 }, { meter: 'TM-DJ1-OUT', sign: -1 }] });
    expect(net.formula).toEqual([{ meter: 'TM-DJ1-IN', sign: 1 }, { meter: 'TM-DJ1-OUT', sign: -1 }]);
    await create({ code: 'TM-YH1-STEAM', nameZh: '氧化铝一厂蒸汽', unit: 'YH1', carrier: 'steam', uom: 't', kind: 'interval' });
    expect(await auditCount('meter.create')).toBe(5);

    const all = (await manager.get('/api/energy/meters')).json() as { rows: Meter[] };
    expect(all.rows.map((m) => m.code)).toEqual(expect.arrayContaining(['TM-DJ1-IN', 'TM-DJ1-OUT', 'TM-DJ1-DJ', 'TM-DJ1-NET', 'TM-YH1-STEAM']));
    expect(all.rows.find((m) => m.code === 'TM-DJ1-DJ')).toMatchObject({ parent: 'TM-DJ1-IN', unit: 'DJ1-DJ' });
    const steam = (await manager.get('/api/energy/meters?carrier=steam')).json() as { rows: Meter[] };
    expect(steam.rows.map((m) => m.code)).toEqual(['TM-YH1-STEAM']);
    const dj = (await manager.get('/api/energy/meters?unit=DJ1-DJ')).json() as { rows: Meter[] };
    expect(dj.rows.map((m) => m.code)).toEqual(['TM-DJ1-DJ']);
    // The DJ1 clerk (scope: own unit) sees DJ1's meters only; YH1's is not found.
    const mine = (await clerk.get('/api/energy/meters')).json() as { rows: Meter[] };
    expect(new Set(mine.rows.map((m) => m.unit))).toEqual(new Set(['DJ1']));
    expect((await clerk.get('/api/energy/meters/TM-YH1-STEAM')).statusCode).toBe(404);
    expect(await errorOf(clerk.get('/api/energy/meters?unit=YH1'))).toEqual([404, 'UNIT_NOT_FOUND']);
    expect((await viewer.get('/api/energy/meters/TM-DJ1-NET')).json()).toMatchObject({ code: 'TM-DJ1-NET', replacements: [] });
    // Maintenance needs indicator.write.
    expect((await clerk.post('/api/energy/meters', { ...base, code: 'TM-X' })).statusCode).toBe(403);
  });

  it('refuses what breaks the rules, with stable codes, and writes nothing', async () => {
    const before = (await manager.get('/api/energy/meters')).json() as { rows: Meter[] };
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-DJ1-IN' }))).toEqual([409, 'METER_EXISTS']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', unit: 'NOPE' }))).toEqual([404, 'UNIT_NOT_FOUND']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', kind: 'interval', rollover: 99999 }))).toEqual([422, 'ROLLOVER_NOT_COUNTER']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', kind: 'virtual' }))).toEqual([422, 'FORMULA_REQUIRED']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', formula: [{ meter: 'TM-DJ1-IN', sign: 1 }] }))).toEqual([422, 'FORMULA_NOT_VIRTUAL']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', kind: 'virtual', formula: [{ meter: 'TM-NOPE', sign: 1 }] }))).toEqual([422, 'FORMULA_METER_NOT_FOUND']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', kind: 'virtual', formula: [{ meter: 'TM-YH1-STEAM', sign: 1 }] }))).toEqual([422, 'FORMULA_MISMATCH']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', kind: 'virtual', formula: [{ meter: 'TM-BAD', sign: 1 }] }))).toEqual([422, 'FORMULA_CYCLE']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', parent: 'TM-NOPE' }))).toEqual([422, 'PARENT_NOT_FOUND']);
    // A DJ1 meter cannot hang under a meter of its own workshop (the parent is in the same unit or above).
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', parent: 'TM-DJ1-DJ' }))).toEqual([422, 'PARENT_OUTSIDE_UNIT']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', multiplier: 0 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', intervalMinutes: 7 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await errorOf(manager.post('/api/energy/meters', { ...base, code: 'TM-BAD', validFrom: '2026-01-01', validTo: '2025-01-01' }))).toEqual([422, 'VALID_TO_BEFORE_FROM']);

    // Transitive cycle: NET2 = NET, then NET = IN − OUT + NET2 would include itself.
    await create({ code: 'TM-DJ1-NET2', kind: 'virtual', formula: [{ meter: 'TM-DJ1-NET', sign: 1 }] });
    const net = (await manager.get('/api/energy/meters/TM-DJ1-NET')).json() as Meter;
    const put = (code: string, m: Meter, change: Record<string, unknown>) =>
      manager.put(`/api/energy/meters/${code}`, { nameZh: m.nameZh, nameEn: m.nameEn, carrier: m.carrier, kind: m.kind, uom: m.uom, unit: m.unit, parent: m.parent, rollover: m.rollover, multiplier: m.multiplier, intervalMinutes: m.intervalMinutes, formula: m.formula, validFrom: m.validFrom, validTo: m.validTo, sortOrder: m.sortOrder, active: m.active, version: m.version, ...change });
    expect(await errorOf(put('TM-DJ1-NET', net, { formula: [...net.formula, { meter: 'TM-DJ1-NET2', sign: 1 }] }))).toEqual([422, 'FORMULA_CYCLE']);
    // A parent cycle: IN under OUT, whose parent is IN.
    const incoming = (await manager.get('/api/energy/meters/TM-DJ1-IN')).json() as Meter;
    expect(await errorOf(put('TM-DJ1-IN', incoming, { parent: 'TM-DJ1-OUT' }))).toEqual([422, 'PARENT_CYCLE']);
    // A meter used in a formula cannot change its unit of measure under it.
    expect(await errorOf(put('TM-DJ1-IN', incoming, { uom: 'MWh' }))).toEqual([422, 'FORMULA_MISMATCH']);
    expect(await errorOf(put('TM-DJ1-IN', incoming, { version: 99 }))).toEqual([409, 'STALE_VERSION']);

    const ok = await put('TM-DJ1-IN', incoming, { nameZh: '电解一厂总进线', multiplier: 400 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ nameZh: '电解一厂总进线', multiplier: 400, version: 2 });
    expect(await auditCount('meter.update')).toBe(1);
    const after = (await manager.get('/api/energy/meters')).json() as { rows: Meter[] };
    expect(after.rows.length).toBe(before.rows.length + 1);
  });

  it('records a counter replacement once, with final and initial readings', async () => {
    const res = await manager.post('/api/energy/meters/TM-DJ1-OUT/replacements', { at: '2026-02-10 09:30', oldFinal: 98765.5, newInitial: 12, note: '换表' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ meter: 'TM-DJ1-OUT', at: '2026-02-10T01:30:00.000Z', oldFinal: 98765.5, newInitial: 12, note: '换表' });
    expect((await manager.get('/api/energy/meters/TM-DJ1-OUT')).json()).toMatchObject({ replacements: [{ at: '2026-02-10T01:30:00.000Z', oldFinal: 98765.5, newInitial: 12 }] });
    expect(await errorOf(manager.post('/api/energy/meters/TM-DJ1-OUT/replacements', { at: '2026-02-10T01:30:00Z', oldFinal: 1, newInitial: 0 }))).toEqual([409, 'REPLACEMENT_EXISTS']);
    expect(await errorOf(manager.post('/api/energy/meters/TM-DJ1-DJ/replacements', { at: '2026-02-10T01:30:00Z', oldFinal: 1, newInitial: 0 }))).toEqual([422, 'REPLACEMENT_NOT_COUNTER']);
    expect(await errorOf(manager.post('/api/energy/meters/TM-DJ1-IN/replacements', { at: '2026-02-10T01:30:00Z', oldFinal: 2e6, newInitial: 0 }))).toEqual([422, 'ABOVE_ROLLOVER']);
    expect(await errorOf(manager.post('/api/energy/meters/TM-DJ1-OUT/replacements', { at: 'yesterday', oldFinal: 1, newInitial: 0 }))).toEqual([422, 'INVALID_TIME']);
    expect(await errorOf(manager.post('/api/energy/meters/TM-NOPE/replacements', { at: '2026-02-10T01:30:00Z', oldFinal: 1, newInitial: 0 }))).toEqual([404, 'METER_NOT_FOUND']);
    expect(await auditCount('meter.replace')).toBe(1);
  });

  it('imports meters (Chinese headers, virtual formulas, parents later in the file), all or nothing', async () => {
    const good = [
      '表计编码,表计名称,能源介质,类型,计量单位,单位编码,满量程,倍率,上级表计编码,公式',
      'TM-YH1-WIN,氧化铝一厂新水进水,新水,累计,m3,YH1,999999,1,,',
      'TM-YH1-RC-W,溶出车间用水,水,区间,m3,YH1-RC,,,TM-YH1-WIN,',
      'TM-YH1-W-NET,一厂净用水,水,虚拟,m3,YH1,,,,TM-YH1-WIN - TM-YH1-RC-W',
      'TM-YH1-BS-W,焙烧用水,water,interval,m3,YH1-BS,,2.5,TM-YH1-WIN,',
    ].join('\n');
    const dry = await upload(manager, 'meters.csv', good, true);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ kind: 'meters', rows: 4, inserted: 4, dryRun: true });
    expect((await manager.get('/api/energy/meters/TM-YH1-WIN')).statusCode).toBe(404);
    const res = await upload(manager, 'meters.csv', good);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json() as ImportResult).toMatchObject({ kind: 'meters', rows: 4, inserted: 4, updated: 0, unchanged: 0, errors: [] });
    expect((await manager.get('/api/energy/meters/TM-YH1-W-NET')).json()).toMatchObject({ kind: 'virtual', formula: [{ meter: 'TM-YH1-WIN', sign: 1 }, { meter: 'TM-YH1-RC-W', sign: -1 }] });
    expect((await manager.get('/api/energy/meters/TM-YH1-BS-W')).json()).toMatchObject({ parent: 'TM-YH1-WIN', multiplier: 2.5, unit: 'YH1-BS', carrier: 'water' });
    const again = await upload(manager, 'meters.csv', good);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });

    const count = async () => Number((await t.deps.database.db.selectFrom('meters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const n = await count();
    const bad = [
      'code,name,carrier,kind,uom,unit_code,rollover,multiplier,formula',
      'TM-NEW-1,新表,power,counter,kWh,DJ1,1000000,1,', // fine on its own
      'TM-NEW-2,区间表,power,interval,kWh,DJ1,5000,1,', // rollover on an interval meter
      'TM-NEW-3,坏介质,oil,counter,kWh,DJ1,,1,', // unknown carrier
      'TM-NEW-4,无单位,power,counter,kWh,NOPE,,1,', // unknown unit
      'TM-NEW-5,自环,power,virtual,kWh,DJ1,,1,TM-NEW-5', // includes itself
      'TM-NEW-6,错介质,power,virtual,kWh,DJ1,,1,TM-YH1-WIN', // water in a power formula
      'TM-NEW-1,重复,power,counter,kWh,DJ1,,1,', // duplicate code
      'TM-NEW-7,倍率,power,counter,kWh,DJ1,,-2,', // negative multiplier
    ].join('\n');
    const refused = await upload(manager, 'meters-bad.csv', bad);
    expect(refused.statusCode).toBe(422);
    const body = refused.json() as ImportResult;
    expect(body).toMatchObject({ inserted: 0, updated: 0, unchanged: 0 });
    expect(body.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'rollover'],
      [4, 'carrier'],
      [5, 'unit_code'],
      [6, 'formula'],
      [7, 'formula'],
      [8, 'code'],
      [9, 'multiplier'],
    ]);
    expect(body.errors[3]!.message).toContain('itself');
    expect(await count()).toBe(n);
    // The clerk has import.run but not indicator.write.
    expect((await upload(clerk, 'meters.csv', good)).statusCode).toBe(403);
  });
});
