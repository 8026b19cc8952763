import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vehicle } from '../../src/server/modules/vehicles/vehicles.schemas';
import { accessFixtures, type AccessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

describe.each(engines)('vehicles on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  let guard: Client;
  let manager: Client;
  let plant: SiteFixture;
  let community: SiteFixture;
  let foreign: SiteFixture;

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    access = await t.login('access');
    guard = await t.login('guard');
    manager = await t.login('manager');
    plant = await f.site({ kind: 'plant', unitCode: 'WZBW' });
    community = await f.site({ unitCode: 'WZBW' });
    foreign = await f.site({ kind: 'plant', unitCode: 'YH1' });
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const errorOf = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error: { code: string } }).error?.code] as const;
  const rows = (res: { json(): unknown }) => (res.json() as { rows: Vehicle[] }).rows;
  const url = (plate: string) => `/api/vehicles/${encodeURIComponent(plate)}`;
  async function create(body: Record<string, unknown>): Promise<Vehicle> {
    const res = await access.post('/api/vehicles', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Vehicle;
  }

  it('registers a plate (normalised) with its owner and sites: plain for writers, masked for readers', async () => {
    const owner = await f.person({ name: '刘司机', siteId: plant.id, category: 'contractor' });
    const v = await create({ plate: ' 晋a·12345 ', owner: owner.code, kind: 'truck', note: '运输车', sites: [{ site: plant.code, validTo: '2026-12-31' }, { site: community.code }] });
    expect(v).toMatchObject({
      plate: '晋A12345',
      owner: { code: owner.code, name: '刘司机' },
      kind: 'truck',
      note: '运输车',
      sites: [
        { site: [plant.code, community.code].sort()[0], active: true },
        { site: [plant.code, community.code].sort()[1], active: true },
      ],
      version: 1,
    });
    expect(v.sites.find((s) => s.site === plant.code)!.validTo).toBe('2026-12-31');
    expect(v.sites.find((s) => s.site === community.code)!.validTo).toBeNull();
    expect(await db().selectFrom('vehicles').select(['plate', 'kind']).where('id', '=', v.id).executeTakeFirstOrThrow()).toEqual({ plate: '晋A12345', kind: 'truck' });
    const log = await db().selectFrom('audit_log').select(['actor_username', 'changes']).where('action', '=', 'vehicle.create').where('object_id', '=', v.id).executeTakeFirstOrThrow();
    expect(log.actor_username).toBe('access');
    expect(log.changes).toMatchObject({ plate: { new: '晋A12345' }, owner: { new: owner.code }, kind: { new: 'truck' } });

    const seen = (list: Vehicle[]) => list.find((x) => x.id === v.id);
    expect(seen(rows(await access.get('/api/vehicles')))?.plate).toBe('晋A12345');
    expect(seen(rows(await guard.get(`/api/vehicles?site=${plant.code}`)))?.plate).toBe('晋A1***5');
    expect(seen(rows(await manager.get('/api/vehicles')))?.plate).toBe('晋A1***5');
    // A new-energy plate has six characters after the letter.
    expect((await create({ plate: '粤B D12345', sites: [{ site: community.code }] })).plate).toBe('粤BD12345');
  });

  it('lists by site and within the scope', async () => {
    const atPlant = await create({ plate: '晋A20001', sites: [{ site: plant.code }] });
    const atCommunity = await create({ plate: '晋A20002', sites: [{ site: community.code }] });
    const v = await db().insertInto('vehicles').values({ plate: '晋K30003' }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('vehicle_sites').values({ vehicle_id: v.id, site_id: foreign.id }).execute();
    const ids = (list: Vehicle[]) => list.map((x) => x.id);
    const byPlant = ids(rows(await access.get(`/api/vehicles?site=${plant.code}`)));
    expect(byPlant).toContain(atPlant.id);
    expect(byPlant).not.toContain(atCommunity.id);
    expect(ids(rows(await access.get('/api/vehicles')))).not.toContain(v.id);
    expect(ids(rows(await manager.get('/api/vehicles')))).toContain(v.id);
    expect(errorOf(await access.get(`/api/vehicles?site=${foreign.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(errorOf(await access.patch(url('晋K30003'), { version: 1, note: 'x' }))).toEqual([404, 'VEHICLE_NOT_FOUND']);
  });

  it('changes a vehicle with its version; its sites outside the scope stay', async () => {
    const v = await create({ plate: '晋A40004', sites: [{ site: plant.code }] });
    // The same vehicle is also allowed at the YH1 plant, which the access administrator does not see.
    await db().insertInto('vehicle_sites').values({ vehicle_id: v.id, site_id: foreign.id, valid_to: '2026-12-31' }).execute();
    const res = await access.patch(url('晋a 40004'), { version: 1, kind: 'bus', note: '班车', sites: [{ site: community.code, validTo: '2026-03-01' }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ plate: '晋A40004', kind: 'bus', note: '班车', version: 2, sites: [{ site: community.code, validTo: '2026-03-01', active: false }] });
    const links = await db().selectFrom('vehicle_sites').select(['site_id', 'valid_to']).where('vehicle_id', '=', v.id).orderBy('site_id').execute();
    expect(links.map((l) => l.site_id).sort()).toEqual([community.id, foreign.id].sort());
    const log = await db().selectFrom('audit_log').select('changes').where('action', '=', 'vehicle.update').where('object_id', '=', v.id).executeTakeFirstOrThrow();
    expect(log.changes).toMatchObject({ kind: { old: 'car', new: 'bus' }, note: { old: '', new: '班车' }, sites: { old: [{ site: plant.code, validTo: null }] } });
    expect(errorOf(await access.patch(url('晋A40004'), { version: 1, note: '旧版本' }))).toEqual([409, 'STALE_VERSION']);
    expect(errorOf(await access.patch(url('晋A40004'), { version: 2, owner: 'NOBODY' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    const cleared = (await access.patch(url('晋A40004'), { version: 2, owner: null })).json() as Vehicle;
    expect(cleared).toMatchObject({ owner: null, version: 3 });
  });

  it('refuses bad plates, duplicates, repeated or foreign sites, and readers', async () => {
    await create({ plate: '晋A50005', sites: [{ site: plant.code }] });
    expect(errorOf(await access.post('/api/vehicles', { plate: '晋A 50005', sites: [{ site: plant.code }] }))).toEqual([409, 'VEHICLE_EXISTS']);
    for (const plate of ['ABC1234', '晋12345', '晋A123', '晋A1234567']) {
      expect(errorOf(await access.post('/api/vehicles', { plate, sites: [{ site: plant.code }] })), plate).toEqual([422, 'PLATE_INVALID']);
    }
    expect(errorOf(await access.post('/api/vehicles', { plate: '晋A50006', sites: [] }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await access.post('/api/vehicles', { plate: '晋A50006', sites: [{ site: plant.code }, { site: plant.code }] }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await access.post('/api/vehicles', { plate: '晋A50006', sites: [{ site: foreign.code }] }))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(errorOf(await guard.post('/api/vehicles', { plate: '晋A50007', sites: [{ site: plant.code }] }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await manager.patch(url('晋A50005'), { version: 1, note: 'x' }))).toEqual([403, 'FORBIDDEN']);
  });
});
