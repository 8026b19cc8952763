import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Building, Checkpoint, GridCell, Household, Site } from '../../src/server/modules/sites/sites.schemas';
import { accessFixtures, type AccessFixtures } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

// The test's own sites and checkpoints carry the prefix T1- so they never meet demo access data.
describe.each(engines)('sites, grid cells, buildings, households, checkpoints on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  let guard: Client;
  let leader: Client;
  let manager: Client;
  let viewer: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    access = await t.login('access');
    guard = await t.login('guard');
    leader = await t.login('leader');
    manager = await t.login('manager');
    viewer = await t.login('viewer');
  });
  afterAll(() => t?.close());

  const errorOf = async (res: Promise<{ statusCode: number; json(): unknown }>) => {
    const r = await res;
    return [r.statusCode, (r.json() as { error?: { code: string } }).error?.code] as const;
  };
  const audits = (action: string, objectId: string) =>
    t.deps.database.db.selectFrom('audit_log').select(['action', 'actor_username', 'changes', 'details']).where('action', '=', action).where('object_id', '=', objectId).orderBy('seq').execute();
  async function createSite(body: Record<string, unknown>): Promise<Site> {
    const res = await access.post('/api/sites', { nameZh: '测试小区', kind: 'community', unit: 'WZBW', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  it('creates a site with every field and shows it to the users whose scope covers its unit', async () => {
    const site = await createSite({
      code: 'T1-CX', nameZh: '翠溪北区', nameEn: 'Cuixi North', accessLevel: 'restricted', temperatureMode: 'required', feverThresholdC: 37.5, householdQuota: { days: 2, count: 1 }, capacity: 3000,
    });
    expect(site).toMatchObject({
      code: 'T1-CX', nameZh: '翠溪北区', nameEn: 'Cuixi North', kind: 'community', accessLevel: 'restricted', unit: 'WZBW', unitName: '武装保卫部', temperatureMode: 'required', feverThresholdC: 37.5,
      householdQuota: { days: 2, count: 1 }, capacity: 3000, counts: { gridCells: 0, buildings: 0, households: 0, checkpoints: 0, people: 0 }, version: 1,
    });
    // Defaults: open, temperature optional at 37.3 °C, no household rule, no capacity.
    const plant = await createSite({ code: 'T1-PLANT', nameZh: '厂区', kind: 'plant' });
    expect(plant).toMatchObject({ kind: 'plant', accessLevel: 'open', temperatureMode: 'optional', feverThresholdC: 37.3, householdQuota: null, capacity: null, nameEn: null });
    const created = await audits('site.create', 'T1-CX');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor_username: 'access', changes: { accessLevel: { new: 'restricted' }, unit: { new: 'WZBW' }, capacity: { new: 3000 } } });

    const list = (await access.get('/api/sites')).json() as { rows: Site[] };
    expect(list.rows.find((s) => s.code === 'T1-CX')).toEqual(site);
    expect((await access.get('/api/sites?kind=plant')).json()).toMatchObject({ rows: expect.arrayContaining([expect.objectContaining({ code: 'T1-PLANT' })]) });
    expect(((await access.get('/api/sites?kind=plant')).json() as { rows: Site[] }).rows.every((s) => s.kind === 'plant')).toBe(true);
    expect(((await access.get('/api/sites?accessLevel=restricted')).json() as { rows: Site[] }).rows.map((s) => s.code)).toContain('T1-CX');
    expect((await access.get('/api/sites/T1-CX')).json()).toEqual(site);
    // The guard (scope: WZBW) and the group manager (scope: all) see it; the DJ1 leader does not.
    expect((await guard.get('/api/sites/T1-CX')).json()).toMatchObject({ code: 'T1-CX' });
    expect((await manager.get('/api/sites/T1-CX')).json()).toMatchObject({ code: 'T1-CX' });
    expect(await errorOf(leader.get('/api/sites/T1-CX'))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(((await leader.get('/api/sites')).json() as { rows: Site[] }).rows.map((s) => s.code)).not.toContain('T1-CX');
    expect(await errorOf(leader.get('/api/sites/T1-CX/grid-cells'))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(await errorOf(viewer.get('/api/sites'))).toEqual([403, 'FORBIDDEN']);
    // A site of DJ1 is the leader's, not the access administrator's.
    const dj1 = await f.site({ code: 'T1-DJ1', unitCode: 'DJ1' });
    expect((await leader.get(`/api/sites/${dj1.code}`)).json()).toMatchObject({ code: 'T1-DJ1', unit: 'DJ1' });
    expect(await errorOf(access.get(`/api/sites/${dj1.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(await errorOf(access.patch(`/api/sites/${dj1.code}`, { version: 1, accessLevel: 'closed' }))).toEqual([404, 'SITE_NOT_FOUND']);
  });

  it('refuses bad sites with stable codes and writes nothing', async () => {
    const before = await t.deps.database.db.selectFrom('sites').select('code').execute();
    const base = { code: 'T1-BAD', nameZh: '坏', kind: 'community', unit: 'WZBW' };
    expect(await errorOf(access.post('/api/sites', { ...base, code: 'T1-CX' }))).toEqual([409, 'SITE_EXISTS']);
    expect(await errorOf(access.post('/api/sites', { ...base, unit: 'NOPE' }))).toEqual([404, 'UNIT_NOT_FOUND']);
    expect(await errorOf(access.post('/api/sites', { ...base, unit: 'DJ1' }))).toEqual([404, 'UNIT_NOT_FOUND']);
    expect(await errorOf(access.post('/api/sites', { ...base, unit: null }))).toEqual([422, 'UNIT_REQUIRED']);
    expect(await errorOf(access.post('/api/sites', { ...base, code: 'T1 BAD' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await errorOf(access.post('/api/sites', { ...base, kind: 'village' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await errorOf(access.post('/api/sites', { ...base, feverThresholdC: 37.25 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await errorOf(access.post('/api/sites', { ...base, feverThresholdC: 45 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await errorOf(access.post('/api/sites', { ...base, householdQuota: { days: 0, count: 1 } }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await errorOf(access.post('/api/sites', { ...base, extra: 1 }))).toEqual([400, 'VALIDATION_FAILED']);
    // Maintenance needs access.write: the guard and the manager may only look.
    expect(await errorOf(guard.post('/api/sites', base))).toEqual([403, 'FORBIDDEN']);
    expect(await errorOf(manager.post('/api/sites', base))).toEqual([403, 'FORBIDDEN']);
    expect(await t.deps.database.db.selectFrom('sites').select('code').execute()).toEqual(before);
  });

  it('changes a site with its version; a changed access level is its own audit row with old and new', async () => {
    const site = await createSite({ code: 'T1-LEVEL' });
    const res = await access.patch('/api/sites/T1-LEVEL', { version: 1, accessLevel: 'closed', capacity: 500, householdQuota: { days: 3, count: 2 }, nameEn: 'Level' });
    expect(res.statusCode, res.body).toBe(200);
    const changed = res.json() as Site;
    expect(changed).toMatchObject({ accessLevel: 'closed', capacity: 500, householdQuota: { days: 3, count: 2 }, nameEn: 'Level', nameZh: site.nameZh, kind: 'community', version: 2 });
    const level = await audits('site.access-level', 'T1-LEVEL');
    expect(level).toHaveLength(1);
    expect(level[0]).toMatchObject({ actor_username: 'access', changes: { accessLevel: { old: 'open', new: 'closed' } }, details: { site: 'T1-LEVEL' } });
    const update = await audits('site.update', 'T1-LEVEL');
    expect(update).toHaveLength(1);
    expect(update[0]!.changes).toEqual({ capacity: { old: null, new: 500 }, householdQuota: { old: null, new: { days: 3, count: 2 } }, nameEn: { old: null, new: 'Level' } });

    // A stale version is refused and changes nothing.
    expect(await errorOf(access.patch('/api/sites/T1-LEVEL', { version: 1, accessLevel: 'open' }))).toEqual([409, 'STALE_VERSION']);
    expect((await access.get('/api/sites/T1-LEVEL')).json()).toMatchObject({ accessLevel: 'closed', version: 2 });

    // Only the level: no site.update row; clearing the quota and the capacity.
    const reopened = (await access.patch('/api/sites/T1-LEVEL', { version: 2, accessLevel: 'open' })).json() as Site;
    expect(reopened).toMatchObject({ accessLevel: 'open', version: 3 });
    expect(await audits('site.update', 'T1-LEVEL')).toHaveLength(1);
    expect((await audits('site.access-level', 'T1-LEVEL')).map((a) => a.changes)).toEqual([{ accessLevel: { old: 'open', new: 'closed' } }, { accessLevel: { old: 'closed', new: 'open' } }]);
    const cleared = (await access.patch('/api/sites/T1-LEVEL', { version: 3, householdQuota: null, capacity: null, temperatureMode: 'off' })).json() as Site;
    expect(cleared).toMatchObject({ householdQuota: null, capacity: null, temperatureMode: 'off', version: 4 });
    // Nothing to change: the same version comes back and no audit row is written.
    const same = (await access.patch('/api/sites/T1-LEVEL', { version: 4, temperatureMode: 'off' })).json() as Site;
    expect(same.version).toBe(4);
    expect(await audits('site.update', 'T1-LEVEL')).toHaveLength(2);
    expect(await errorOf(access.patch('/api/sites/T1-LEVEL', { version: 4, unit: 'DJ1' }))).toEqual([404, 'UNIT_NOT_FOUND']);
    expect(await errorOf(access.patch('/api/sites/T1-NOPE', { version: 1, capacity: 1 }))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(await errorOf(access.patch('/api/sites/T1-LEVEL', { capacity: 1 }))).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('grid cells with grid workers, buildings in cells, households in buildings, with counts', async () => {
    const site = await createSite({ code: 'T1-GRID' });
    const worker = await f.person({ code: 'T1-W1', name: '网格员甲', category: 'employee', unitId: (await t.deps.database.db.selectFrom('units').select('id').where('code', '=', 'WZBW').executeTakeFirstOrThrow()).id });
    // A resident without a unit is in scope through the site.
    const resident = await f.person({ code: 'T1-W2', name: '居民乙', siteId: site.id });

    const cellRes = await access.post('/api/sites/T1-GRID/grid-cells', { code: 'G1', name: '第一网格', worker: worker.code });
    expect(cellRes.statusCode, cellRes.body).toBe(201);
    const cell = cellRes.json() as GridCell;
    expect(cell).toMatchObject({ site: 'T1-GRID', code: 'G1', name: '第一网格', worker: { code: 'T1-W1', name: '网格员甲' }, buildings: 0, version: 1 });
    expect((await access.post('/api/sites/T1-GRID/grid-cells', { code: 'G2', name: '第二网格' })).json()).toMatchObject({ code: 'G2', worker: null });
    expect(await errorOf(access.post('/api/sites/T1-GRID/grid-cells', { code: 'G1', name: '重复' }))).toEqual([409, 'GRID_CELL_EXISTS']);
    // E0001 is a DJ1 person: outside the access administrator's scope.
    expect(await errorOf(access.post('/api/sites/T1-GRID/grid-cells', { code: 'G3', name: 'x', worker: 'E0001' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(await errorOf(access.post('/api/sites/T1-GRID/grid-cells', { code: 'G3', name: 'x', worker: 'NOBODY' }))).toEqual([404, 'PERSON_NOT_FOUND']);

    const patched = await access.patch('/api/sites/T1-GRID/grid-cells/G1', { version: 1, name: '一网格', worker: resident.code });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: '一网格', worker: { code: 'T1-W2', name: '居民乙' }, version: 2 });
    expect(await errorOf(access.patch('/api/sites/T1-GRID/grid-cells/G1', { version: 1, name: '旧' }))).toEqual([409, 'STALE_VERSION']);
    expect((await access.patch('/api/sites/T1-GRID/grid-cells/G1', { version: 2, worker: null })).json()).toMatchObject({ worker: null, name: '一网格', version: 3 });
    expect(await errorOf(access.patch('/api/sites/T1-GRID/grid-cells/G9', { version: 1, name: 'x' }))).toEqual([404, 'GRID_CELL_NOT_FOUND']);
    expect((await audits('grid-cell.update', 'T1-GRID/G1')).map((a) => a.changes)).toEqual([{ name: { old: '第一网格', new: '一网格' }, worker: { old: 'T1-W1', new: 'T1-W2' } }, { worker: { old: 'T1-W2', new: null } }]);

    const b1 = await access.post('/api/sites/T1-GRID/buildings', { code: 'B3', name: '3号楼', gridCell: 'G1' });
    expect(b1.statusCode, b1.body).toBe(201);
    expect(b1.json()).toMatchObject({ site: 'T1-GRID', code: 'B3', name: '3号楼', gridCell: 'G1', households: 0, version: 1 });
    expect((await access.post('/api/sites/T1-GRID/buildings', { code: 'B4', name: '4号楼' })).json()).toMatchObject({ gridCell: null });
    expect(await errorOf(access.post('/api/sites/T1-GRID/buildings', { code: 'B5', name: 'x', gridCell: 'G9' }))).toEqual([404, 'GRID_CELL_NOT_FOUND']);
    expect(await errorOf(access.post('/api/sites/T1-GRID/buildings', { code: 'B3', name: 'x' }))).toEqual([409, 'BUILDING_EXISTS']);

    const h1 = await access.post('/api/sites/T1-GRID/households', { code: '3-2-401', building: 'B3' });
    expect(h1.statusCode, h1.body).toBe(201);
    const household = h1.json() as Household;
    expect(household).toMatchObject({ site: 'T1-GRID', code: '3-2-401', building: 'B3', members: 0 });
    expect((await access.post('/api/sites/T1-GRID/households', { code: '3栋2单元402' })).json()).toMatchObject({ code: '3栋2单元402', building: null });
    expect(await errorOf(access.post('/api/sites/T1-GRID/households', { code: '3-2-401' }))).toEqual([409, 'HOUSEHOLD_EXISTS']);
    expect(await errorOf(access.post('/api/sites/T1-GRID/households', { code: '5-1-101', building: 'B9' }))).toEqual([404, 'BUILDING_NOT_FOUND']);
    expect(await errorOf(access.post('/api/sites/T1-GRID/households', { code: '3 2 401' }))).toEqual([400, 'VALIDATION_FAILED']);
    for (const n of [1, 2, 3]) await f.person({ code: `T1-M${n}`, siteId: site.id, householdId: household.id, category: n === 1 ? 'resident' : 'family' });

    const households = (await access.get('/api/sites/T1-GRID/households')).json() as { rows: Household[] };
    expect(households.rows.map((h) => [h.code, h.building, h.members])).toEqual([
      ['3-2-401', 'B3', 3],
      ['3栋2单元402', null, 0],
    ]);
    expect(((await guard.get('/api/sites/T1-GRID/households?building=B3')).json() as { rows: Household[] }).rows.map((h) => h.code)).toEqual(['3-2-401']);
    const buildings = (await access.get('/api/sites/T1-GRID/buildings')).json() as { rows: Building[] };
    expect(buildings.rows.map((b) => [b.code, b.gridCell, b.households])).toEqual([
      ['B3', 'G1', 1],
      ['B4', null, 0],
    ]);
    const cells = (await access.get('/api/sites/T1-GRID/grid-cells')).json() as { rows: GridCell[] };
    expect(cells.rows.map((c) => [c.code, c.buildings])).toEqual([
      ['G1', 1],
      ['G2', 0],
    ]);
    await f.checkpoint({ siteId: site.id });
    expect(((await access.get('/api/sites/T1-GRID')).json() as Site).counts).toEqual({ gridCells: 2, buildings: 2, households: 2, checkpoints: 1, people: 4 });
    expect(await audits('household.create', 'T1-GRID/3-2-401')).toHaveLength(1);
    expect(await audits('building.create', 'T1-GRID/B3')).toMatchObject([{ changes: { name: { new: '3号楼' }, gridCell: { new: 'G1' } } }]);
  });

  it('checkpoints with opening hours (HH:MM, past midnight allowed), scoped through their site', async () => {
    await createSite({ code: 'T1-GATES' });
    await createSite({ code: 'T1-OTHER' });
    const res = await access.post('/api/checkpoints', { code: 'T1-G1', nameZh: '东门', nameEn: 'East gate', site: 'T1-GATES', openingHours: [{ from: '06:00', to: '22:00' }, { from: '23:00', to: '05:00' }], vehicles: false });
    expect(res.statusCode, res.body).toBe(201);
    const gate = res.json() as Checkpoint;
    expect(gate).toMatchObject({ code: 'T1-G1', nameZh: '东门', nameEn: 'East gate', site: 'T1-GATES', siteName: '测试小区', openingHours: [{ from: '06:00', to: '22:00' }, { from: '23:00', to: '05:00' }], vehicles: false, devices: 0, version: 1 });
    const always = (await access.post('/api/checkpoints', { code: 'T1-G2', nameZh: '西门', site: 'T1-GATES' })).json() as Checkpoint;
    expect(always).toMatchObject({ openingHours: null, vehicles: true, nameEn: null });
    await f.device({ checkpointId: gate.id });
    await f.device({ checkpointId: gate.id, revoked: true });

    expect((await access.get('/api/checkpoints/T1-G1')).json()).toMatchObject({ code: 'T1-G1', devices: 1 });
    const ofSite = (await guard.get('/api/checkpoints?site=T1-GATES')).json() as { rows: Checkpoint[] };
    expect(ofSite.rows.map((c) => c.code)).toEqual(['T1-G1', 'T1-G2']);
    expect(((await access.get('/api/checkpoints')).json() as { rows: Checkpoint[] }).rows.map((c) => c.code)).toEqual(expect.arrayContaining(['T1-G1', 'T1-G2']));
    expect(await errorOf(leader.get('/api/checkpoints/T1-G1'))).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect(await errorOf(leader.get('/api/checkpoints?site=T1-GATES'))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(((await leader.get('/api/checkpoints')).json() as { rows: Checkpoint[] }).rows.map((c) => c.code)).not.toContain('T1-G1');

    // Validation: times, windows, sites.
    const base = { code: 'T1-BAD', nameZh: '坏', site: 'T1-GATES' };
    for (const openingHours of [[{ from: '25:00', to: '06:00' }], [{ from: '6:00', to: '22:00' }], [{ from: '06:00', to: '06:00' }], [], [{ from: '06:00' }]]) {
      expect(await errorOf(access.post('/api/checkpoints', { ...base, openingHours })), JSON.stringify(openingHours)).toEqual([400, 'VALIDATION_FAILED']);
    }
    const dj1 = await f.site({ code: 'T1-DJ1-GATES', unitCode: 'DJ1' });
    expect(await errorOf(access.post('/api/checkpoints', { ...base, site: dj1.code }))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(await errorOf(access.post('/api/checkpoints', { ...base, site: 'T1-NOPE' }))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(await errorOf(access.post('/api/checkpoints', { ...base, code: 'T1-G1' }))).toEqual([409, 'CHECKPOINT_EXISTS']);
    expect(await errorOf(guard.post('/api/checkpoints', base))).toEqual([403, 'FORBIDDEN']);

    const patched = await access.patch('/api/checkpoints/T1-G1', { version: 1, openingHours: [{ from: '07:30', to: '19:00' }], vehicles: true, site: 'T1-OTHER' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ openingHours: [{ from: '07:30', to: '19:00' }], vehicles: true, site: 'T1-OTHER', nameZh: '东门', version: 2 });
    expect((await audits('checkpoint.update', 'T1-G1'))[0]!.changes).toEqual({
      site: { old: 'T1-GATES', new: 'T1-OTHER' },
      openingHours: { old: [{ from: '06:00', to: '22:00' }, { from: '23:00', to: '05:00' }], new: [{ from: '07:30', to: '19:00' }] },
      vehicles: { old: false, new: true },
    });
    expect(await errorOf(access.patch('/api/checkpoints/T1-G1', { version: 1, nameZh: '旧' }))).toEqual([409, 'STALE_VERSION']);
    expect(await errorOf(access.patch('/api/checkpoints/T1-G1', { version: 2, openingHours: [{ from: '07:30', to: '24:00' }] }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await errorOf(access.patch('/api/checkpoints/T1-G1', { version: 2, site: dj1.code }))).toEqual([404, 'SITE_NOT_FOUND']);
    expect((await access.patch('/api/checkpoints/T1-G1', { version: 2, openingHours: null })).json()).toMatchObject({ openingHours: null, version: 3 });
    const stored = await t.deps.database.db.selectFrom('checkpoints').select(['opening_hours', 'vehicles']).where('code', '=', 'T1-G1').executeTakeFirstOrThrow();
    expect(stored).toEqual({ opening_hours: null, vehicles: true });
  });

  it('the ID mask setting: read by access readers, changed by access writers, audited', async () => {
    expect((await guard.get('/api/access/settings')).json()).toEqual({ idMask: '1+2' });
    expect(await errorOf(guard.put('/api/access/settings', { idMask: '6+4' }))).toEqual([403, 'FORBIDDEN']);
    expect(await errorOf(viewer.get('/api/access/settings'))).toEqual([403, 'FORBIDDEN']);
    expect(await errorOf(access.put('/api/access/settings', { idMask: '3+3' }))).toEqual([400, 'VALIDATION_FAILED']);
    const res = await access.put('/api/access/settings', { idMask: '6+4' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ idMask: '6+4' });
    expect((await manager.get('/api/access/settings')).json()).toEqual({ idMask: '6+4' });
    const row = await t.deps.database.db.selectFrom('settings').select('value').where('key', '=', 'access.idMask').executeTakeFirstOrThrow();
    expect(row.value).toEqual({ style: '6+4' });
    expect(await audits('access.settings', 'access.idMask')).toMatchObject([{ actor_username: 'access', changes: { idMask: { old: '1+2', new: '6+4' } } }]);
    // Back to the default; setting the same style again writes nothing.
    expect((await access.put('/api/access/settings', { idMask: '1+2' })).json()).toEqual({ idMask: '1+2' });
    expect((await access.put('/api/access/settings', { idMask: '1+2' })).json()).toEqual({ idMask: '1+2' });
    expect(await audits('access.settings', 'access.idMask')).toHaveLength(2);
  });
});
