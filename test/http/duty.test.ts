import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handover, Shift } from '../../src/server/modules/duty/duty.schemas';
import { accessFixtures, type AccessFixtures, type CheckpointFixture, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

type RosterDay = { site: string; date: string; rows: { checkpoint: string; shift: string; starts: string; ends: string; guards: { code: string; name: string }[] }[] };
type DutyNow = { localDate: string; localTime: string; rows: { checkpoint: string; guards: { code: string; shift: string; date: string }[] }[] };

describe.each(engines)('duty roster on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  let guard: Client;
  let manager: Client;
  let plant: SiteFixture;
  let gates: CheckpointFixture[];
  let spare: CheckpointFixture;
  let guards: PersonFixture[];

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    access = await t.login('access');
    guard = await t.login('guard');
    manager = await t.login('manager');
    plant = await f.site({ kind: 'plant', unitCode: 'WZBW' });
    gates = [];
    for (let i = 1; i <= 5; i++) gates.push(await f.checkpoint({ siteId: plant.id, code: `${plant.code}-G${i}`, nameZh: `${i}号门` }));
    spare = await f.checkpoint({ siteId: plant.id, code: `${plant.code}-X`, nameZh: '备用门' });
    const wzbw = (await t.deps.database.db.selectFrom('units').select('id').where('code', '=', 'WZBW').executeTakeFirstOrThrow()).id;
    guards = [];
    for (let i = 1; i <= 50; i++) guards.push(await f.person({ code: `G${plant.code}-${String(i).padStart(2, '0')}`, name: `门卫${i}`, unitId: wzbw, category: 'employee' }));
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const errorOf = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error: { code: string } }).error?.code] as const;
  const shiftsUrl = () => `/api/sites/${plant.code}/shifts`;
  const assignmentCount = async () =>
    Number((await db().selectFrom('duty_assignments').select((eb) => eb.fn.countAll<number>().as('n')).where('checkpoint_id', 'in', gates.map((g) => g.id)).executeTakeFirstOrThrow()).n);

  it('keeps a site’s shifts, one past midnight', async () => {
    for (const [code, name, starts, ends] of [['C', '夜班', '23:30', '07:30'], ['A', '早班', '07:30', '15:30'], ['B', '中班', '15:30', '23:30']] as const) {
      const res = await access.post(shiftsUrl(), { code, name, starts, ends });
      expect(res.statusCode, res.body).toBe(201);
    }
    const list = (await guard.get(shiftsUrl())).json() as { rows: Shift[] };
    expect(list.rows.map((s) => [s.code, s.starts, s.ends, s.overnight])).toEqual([
      ['A', '07:30', '15:30', false],
      ['B', '15:30', '23:30', false],
      ['C', '23:30', '07:30', true],
    ]);
    expect(errorOf(await access.post(shiftsUrl(), { code: 'A', name: '重复', starts: '08:00', ends: '16:00' }))).toEqual([409, 'SHIFT_EXISTS']);
    expect(errorOf(await access.post(shiftsUrl(), { code: 'Z', name: '空', starts: '08:00', ends: '08:00' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await access.post(shiftsUrl(), { code: 'Z', name: '错', starts: '24:00', ends: '08:00' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await guard.post(shiftsUrl(), { code: 'Z', name: '值守员', starts: '08:00', ends: '16:00' }))).toEqual([403, 'FORBIDDEN']);
    const foreign = await f.site({ unitCode: 'YH1' });
    expect(errorOf(await access.get(`/api/sites/${foreign.code}/shifts`))).toEqual([404, 'SITE_NOT_FOUND']);
    expect((await db().selectFrom('audit_log').select('details').where('action', '=', 'duty.shift.create').execute()).length).toBe(3);
  });

  it('rotates 50 guards over 5 plant gates and three shifts from 07:30 for a week, balanced and never twice at once', async () => {
    const body = { site: plant.code, checkpoints: gates.map((g) => g.code), guards: guards.map((g) => g.code), shifts: ['A', 'B', 'C'], from: '2026-03-02', days: 7, perPost: 3 };
    const res = await access.post('/api/duty/roster/generate', body);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as { from: string; to: string; replaced: number; assignments: number; loads: { code: string; name: string; shifts: number }[] };
    expect(result).toMatchObject({ from: '2026-03-02', to: '2026-03-08', replaced: 0, assignments: 315 });
    expect(result.loads).toHaveLength(50);
    expect(result.loads[0]).toEqual({ code: guards[0]!.code, name: '门卫1', shifts: 7 });
    expect(result.loads.filter((l) => l.shifts === 7)).toHaveLength(15);
    expect(result.loads.filter((l) => l.shifts === 6)).toHaveLength(35);
    expect(await assignmentCount()).toBe(315);

    const day = (await guard.get(`/api/duty/roster?site=${plant.code}&date=2026-03-02`)).json() as RosterDay;
    expect(day.rows).toHaveLength(15);
    expect(day.rows[0]).toMatchObject({ checkpoint: gates[0]!.code, shift: 'A', starts: '07:30', ends: '15:30' });
    // The first slot of the week goes to the first guards in rotation order.
    expect(day.rows[0]!.guards).toEqual([1, 2, 3].map((i) => ({ code: guards[i - 1]!.code, name: `门卫${i}` })));
    for (const row of day.rows) expect(row.guards).toHaveLength(3);
    const onDay = day.rows.flatMap((r) => r.guards.map((g) => g.code));
    expect(new Set(onDay).size).toBe(onDay.length);
    expect((await db().selectFrom('audit_log').select('details').where('action', '=', 'duty.roster.generate').executeTakeFirstOrThrow()).details).toMatchObject({ assignments: 315, replaced: 0, guards: 50 });

    // Generating two days again replaces those days only, in one go.
    const again = await access.post('/api/duty/roster/generate', { ...body, from: '2026-03-03', days: 2, perPost: 1 });
    expect(again.json()).toMatchObject({ replaced: 90, assignments: 30, to: '2026-03-04' });
    expect(await assignmentCount()).toBe(315 - 90 + 30);
    const thin = (await access.get(`/api/duty/roster?site=${plant.code}&date=2026-03-03`)).json() as RosterDay;
    for (const row of thin.rows) expect(row.guards).toHaveLength(1);
  });

  it('refuses rosters the guards cannot staff, unknown posts, shifts and guards, and readers', async () => {
    const body = { site: plant.code, checkpoints: gates.map((g) => g.code), guards: guards.slice(0, 4).map((g) => g.code), shifts: ['A'], from: '2026-03-10', days: 1, perPost: 1 };
    const before = await assignmentCount();
    expect(errorOf(await access.post('/api/duty/roster/generate', body))).toEqual([422, 'ROSTER_NOT_ENOUGH_GUARDS']);
    expect(errorOf(await access.post('/api/duty/roster/generate', { ...body, checkpoints: ['NO-SUCH-GATE'] }))).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    const elsewhere = await f.checkpoint({ siteId: (await f.site({ unitCode: 'WZBW' })).id });
    expect(errorOf(await access.post('/api/duty/roster/generate', { ...body, checkpoints: [elsewhere.code] }))).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect(errorOf(await access.post('/api/duty/roster/generate', { ...body, shifts: ['N'] }))).toEqual([404, 'SHIFT_NOT_FOUND']);
    const yh1 = (await db().selectFrom('units').select('id').where('code', '=', 'YH1').executeTakeFirstOrThrow()).id;
    const stranger = await f.person({ unitId: yh1, category: 'employee' });
    expect(errorOf(await access.post('/api/duty/roster/generate', { ...body, checkpoints: [gates[0]!.code], guards: [stranger.code] }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await access.post('/api/duty/roster/generate', { ...body, guards: [guards[0]!.code, guards[0]!.code] }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await guard.post('/api/duty/roster/generate', body))).toEqual([403, 'FORBIDDEN']);
    expect(await assignmentCount()).toBe(before);
  });

  it('tells who is on duty now at each gate, through the night shift past midnight', async () => {
    // Sessions time out when the clock jumps: each moment signs in afresh.
    let reader = guard;
    const roster = async (date: string) => (await reader.get(`/api/duty/roster?site=${plant.code}&date=${date}`)).json() as RosterDay;
    const guardsOf = (day: RosterDay, checkpoint: string, shift: string) => day.rows.find((r) => r.checkpoint === checkpoint && r.shift === shift)!.guards.map((g) => g.code);
    try {
      // 2026-03-05 09:00 in Shanghai: the morning shift of the 5th.
      t.clock.set(new Date('2026-03-05T01:00:00Z'));
      reader = await t.login('guard');
      let now = (await reader.get(`/api/duty/now?site=${plant.code}`)).json() as DutyNow;
      expect(now).toMatchObject({ localDate: '2026-03-05', localTime: '09:00' });
      expect(now.rows.map((r) => r.checkpoint)).toEqual([...gates.map((g) => g.code), spare.code].sort());
      const g1 = now.rows.find((r) => r.checkpoint === gates[0]!.code)!;
      expect(g1.guards.map((g) => g.code)).toEqual(guardsOf(await roster('2026-03-05'), gates[0]!.code, 'A'));
      expect(g1.guards.every((g) => g.shift === 'A' && g.date === '2026-03-05')).toBe(true);
      expect(now.rows.find((r) => r.checkpoint === spare.code)!.guards).toEqual([]);

      // 06:00 on the 6th: still the night shift that began on the 5th at 23:30.
      t.clock.set(new Date('2026-03-05T22:00:00Z'));
      reader = await t.login('guard');
      now = (await reader.get(`/api/duty/now?site=${plant.code}`)).json() as DutyNow;
      expect(now).toMatchObject({ localDate: '2026-03-06', localTime: '06:00' });
      const night = now.rows.find((r) => r.checkpoint === gates[2]!.code)!;
      expect(night.guards.map((g) => g.code)).toEqual(guardsOf(await roster('2026-03-05'), gates[2]!.code, 'C'));
      expect(night.guards.every((g) => g.shift === 'C' && g.date === '2026-03-05')).toBe(true);
    } finally {
      t.clock.set(new Date('2026-03-02T01:00:00Z'));
    }
  });

  it('guards and administrators write handover notes; readers read them by site, checkpoint and day', async () => {
    const res = await guard.post('/api/duty/handovers', { checkpoint: gates[0]!.code, date: '2026-03-02', shift: 'A', note: '2号道闸故障，已报修' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ checkpoint: gates[0]!.code, checkpointName: '1号门', date: '2026-03-02', shift: 'A', note: '2号道闸故障，已报修', createdBy: '门岗值守员', createdAt: '2026-03-02T01:00:00.000Z' });
    t.clock.advance(60_000);
    const second = (await access.post('/api/duty/handovers', { checkpoint: gates[1]!.code, date: '2026-03-02', note: '交接正常' })).json() as Handover;
    expect(second).toMatchObject({ shift: null, createdBy: '出入管理员' });
    const bySite = (await manager.get(`/api/duty/handovers?site=${plant.code}`)).json() as { rows: Handover[] };
    expect(bySite.rows.map((h) => h.note)).toEqual(['交接正常', '2号道闸故障，已报修']);
    const byGate = (await guard.get(`/api/duty/handovers?checkpoint=${gates[0]!.code}&date=2026-03-02`)).json() as { rows: Handover[] };
    expect(byGate.rows.map((h) => h.note)).toEqual(['2号道闸故障，已报修']);
    expect(((await guard.get(`/api/duty/handovers?site=${plant.code}&date=2026-03-03`)).json() as { rows: Handover[] }).rows).toEqual([]);
    expect(errorOf(await guard.get('/api/duty/handovers'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await manager.post('/api/duty/handovers', { checkpoint: gates[0]!.code, date: '2026-03-02', note: '领导' }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await guard.post('/api/duty/handovers', { checkpoint: gates[0]!.code, date: '2026-03-02', shift: 'N', note: 'x' }))).toEqual([404, 'SHIFT_NOT_FOUND']);
    const foreignGate = await f.checkpoint({ siteId: (await f.site({ unitCode: 'YH1' })).id });
    expect(errorOf(await guard.post('/api/duty/handovers', { checkpoint: foreignGate.code, date: '2026-03-02', note: 'x' }))).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect((await db().selectFrom('audit_log').select('details').where('action', '=', 'duty.handover.create').execute()).map((r) => r.details)).toEqual([
      { checkpoint: gates[0]!.code, date: '2026-03-02', shift: 'A' },
      { checkpoint: gates[1]!.code, date: '2026-03-02', shift: null },
    ]);
  });
});
