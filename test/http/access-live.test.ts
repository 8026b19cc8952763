import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DenyReason } from '../../src/domain/access/gate-decision';
import { accessFixtures, type AccessFixtures, type CheckpointFixture, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

type Live = { date: string; sites: { site: string; capacity: number | null; inside: number; inToday: number; outToday: number; deniedToday: number; byReason: Record<string, number> }[] };
type Traffic = { date: string; hours: number[]; rows: { checkpoint: string; in: number[]; out: number[]; denied: number[] }[] };
type Denials = { total: number; byReason: Record<string, number>; rows: { at: string; site: string; checkpoint: string; reason: string; person: { code: string; name: string } | null; temperatureC: number | null }[] };
type Passages = { summary: Record<string, number>; rows: { at: string; plate: string; direction: string; decision: string; disinfected: boolean | null; permitted: boolean; person: { name: string } | null }[] };
type RollCall = { count: number; capacity: number | null; namesMasked: boolean; rows: { person: string; name: string; category: string; unit: { code: string } | null; since: string; checkpoint: string }[] };

/** Shanghai local time on a day as an instant. */
const local = (day: string, time: string) => new Date(`${day}T${time}+08:00`);
/** A vector of 24 zeros with the given hours set. */
const hours = (set: Record<number, number> = {}) => Array.from({ length: 24 }, (_, h) => set[h] ?? 0);

describe.each(engines)('live access views on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  let guard: Client;
  let manager: Client;
  let plant: SiteFixture;
  let community: SiteFixture;
  let foreign: SiteFixture;
  let g1: CheckpointFixture;
  let g2: CheckpointFixture;
  let g3: CheckpointFixture;
  let people: Record<'bruno' | 'lina' | 'wang' | 'zhao' | 'old' | 'alice', PersonFixture>;

  async function event(e: { checkpoint: CheckpointFixture; person?: PersonFixture | null; direction?: 'in' | 'out'; reason?: DenyReason; at: Date; plate?: string; disinfected?: boolean; temperatureC?: number }) {
    await t.deps.database.db
      .insertInto('gate_events')
      .values({
        idempotency_key: `live-${randomUUID()}`,
        checkpoint_id: e.checkpoint.id,
        site_id: e.checkpoint.siteId,
        person_id: e.person?.id ?? null,
        credential: e.person ? 'person' : 'none',
        direction: e.direction ?? 'in',
        decision: e.reason ? 'deny' : 'allow',
        reason: e.reason ?? null,
        temperature_c: e.temperatureC ?? null,
        plate: e.plate ?? null,
        disinfected: e.disinfected ?? null,
        at: e.at,
      })
      .execute();
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    // 14:00 in Shanghai on Monday 2026-03-02.
    t.clock.set(local('2026-03-02', '14:00:00'));
    access = await t.login('access');
    guard = await t.login('guard');
    manager = await t.login('manager');
    const unit = async (code: string) => (await t.deps.database.db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    plant = await f.site({ kind: 'plant', accessLevel: 'restricted', unitCode: 'WZBW', capacity: 500 });
    community = await f.site({ unitCode: 'WZBW' });
    foreign = await f.site({ kind: 'plant', unitCode: 'YH1' });
    g1 = await f.checkpoint({ siteId: plant.id, code: `${plant.code}-1` });
    g2 = await f.checkpoint({ siteId: plant.id, code: `${plant.code}-2` });
    g3 = await f.checkpoint({ siteId: plant.id, code: `${plant.code}-3` });
    const c1 = await f.checkpoint({ siteId: community.id });
    const f1 = await f.checkpoint({ siteId: foreign.id });
    const dj1 = await unit('DJ1');
    people = {
      bruno: await f.person({ name: 'Bruno', unitId: dj1, category: 'employee' }),
      alice: await f.person({ name: 'Alice', unitId: dj1, category: 'employee' }),
      lina: await f.person({ name: '李娜', unitId: dj1, category: 'employee' }),
      wang: await f.person({ name: '王强', unitId: await unit('WZBW'), category: 'employee' }),
      zhao: await f.person({ name: '赵敏', siteId: plant.id, category: 'contractor' }),
      old: await f.person({ name: '钱老', unitId: dj1, category: 'employee' }),
    };
    const { bruno, alice, lina, wang, zhao, old } = people;
    const day = '2026-03-02';
    // At the plant: Bruno and Alice came in this morning; Lina came and left; Wang came in last night;
    // Zhao came in and was later refused (a denial does not take anyone out); the old entry is too old.
    await event({ checkpoint: g1, person: bruno, at: local(day, '08:00:00'), plate: '晋A12345', disinfected: true });
    await event({ checkpoint: g1, person: alice, at: local(day, '08:30:00') });
    await event({ checkpoint: g1, person: lina, at: local(day, '07:00:00') });
    await event({ checkpoint: g2, person: lina, direction: 'out', at: local(day, '12:00:00'), plate: '晋A12345' });
    await event({ checkpoint: g1, person: wang, at: local('2026-03-01', '20:00:00') });
    await event({ checkpoint: g2, person: zhao, at: local(day, '09:30:00'), plate: '晋b 99999', disinfected: false });
    await event({ checkpoint: g2, person: zhao, reason: 'BLOCKED', at: local(day, '13:00:00'), plate: '晋A77777' });
    await event({ checkpoint: g1, person: old, at: local('2026-02-28', '10:00:00') });
    await event({ checkpoint: g1, person: old, reason: 'FEVER', temperatureC: 38.1, at: local(day, '10:15:00') });
    await event({ checkpoint: g2, reason: 'NO_PASS', at: local(day, '11:20:00') });
    // The edges of the day: midnight belongs to the 2nd, a second before it to the 1st.
    await event({ checkpoint: g2, reason: 'NO_PASS', at: local(day, '00:00:00') });
    await event({ checkpoint: g2, reason: 'NO_PASS', at: local('2026-03-01', '23:59:59') });
    // Elsewhere.
    await event({ checkpoint: c1, person: lina, at: local(day, '10:00:00') });
    await event({ checkpoint: c1, person: wang, reason: 'HEALTH_RED', at: local(day, '10:05:00') });
    await event({ checkpoint: f1, person: bruno, at: local(day, '06:00:00') });
    await event({ checkpoint: f1, reason: 'NO_PASS', at: local(day, '06:10:00') });
    // Registered vehicles: one for the plant, one whose permission ended yesterday.
    for (const [plate, validTo] of [['晋A12345', null], ['晋A77777', '2026-03-01']] as const) {
      const v = await t.deps.database.db.insertInto('vehicles').values({ plate }).returning('id').executeTakeFirstOrThrow();
      await t.deps.database.db.insertInto('vehicle_sites').values({ vehicle_id: v.id, site_id: plant.id, valid_to: validTo }).execute();
    }
  });
  afterAll(() => t?.close());

  const errorOf = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error: { code: string } }).error?.code] as const;

  it('occupancy per site: inside now from the last allowed passage of the last 24 h, today’s entries, exits and denials by reason', async () => {
    const live = (await access.get('/api/access/live')).json() as Live;
    expect(live.date).toBe('2026-03-02');
    expect(live.sites.map((s) => s.site).sort()).toEqual([plant.code, community.code].sort());
    expect(live.sites.find((s) => s.site === plant.code)).toEqual({
      site: plant.code,
      nameZh: expect.any(String),
      nameEn: expect.any(String),
      kind: 'plant',
      accessLevel: 'restricted',
      capacity: 500,
      inside: 4, // Bruno, Alice, Wang (since last night), Zhao
      inToday: 4,
      outToday: 1,
      deniedToday: 4,
      byReason: { BLOCKED: 1, FEVER: 1, NO_PASS: 2 },
    });
    expect(live.sites.find((s) => s.site === community.code)).toMatchObject({ inside: 1, inToday: 1, outToday: 0, deniedToday: 1, byReason: { HEALTH_RED: 1 } });
    // The group sees the YH1 plant too; the guard (own unit WZBW) the same sites as the administrator.
    expect(((await manager.get('/api/access/live')).json() as Live).sites.find((s) => s.site === foreign.code)).toMatchObject({ inside: 1, inToday: 1, deniedToday: 1 });
    expect(((await guard.get('/api/access/live')).json() as Live).sites.map((s) => s.site).sort()).toEqual([plant.code, community.code].sort());
  });

  it('inside forgets entries older than 24 hours and counts an exit as leaving', async () => {
    const reader = async () => (((await (await t.login('access')).get('/api/access/live')).json() as Live).sites.find((s) => s.site === plant.code)!.inside);
    try {
      // 20:30 on the 2nd: Wang's entry of 20:00 on the 1st is more than 24 h old.
      t.clock.set(local('2026-03-02', '20:30:00'));
      expect(await reader()).toBe(3);
      await event({ checkpoint: g3, person: people.alice, direction: 'out', at: local('2026-03-02', '20:10:00') });
      expect(await reader()).toBe(2);
    } finally {
      await t.deps.database.db.deleteFrom('gate_events').where('checkpoint_id', '=', g3.id).execute();
      t.clock.set(local('2026-03-02', '14:00:00'));
    }
  });

  it('traffic by local hour and checkpoint', async () => {
    const today = (await guard.get(`/api/access/traffic?site=${plant.code}`)).json() as Traffic;
    expect(today.date).toBe('2026-03-02');
    expect(today.hours).toEqual(hours().map((_, h) => h));
    expect(today.rows).toEqual([
      { checkpoint: g1.code, checkpointName: expect.any(String), in: hours({ 7: 1, 8: 2 }), out: hours(), denied: hours({ 10: 1 }) },
      { checkpoint: g2.code, checkpointName: expect.any(String), in: hours({ 9: 1 }), out: hours({ 12: 1 }), denied: hours({ 0: 1, 11: 1, 13: 1 }) },
      { checkpoint: g3.code, checkpointName: expect.any(String), in: hours(), out: hours(), denied: hours() },
    ]);
    const yesterday = (await guard.get(`/api/access/traffic?site=${plant.code}&date=2026-03-01`)).json() as Traffic;
    expect(yesterday.rows[0]!.in).toEqual(hours({ 20: 1 }));
    expect(yesterday.rows[1]!.denied).toEqual(hours({ 23: 1 }));
    expect(errorOf(await access.get(`/api/access/traffic?site=${foreign.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
  });

  it('denials with reasons, names masked, by site or every site in scope and by date range', async () => {
    const today = (await access.get(`/api/access/denials?site=${plant.code}`)).json() as Denials;
    expect(today.total).toBe(4);
    expect(today.byReason).toEqual({ BLOCKED: 1, FEVER: 1, NO_PASS: 2 });
    expect(today.rows.map((r) => [r.at, r.checkpoint, r.reason, r.person?.name ?? null, r.temperatureC])).toEqual([
      [local('2026-03-02', '13:00:00').toISOString(), g2.code, 'BLOCKED', '赵*', null],
      [local('2026-03-02', '11:20:00').toISOString(), g2.code, 'NO_PASS', null, null],
      // The temperature is health data: the access administrator (no health.read) gets null.
      [local('2026-03-02', '10:15:00').toISOString(), g1.code, 'FEVER', '钱*', null],
      [local('2026-03-02', '00:00:00').toISOString(), g2.code, 'NO_PASS', null, null],
    ]);
    const twoDays = (await access.get(`/api/access/denials?site=${plant.code}&from=2026-03-01&to=2026-03-02`)).json() as Denials;
    expect(twoDays.total).toBe(5);
    const everywhere = (await access.get('/api/access/denials')).json() as Denials;
    expect(everywhere.byReason).toEqual({ BLOCKED: 1, FEVER: 1, NO_PASS: 2, HEALTH_RED: 1 });
    expect(new Set(everywhere.rows.map((r) => r.site))).toEqual(new Set([plant.code, community.code]));
    expect(((await manager.get('/api/access/denials')).json() as Denials).total).toBe(6);
    expect(errorOf(await access.get('/api/access/denials?from=2026-03-02&to=2026-03-01'))).toEqual([422, 'RANGE_INVALID']);
    expect(errorOf(await access.get('/api/access/denials?from=2025-01-01&to=2026-03-01'))).toEqual([422, 'RANGE_TOO_LONG']);
  });

  it('vehicle passages: disinfected, and permitted when the plate is registered for the site that day; plates masked for readers', async () => {
    const mine = (await access.get(`/api/access/vehicles?site=${plant.code}`)).json() as Passages;
    expect(mine.summary).toEqual({ total: 4, in: 3, out: 1, disinfected: 1, notPermitted: 2 });
    expect(mine.rows.map((r) => [r.plate, r.direction, r.decision, r.disinfected, r.permitted, r.person?.name])).toEqual([
      ['晋A77777', 'in', 'deny', null, false, '赵*'],
      ['晋A12345', 'out', 'allow', null, true, '李*'],
      ['晋B99999', 'in', 'allow', false, false, '赵*'],
      ['晋A12345', 'in', 'allow', true, true, 'B****'],
    ]);
    const read = (await guard.get(`/api/access/vehicles?site=${plant.code}`)).json() as Passages;
    expect(read.rows.map((r) => r.plate)).toEqual(['晋A7***7', '晋A1***5', '晋B9***9', '晋A1***5']);
    const yesterday = (await guard.get(`/api/access/vehicles?site=${plant.code}&date=2026-03-01`)).json() as Passages;
    expect(yesterday).toMatchObject({ summary: { total: 0 }, rows: [] });
  });

  it('roll-call of who is inside, by unit then name: names in full for the incident commander, masked for readers', async () => {
    const full = (await access.get(`/api/access/roll-call?site=${plant.code}`)).json() as RollCall;
    expect(full).toMatchObject({ count: 4, capacity: 500, namesMasked: false });
    expect(full.rows.map((r) => [r.name, r.unit?.code ?? null, r.category, r.checkpoint])).toEqual([
      ['Alice', 'DJ1', 'employee', g1.code],
      ['Bruno', 'DJ1', 'employee', g1.code],
      ['王强', 'WZBW', 'employee', g1.code],
      ['赵敏', null, 'contractor', g2.code],
    ]);
    expect(full.rows[1]).toMatchObject({ person: people.bruno.code, since: local('2026-03-02', '08:00:00').toISOString() });
    expect(full.rows[2]!.since).toBe(local('2026-03-01', '20:00:00').toISOString());
    const masked = (await guard.get(`/api/access/roll-call?site=${plant.code}`)).json() as RollCall;
    expect(masked.namesMasked).toBe(true);
    expect(masked.rows.map((r) => r.name)).toEqual(['A****', 'B****', '王*', '赵*']);
    expect(errorOf(await access.get(`/api/access/roll-call?site=${foreign.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(((await manager.get(`/api/access/roll-call?site=${foreign.code}`)).json() as RollCall).rows.map((r) => r.person)).toEqual([people.bruno.code]);
  });

  it('denials: temperatures only for health.read; a unit leader or the group manager (access.read) get null', async () => {
    // A DJ1 plant, in the unit leader's subtree: a fever at its gate.
    const dj1Site = await f.site({ kind: 'plant', unitCode: 'DJ1' });
    const gate = await f.checkpoint({ siteId: dj1Site.id });
    await event({ checkpoint: gate, person: people.bruno, reason: 'FEVER', temperatureC: 38.4, at: local('2026-03-02', '11:00:00') });
    const temperaturesFor = async (c: Client) => {
      const res = await c.get(`/api/access/denials?site=${dj1Site.code}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as Denials).rows.map((r) => [r.reason, r.temperatureC]);
    };
    const health = await t.login('health');
    expect(await temperaturesFor(health)).toEqual([['FEVER', 38.4]]);
    expect(await temperaturesFor(await t.login('leader'))).toEqual([['FEVER', null]]);
    expect(await temperaturesFor(manager)).toEqual([['FEVER', null]]);
    // The health administrator sees the plant's fever of the morning too.
    const plantRows = ((await health.get(`/api/access/denials?site=${plant.code}`)).json() as Denials).rows;
    expect(plantRows.find((r) => r.reason === 'FEVER')?.temperatureC).toBe(38.1);
  });
});
