import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transfer, TransferList } from '../../src/server/modules/health-quarantines/transfers.schemas';
import { accessFixtures, type AccessFixtures, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { wzbwHealthAdmin } from '../helpers/users';

type Res = { statusCode: number; body: string; json(): unknown };
const errorOf = (res: Res) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;

describe.each(engines)('transfers on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let health: Client;
  let grid: Client;
  let manager: Client;
  let site: SiteFixture;
  let people: PersonFixture[];
  let foreign: PersonFixture;
  let incidentId: string;
  const trips: Transfer[] = [];

  const db = () => t.deps.database.db;
  const trip = (body: Record<string, unknown>) => health.post('/api/health/transfers', { vehicle: '晋M12345 救护车', driver: '王师傅', from: '翠微小区', to: '市第一人民医院', ...body });
  const list = async (query = '') => {
    const res = await grid.get(`/api/health/transfers${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as TransferList;
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    t.clock.set(new Date('2020-01-28T02:00:00Z'));
    health = await wzbwHealthAdmin(t);
    grid = await t.login('grid');
    manager = await t.login('manager');
    site = await f.site({ unitCode: 'WZBW' });
    people = [];
    for (const name of ['赵一', '钱二', '孙三', '李四']) people.push(await f.person({ siteId: site.id, name }));
    foreign = await f.person({ siteId: (await f.site({ unitCode: 'YH1' })).id });
  });
  afterAll(() => t?.close());

  it('needs an active incident', async () => {
    expect(errorOf(await trip({ at: '2020-01-27T09:00:00+08:00', people: [people[0]!.code] }))).toEqual([422, 'NO_ACTIVE_INCIDENT']);
    incidentId = (await db().insertInto('health_incidents').values({ name: '新冠肺炎疫情', start_date: '2020-01-20' }).returning('id').executeTakeFirstOrThrow()).id;
  });

  it('records trips, linking each person’s open case; audited without who was carried', async () => {
    const kase = await db()
      .insertInto('abnormal_cases')
      .values({ person_id: people[0]!.id, incident_id: incidentId, source: 'manual', reason: 'FEVER', opened_at: new Date('2020-01-26T02:00:00Z') })
      .returning('id')
      .executeTakeFirstOrThrow();
    const first = await trip({ at: '2020-01-26T15:30:00+08:00', people: [people[0]!.code, people[1]!.code], note: '发热转诊' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({
      id: expect.any(String), at: '2020-01-26T07:30:00.000Z', vehicle: '晋M12345 救护车', driver: '王师傅', from: '翠微小区', to: '市第一人民医院',
      people: [{ code: people[0]!.code, name: '赵*' }, { code: people[1]!.code, name: '钱*' }].sort((a, b) => (a.code < b.code ? -1 : 1)),
      personCount: 2, disinfected: false, disinfectedAt: null, note: '发热转诊',
    });
    trips.push(first.json() as Transfer);
    const links = await db().selectFrom('transfer_people').select(['person_id', 'case_id']).where('transfer_id', '=', trips[0]!.id).execute();
    expect(links).toEqual(expect.arrayContaining([{ person_id: people[0]!.id, case_id: kase.id }, { person_id: people[1]!.id, case_id: null }]));
    const second = await trip({ at: '2020-01-27T10:00:00+08:00', people: [people[1]!.code, people[2]!.code, people[3]!.code], to: '集中隔离点A', disinfected: true });
    expect(second.json()).toMatchObject({ personCount: 3, disinfected: true, disinfectedAt: '2020-01-28T02:00:00.000Z' });
    trips.push(second.json() as Transfer);
    trips.push((await trip({ at: '2020-01-28T09:00:00+08:00', people: [people[2]!.code] })).json() as Transfer);
    const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'health.transfer.create').where('object_id', '=', trips[0]!.id).executeTakeFirstOrThrow();
    expect(log).toEqual({ actor_username: 'health-wzbw', details: { at: '2020-01-26T07:30:00.000Z', people: 2, disinfected: false } });
    expect(JSON.stringify(log)).not.toContain(people[0]!.code);
  });

  it('counts trips and person-trips for the period and the whole incident', async () => {
    const all = await list();
    expect(all.rows.map((r) => r.id)).toEqual([trips[2]!.id, trips[1]!.id, trips[0]!.id]);
    expect(all.totals).toEqual({ period: { trips: 3, personTrips: 6 }, incident: { trips: 3, personTrips: 6 } });
    const day = await list('?from=2020-01-27&to=2020-01-27');
    expect(day.rows.map((r) => r.id)).toEqual([trips[1]!.id]);
    expect(day.totals).toEqual({ period: { trips: 1, personTrips: 3 }, incident: { trips: 3, personTrips: 6 } });
    // Shanghai days: 2020-01-26 15:30 local is still the 26th, though 07:30 UTC.
    expect((await list('?to=2020-01-26')).totals.period).toEqual({ trips: 1, personTrips: 2 });
    expect((await list('?from=2020-01-27')).totals.period).toEqual({ trips: 2, personTrips: 4 });
    expect(errorOf(await grid.get('/api/health/transfers?from=2020-01-28&to=2020-01-27'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await grid.get('/api/health/transfers?incident=00000000-0000-4000-8000-000000000000'))).toEqual([404, 'INCIDENT_NOT_FOUND']);
    expect((await list(`?incident=${incidentId}`)).totals.incident).toEqual({ trips: 3, personTrips: 6 });
    expect(errorOf(await manager.get('/api/health/transfers'))).toEqual([403, 'FORBIDDEN']);
  });

  it('records the disinfection once', async () => {
    t.clock.advance(5 * 60_000);
    const res = await health.post(`/api/health/transfers/${trips[0]!.id}/disinfect`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: trips[0]!.id, disinfected: true, disinfectedAt: '2020-01-28T02:05:00.000Z' });
    expect(errorOf(await health.post(`/api/health/transfers/${trips[0]!.id}/disinfect`))).toEqual([409, 'TRANSFER_DISINFECTED']);
    expect(errorOf(await grid.post(`/api/health/transfers/${trips[2]!.id}/disinfect`))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await health.post('/api/health/transfers/00000000-0000-4000-8000-000000000000/disinfect'))).toEqual([404, 'TRANSFER_NOT_FOUND']);
    const log = await db().selectFrom('audit_log').select('changes').where('action', '=', 'health.transfer.disinfect').where('object_id', '=', trips[0]!.id).execute();
    expect(log).toEqual([{ changes: { disinfected: { old: false, new: true } } }]);
  });

  it('refuses bad trips: too many or repeated people, ahead of time, before the incident, outside the scope, without health.write', async () => {
    const at = '2020-01-28T09:00:00+08:00';
    expect(errorOf(await trip({ at, people: [] }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await trip({ at, people: Array.from({ length: 21 }, (_, i) => `P${i}`) }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await trip({ at, people: [people[0]!.code, people[0]!.code] }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await trip({ at, people: [people[0]!.code], vehicle: ' ' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await trip({ at: '2020-01-28T11:30:00+08:00', people: [people[0]!.code] }))).toEqual([422, 'TRANSFER_FUTURE']);
    expect(errorOf(await trip({ at: '2020-01-19T23:00:00+08:00', people: [people[0]!.code] }))).toEqual([422, 'TRANSFER_BEFORE_INCIDENT']);
    expect(errorOf(await trip({ at, people: [people[0]!.code, foreign.code] }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await grid.post('/api/health/transfers', { at, vehicle: 'v', driver: 'd', from: 'a', to: 'b', people: [people[0]!.code] }))).toEqual([403, 'FORBIDDEN']);
    expect((await list()).rows).toHaveLength(3);
  });

  it('shows only trips carrying someone in scope, and only those people', async () => {
    const insert = async (personIds: string[]) => {
      const row = await db().insertInto('transfers').values({ incident_id: incidentId, at: new Date('2020-01-27T06:00:00Z'), vehicle: '外单位车', driver: '外单位司机', from_place: 'A', to_place: 'B' }).returning('id').executeTakeFirstOrThrow();
      await db().insertInto('transfer_people').values(personIds.map((person_id) => ({ transfer_id: row.id, person_id }))).execute();
      return row.id;
    };
    const outside = await insert([foreign.id]);
    const mixed = await insert([foreign.id, people[3]!.id]);
    const all = await list();
    expect(all.rows.map((r) => r.id)).not.toContain(outside);
    expect(all.rows.find((r) => r.id === mixed)).toMatchObject({ people: [{ code: people[3]!.code, name: '李*' }], personCount: 2 });
    expect(all.totals.incident).toEqual({ trips: 4, personTrips: 8 });
    expect(errorOf(await health.post(`/api/health/transfers/${outside}/disinfect`))).toEqual([404, 'TRANSFER_NOT_FOUND']);
  });
});
