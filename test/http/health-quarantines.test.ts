import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/notices/week';
import type { LostList, Quarantine, QuarantinePage } from '../../src/server/modules/health-quarantines/quarantines.schemas';
import { accessFixtures, type AccessFixtures, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { wzbwHealthAdmin } from '../helpers/users';

type Res = { statusCode: number; body: string; json(): unknown };
const errorOf = (res: Res) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;

describe.each(engines)('quarantines on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let health: Client;
  let grid: Client;
  let manager: Client;
  let site: SiteFixture;
  let incidentId: string;
  /** Checked on the first day, then released at the end. */
  let checked: PersonFixture;
  /** Never checked: lost to follow-up after two days. */
  let silent: PersonFixture;
  const ids: Record<string, string> = {};

  const db = () => t.deps.database.db;
  /** Moves the clock and signs in again (sessions idle out after 30 minutes). */
  async function moveTo(at: string): Promise<void> {
    t.clock.set(new Date(at));
    health = await wzbwHealthAdmin(t);
    grid = await t.login('grid');
    manager = await t.login('manager');
  }
  async function start(body: Record<string, unknown>): Promise<Quarantine> {
    const res = await health.post('/api/health/quarantines', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Quarantine;
  }
  const detail = async (id: string) => (await health.get(`/api/health/quarantines/${id}`)).json() as Quarantine;
  const check = (id: string, body: Record<string, unknown>) => grid.post(`/api/health/quarantines/${id}/follow-ups`, body);
  const statusOf = async (personId: string) => (await db().selectFrom('health_statuses').select(['status', 'rule']).where('person_id', '=', personId).executeTakeFirst()) ?? null;

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    await moveTo('2020-01-25T02:00:00Z'); // 10:00 in Shanghai
    site = await f.site({ unitCode: 'WZBW' });
    checked = await f.person({ siteId: site.id, name: '张三丰' });
    silent = await f.person({ siteId: site.id, name: '李四' });
  });
  afterAll(() => t?.close());

  it('needs an active incident to start a quarantine', async () => {
    expect(errorOf(await health.post('/api/health/quarantines', { person: checked.code, lastExposure: '2020-01-24' }))).toEqual([422, 'NO_ACTIVE_INCIDENT']);
    const incident = await db().insertInto('health_incidents').values({ name: '新冠肺炎疫情', start_date: '2020-01-20' }).returning('id').executeTakeFirstOrThrow();
    incidentId = incident.id;
    await db().insertInto('health_incident_sites').values({ incident_id: incidentId, site_id: site.id }).execute();
  });

  it('schedules two checks a day from the day after the last exposure through day 14; the person turns red', async () => {
    const q = await start({ person: checked.code, lastExposure: '2020-01-24' });
    ids.checked = q.id;
    expect(q).toMatchObject({ incidentId, person: { code: checked.code, name: '张三丰' }, namesMasked: false, site: { code: site.code }, place: 'home', facility: null, startDate: '2020-01-25', plannedEnd: '2020-02-07', lastExposure: '2020-01-24', perDay: 2, window: { start: '2020-01-25', end: '2020-02-07' }, status: 'active', release: null });
    expect(q.followUps).toHaveLength(28);
    expect(q.followUps.slice(0, 3).map((s) => [s.date, s.slot, s.status])).toEqual([['2020-01-25', 1, 'due'], ['2020-01-25', 2, 'due'], ['2020-01-26', 1, 'planned']]);
    expect(q.followUps.at(-1)).toMatchObject({ date: '2020-02-07', slot: 2, status: 'planned', cancelled: false, doneAt: null });
    expect(new Set(q.followUps.map((s) => s.date)).size).toBe(14);
    expect(await statusOf(checked.id)).toEqual({ status: 'red', rule: 'RED_QUARANTINE' });
    const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'health.quarantine.start').where('object_id', '=', q.id).executeTakeFirstOrThrow();
    expect(log).toEqual({ actor_username: 'health-wzbw', details: { place: 'home', start: '2020-01-25', plannedEnd: '2020-02-07', perDay: 2 } });
    ids.silent = (await start({ person: silent.code, lastExposure: '2020-01-24' })).id;
  });

  it('refuses a second quarantine unless a later exposure moves the window', async () => {
    expect(errorOf(await health.post('/api/health/quarantines', { person: checked.code }))).toEqual([422, 'QUARANTINE_ACTIVE']);
    expect(errorOf(await health.post('/api/health/quarantines', { person: checked.code, lastExposure: '2020-01-23' }))).toEqual([422, 'QUARANTINE_ACTIVE']);
    expect(errorOf(await health.post('/api/health/quarantines', { person: checked.code, lastExposure: '2020-01-26' }))).toEqual([422, 'EXPOSURE_FUTURE']);
    expect(errorOf(await health.post('/api/health/quarantines', { person: checked.code, place: 'facility' }))).toEqual([400, 'VALIDATION_FAILED']);
    const moving = await f.person({ siteId: site.id });
    const q = await start({ person: moving.code, lastExposure: '2020-01-22' });
    expect(q.plannedEnd).toBe('2020-02-05');
    const moved = await start({ person: moving.code, lastExposure: '2020-01-25' });
    expect(moved).toMatchObject({ id: q.id, lastExposure: '2020-01-25', plannedEnd: '2020-02-08', window: { start: '2020-01-26', end: '2020-02-08' } });
    // Today's checks fall outside the new window: dropped, shown as cancelled.
    expect(moved.followUps.filter((s) => s.date === '2020-01-25').map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(moved.followUps.filter((s) => s.status !== 'cancelled')).toHaveLength(28);
  });

  it('records a check once, not for a later day, a missing slot or outside the scope; audited without the temperature', async () => {
    const res = await check(ids.checked!, { date: '2020-01-25', slot: 1, temperatureC: 36.55, condition: '无不适' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ date: '2020-01-25', slot: 1, status: 'done', cancelled: false, temperatureC: 36.6, condition: '无不适', note: null, doneAt: '2020-01-25T02:00:00.000Z', doneBy: 'grid', fever: false, abnormalCaseId: null });
    expect(errorOf(await check(ids.checked!, { date: '2020-01-25', slot: 1, temperatureC: 36.5 }))).toEqual([409, 'FOLLOW_UP_DONE']);
    expect(errorOf(await check(ids.checked!, { date: '2020-01-26', slot: 1, temperatureC: 36.5 }))).toEqual([422, 'FOLLOW_UP_FUTURE']);
    expect(errorOf(await check(ids.checked!, { date: '2020-01-25', slot: 3, temperatureC: 36.5 }))).toEqual([404, 'FOLLOW_UP_NOT_FOUND']);
    expect(errorOf(await check(ids.checked!, { date: '2020-01-24', slot: 1, temperatureC: 36.5 }))).toEqual([404, 'FOLLOW_UP_NOT_FOUND']);
    expect(errorOf(await manager.post(`/api/health/quarantines/${ids.checked}/follow-ups`, { date: '2020-01-25', slot: 2, temperatureC: 36.5 }))).toEqual([403, 'FORBIDDEN']);
    const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'health.quarantine.follow-up').where('object_id', '=', ids.checked!).execute();
    expect(log).toEqual([{ actor_username: 'grid', details: { date: '2020-01-25', slot: 1 } }]);
    const q = await detail(ids.checked!);
    expect(q.followUps[0]).toMatchObject({ status: 'done', temperatureC: 36.6, doneBy: 'grid' });
    expect(q.followUps[1]).toMatchObject({ status: 'due', doneAt: null });
  });

  it('lists quarantines with today’s checks, names masked, filtered and counted', async () => {
    const page = (await grid.get('/api/health/quarantines')).json() as QuarantinePage;
    const row = page.rows.find((r) => r.id === ids.checked);
    expect(row).toEqual({
      id: ids.checked, person: { code: checked.code, name: '张**' }, site: { code: site.code, nameZh: expect.any(String) }, place: 'home', facility: null, startDate: '2020-01-25', plannedEnd: '2020-02-07', lastExposure: '2020-01-24', status: 'active',
      today: { due: 1, done: 1, missed: 0 }, missedTotal: 0, lost: false, supportsOpen: 0,
    });
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 50, counts: { active: 3, released: 0, lost: 0, cancelled: 0 } });
    const byCode = (await health.get(`/api/health/quarantines?q=${silent.code}`)).json() as QuarantinePage;
    expect(byCode.rows.map((r) => r.id)).toEqual([ids.silent]);
    const byName = (await health.get(`/api/health/quarantines?q=${encodeURIComponent('张三')}&site=${site.code}`)).json() as QuarantinePage;
    expect(byName.rows.map((r) => r.id)).toEqual([ids.checked]);
    expect(((await health.get('/api/health/quarantines?place=facility')).json() as QuarantinePage).total).toBe(0);
    expect(((await health.get('/api/health/quarantines?status=released')).json() as QuarantinePage).rows).toEqual([]);
    expect(errorOf(await manager.get('/api/health/quarantines'))).toEqual([403, 'FORBIDDEN']);
    // The grid worker may read the card, but without health.write the name is masked.
    expect((await grid.get(`/api/health/quarantines/${ids.checked}`)).json()).toMatchObject({ person: { name: '张**' }, namesMasked: true });
  });

  it('two days without checks: the checks are missed and the person is lost to follow-up', async () => {
    await moveTo('2020-01-27T02:00:00Z');
    const q = await detail(ids.silent!);
    expect(q.followUps.slice(0, 6).map((s) => `${s.date}#${s.slot}:${s.status}`)).toEqual([
      '2020-01-25#1:missed', '2020-01-25#2:missed', '2020-01-26#1:missed', '2020-01-26#2:missed', '2020-01-27#1:due', '2020-01-27#2:due',
    ]);
    expect(q).toMatchObject({ missedTotal: 4, lost: true });
    const lost = (await grid.get('/api/health/quarantines/lost')).json() as LostList;
    expect(lost).toMatchObject({ today: '2020-01-27', missedDays: 2 });
    expect(lost.rows).toEqual([{ id: ids.silent, person: { code: silent.code, name: '李*' }, site: { code: site.code, nameZh: expect.any(String) }, place: 'home', facility: null, startDate: '2020-01-25', plannedEnd: '2020-02-07', missedTotal: 4, lastCheck: null }]);
    // The checked person did a check on the 25th: not lost over two days, lost over one.
    const oneDay = (await grid.get('/api/health/quarantines/lost?missedDays=1')).json() as LostList;
    expect(oneDay.rows.find((r) => r.id === ids.checked)).toMatchObject({ missedTotal: 3, lastCheck: { date: '2020-01-25', slot: 1, doneAt: '2020-01-25T02:00:00.000Z' } });
    const row = ((await grid.get('/api/health/quarantines')).json() as QuarantinePage).rows.find((r) => r.id === ids.silent);
    expect(row).toMatchObject({ today: { due: 2, done: 0, missed: 2 }, missedTotal: 4, lost: true });
    // A late check for a missed day still counts.
    expect((await check(ids.silent!, { date: '2020-01-26', slot: 2, temperatureC: 36.4 })).statusCode).toBe(200);
    expect(((await grid.get('/api/health/quarantines/lost')).json() as LostList).rows).toEqual([]);
  });

  it('a fever at a check opens an abnormal case, a second one is noted on it', async () => {
    const person = await f.person({ siteId: site.id });
    const q = await start({ person: person.code, lastExposure: '2020-01-26' });
    const below = await check(q.id, { date: '2020-01-27', slot: 1, temperatureC: 37.2 });
    expect(below.json()).toMatchObject({ fever: false, abnormalCaseId: null });
    const fever = await check(q.id, { date: '2020-01-27', slot: 2, temperatureC: 37.3 });
    expect(fever.statusCode, fever.body).toBe(200);
    const { abnormalCaseId } = fever.json() as { abnormalCaseId: string };
    expect(fever.json()).toMatchObject({ fever: true, temperatureC: 37.3 });
    const kase = await db().selectFrom('abnormal_cases').selectAll().where('id', '=', abnormalCaseId).executeTakeFirstOrThrow();
    expect(kase).toMatchObject({ person_id: person.id, incident_id: incidentId, source: 'manual', reason: 'FEVER', status: 'open', temperature_c: '37.3' });
    await moveTo('2020-01-28T02:00:00Z');
    const again = await check(q.id, { date: '2020-01-28', slot: 1, temperatureC: 38.1 });
    expect(again.json()).toMatchObject({ fever: true, abnormalCaseId });
    expect(await db().selectFrom('case_follow_ups').select(['condition', 'temperature_c']).where('case_id', '=', abnormalCaseId).execute()).toEqual([{ condition: expect.stringContaining('FEVER'), temperature_c: '38.1' }]);
    const log = JSON.stringify(await db().selectFrom('audit_log').select('details').where('object_id', '=', q.id).execute());
    expect(log).not.toContain('37.3');
    expect(log).not.toContain('38.1');
  });

  it('living support requests are delivered once; counselling notes need health.write', async () => {
    const added = await grid.post(`/api/health/quarantines/${ids.checked}/supports`, { kind: 'medicine', request: '降压药一盒' });
    expect(added.statusCode, added.body).toBe(201);
    const support = added.json() as { id: string };
    expect(support).toMatchObject({ kind: 'medicine', request: '降压药一盒', requestedAt: '2020-01-28T02:00:00.000Z', deliveredAt: null });
    expect(((await grid.get('/api/health/quarantines')).json() as QuarantinePage).rows.find((r) => r.id === ids.checked)?.supportsOpen).toBe(1);
    const delivered = await grid.post(`/api/health/quarantines/${ids.checked}/supports/${support.id}/deliver`, { note: '放门口' });
    expect(delivered.json()).toMatchObject({ id: support.id, deliveredAt: '2020-01-28T02:00:00.000Z', deliveredBy: 'grid', deliveryNote: '放门口' });
    expect(errorOf(await grid.post(`/api/health/quarantines/${ids.checked}/supports/${support.id}/deliver`, {}))).toEqual([409, 'SUPPORT_DELIVERED']);
    expect(errorOf(await grid.post(`/api/health/quarantines/${ids.silent}/supports/${support.id}/deliver`, {}))).toEqual([404, 'SUPPORT_NOT_FOUND']);
    expect(errorOf(await grid.post(`/api/health/quarantines/${ids.checked}/supports`, { kind: 'cash', request: 'x' }))).toEqual([400, 'VALIDATION_FAILED']);
    const note = await health.post(`/api/health/quarantines/${ids.checked}/notes`, { text: '情绪稳定，已电话疏导' });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json()).toMatchObject({ kind: 'counselling', text: '情绪稳定，已电话疏导', writtenBy: 'health-wzbw' });
    expect(errorOf(await grid.post(`/api/health/quarantines/${ids.checked}/notes`, { text: 'x' }))).toEqual([403, 'FORBIDDEN']);
    const q = await detail(ids.checked!);
    expect(q.supports).toEqual([expect.objectContaining({ id: support.id, deliveredBy: 'grid' })]);
    expect(q.notes).toEqual([expect.objectContaining({ kind: 'counselling', text: '情绪稳定，已电话疏导' })]);
    const log = JSON.stringify(await db().selectFrom('audit_log').select('details').where('action', 'in', ['health.quarantine.support', 'health.quarantine.note']).execute());
    expect(log).not.toContain('降压药');
    expect(log).not.toContain('疏导');
  });

  it('releases after a final check without fever, not before the planned end unless early with a reason', async () => {
    let q = await detail(ids.checked!);
    const release = (body: Record<string, unknown>) => health.post(`/api/health/quarantines/${ids.checked}/release`, { temperatureC: 36.5, note: '期满', version: q.version, ...body });
    expect(errorOf(await release({}))).toEqual([422, 'QUARANTINE_NOT_DUE']);
    expect(errorOf(await release({ early: true }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await grid.post(`/api/health/quarantines/${ids.checked}/release`, { temperatureC: 36.5, note: 'x', version: q.version }))).toEqual([403, 'FORBIDDEN']);
    await moveTo('2020-02-07T02:00:00Z');
    expect(errorOf(await release({ temperatureC: 37.5 }))).toEqual([422, 'RELEASE_FEVER']);
    expect(errorOf(await release({ version: q.version + 1 }))).toEqual([409, 'STALE_VERSION']);
    const res = await release({ temperatureC: 36.4 });
    expect(res.statusCode, res.body).toBe(200);
    q = res.json() as Quarantine;
    expect(q).toMatchObject({ status: 'released', release: { at: '2020-02-07T02:00:00.000Z', by: 'health-wzbw', temperatureC: 36.4, note: '期满' } });
    expect(q.followUps.filter((s) => s.date === '2020-02-07').map((s) => [s.status, s.temperatureC])).toEqual([['done', 36.4], ['cancelled', null]]);
    expect(await statusOf(checked.id)).toEqual({ status: 'green', rule: 'DEFAULT_GREEN' });
    expect(errorOf(await release({ version: q.version }))).toEqual([422, 'QUARANTINE_NOT_ACTIVE']);
    expect(errorOf(await check(ids.checked!, { date: '2020-02-07', slot: 2, temperatureC: 36.5 }))).toEqual([422, 'QUARANTINE_NOT_ACTIVE']);
    const log = await db().selectFrom('audit_log').select('details').where('action', '=', 'health.quarantine.release').where('object_id', '=', ids.checked!).executeTakeFirstOrThrow();
    expect(log.details).toEqual({ early: false, plannedEnd: '2020-02-07', cancelled: 1 });
    const released = (await health.get('/api/health/quarantines?status=released')).json() as QuarantinePage;
    expect(released.rows.map((r) => r.id)).toEqual([ids.checked]);
    // Early, with a reason: allowed.
    const early = await f.person({ siteId: site.id });
    const e = await start({ person: early.code, lastExposure: '2020-02-06' });
    const ok = await health.post(`/api/health/quarantines/${e.id}/release`, { temperatureC: 36.2, note: '核酸阴性', version: e.version, early: true, reason: '排除密接' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'released', release: { note: '排除密接 — 核酸阴性' } });
    expect((ok.json() as Quarantine).followUps.filter((s) => s.status === 'cancelled')).toHaveLength(27);
  });

  it('marks a quarantine lost: the open checks are dropped, the note kept', async () => {
    const res = await health.post(`/api/health/quarantines/${ids.silent}/lost`, { note: '电话无人接听，上门未见' });
    expect(res.statusCode, res.body).toBe(200);
    const q = res.json() as Quarantine;
    expect(q.status).toBe('lost');
    expect(q.followUps.filter((s) => s.date >= '2020-02-07').every((s) => s.status === 'cancelled')).toBe(true);
    expect(q.notes.at(-1)).toMatchObject({ kind: 'other', text: '电话无人接听，上门未见' });
    expect(errorOf(await health.post(`/api/health/quarantines/${ids.silent}/lost`, { note: 'x' }))).toEqual([422, 'QUARANTINE_NOT_ACTIVE']);
    expect(((await health.get('/api/health/quarantines?status=all')).json() as QuarantinePage).counts).toMatchObject({ lost: 1, released: 2 });
  });

  it('follows the incident’s period and checks a day (7 days, 3 a day)', async () => {
    await db().updateTable('health_incidents').set({ follow_up_days: 7, follow_up_per_day: 3 }).where('id', '=', incidentId).execute();
    try {
      const person = await f.person({ siteId: site.id });
      const q = await start({ person: person.code, lastExposure: '2020-02-06' });
      expect(q).toMatchObject({ perDay: 3, startDate: '2020-02-07', plannedEnd: '2020-02-13', window: { start: '2020-02-07', end: addDays('2020-02-07', 6) } });
      expect(q.followUps).toHaveLength(21);
      expect(q.followUps.filter((s) => s.date === '2020-02-07').map((s) => [s.slot, s.status])).toEqual([[1, 'due'], [2, 'due'], [3, 'due']]);
      expect(errorOf(await check(q.id, { date: '2020-02-07', slot: 4, temperatureC: 36.5 }))).toEqual([404, 'FOLLOW_UP_NOT_FOUND']);
      // Without an exposure: from the start day for 7 days.
      const manual = await start({ person: (await f.person({ siteId: site.id })).code, place: 'facility', facility: '集中隔离点A' });
      expect(manual).toMatchObject({ place: 'facility', facility: '集中隔离点A', startDate: '2020-02-07', plannedEnd: '2020-02-13', lastExposure: null, window: { start: '2020-02-07', end: '2020-02-13' } });
    } finally {
      await db().updateTable('health_incidents').set({ follow_up_days: 14, follow_up_per_day: 2 }).where('id', '=', incidentId).execute();
    }
  });

  it('keeps quarantines outside the scope out of sight (404)', async () => {
    const foreignSite = await f.site({ unitCode: 'YH1' });
    const foreign = await f.person({ siteId: foreignSite.id });
    expect(errorOf(await health.post('/api/health/quarantines', { person: foreign.code }))).toEqual([404, 'PERSON_NOT_FOUND']);
    const row = await db().insertInto('quarantines').values({ incident_id: incidentId, person_id: foreign.id, start_date: '2020-02-07', planned_end: '2020-02-20' }).returning(['id', 'version']).executeTakeFirstOrThrow();
    await db().insertInto('quarantine_follow_ups').values({ quarantine_id: row.id, date: '2020-02-07', slot: 1 }).execute();
    expect(errorOf(await health.get(`/api/health/quarantines/${row.id}`))).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    expect(errorOf(await grid.post(`/api/health/quarantines/${row.id}/follow-ups`, { date: '2020-02-07', slot: 1, temperatureC: 36.5 }))).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    expect(errorOf(await grid.post(`/api/health/quarantines/${row.id}/supports`, { kind: 'food', request: '米' }))).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    expect(errorOf(await health.post(`/api/health/quarantines/${row.id}/release`, { temperatureC: 36.5, note: 'x', version: row.version, early: true, reason: 'x' }))).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    expect(errorOf(await health.post(`/api/health/quarantines/${row.id}/lost`, { note: 'x' }))).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    expect(errorOf(await health.post(`/api/health/quarantines/${row.id}/notes`, { text: 'x' }))).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    expect(((await health.get('/api/health/quarantines?status=all')).json() as QuarantinePage).rows.map((r) => r.id)).not.toContain(row.id);
    expect(errorOf(await health.get(`/api/health/quarantines?site=${foreignSite.code}`))).toEqual([404, 'SITE_NOT_FOUND']);
    // A person of a unit below WZBW: in the health administrator's subtree, not in the grid worker's own unit.
    const wzbw = await db().selectFrom('units').select('id').where('code', '=', 'WZBW').executeTakeFirstOrThrow();
    const child = await db().insertInto('units').values({ code: 'WZBW-Q1', name_zh: '下属网格', name_en: 'Sub grid', kind: 'office', parent_id: wzbw.id }).returning('id').executeTakeFirstOrThrow();
    const below = await f.person({ unitId: child.id });
    const q = await start({ person: below.code });
    expect((await health.get(`/api/health/quarantines/${q.id}`)).statusCode).toBe(200);
    expect(errorOf(await grid.get(`/api/health/quarantines/${q.id}`))).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    expect(errorOf(await grid.post(`/api/health/quarantines/${q.id}/follow-ups`, { date: '2020-02-07', slot: 1, temperatureC: 36.5 }))).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    expect(((await grid.get('/api/health/quarantines')).json() as QuarantinePage).rows.map((r) => r.id)).not.toContain(q.id);
  });
});
