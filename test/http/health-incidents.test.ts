import { addDays, daysBetween, shanghaiDay } from '../../src/domain/notices/week';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthPurgeJob } from '../../src/server/jobs/health-purge';
import { systemContext } from '../../src/server/context';
import type { IncidentView, PurgeReport } from '../../src/server/modules/health-incidents/incidents.schemas';
import { purgedTables, purgeIncident } from '../../src/server/modules/health-incidents/purge';
import { accessFixtures, type AccessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { wzbwHealthAdmin } from '../helpers/users';

const dayMs = 86_400_000;

describe.each(engines)('health incidents on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let health: Client;
  let grid: Client;
  let manager: Client;
  let site: SiteFixture;
  let foreign: SiteFixture;

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    health = await wzbwHealthAdmin(t);
    grid = await t.login('grid');
    manager = await t.login('manager');
    site = await f.site({ unitCode: 'WZBW' });
    foreign = await f.site({ unitCode: 'YH1' });
  });
  afterAll(() => t?.close());

  const db = () => t.deps.database.db;
  const errorOf = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error: { code: string } }).error?.code] as const;

  /** Moves the clock, signing in again (sessions end after a while idle). */
  async function advance(ms: number): Promise<void> {
    t.clock.advance(ms);
    [health, grid, manager] = await Promise.all([wzbwHealthAdmin(t), t.login('grid'), t.login('manager')]);
  }
  /** Ends whatever incident is active, straight in the database (each test starts with emergency mode off). */
  async function closeActive(): Promise<void> {
    const now = t.clock.now();
    await db().updateTable('health_incidents').set({ status: 'closed', closed_at: now, purge_due_at: new Date(now.getTime() + 365 * dayMs) }).where('status', '=', 'active').execute();
  }
  async function create(body: Record<string, unknown>): Promise<IncidentView> {
    const res = await health.post('/api/health/incidents', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as IncidentView;
  }

  /** One row in every purged table for the person (and the case, quarantine and transfer they hang on). */
  async function personalRows(incidentId: string, personId: string, contactId: string): Promise<void> {
    const at = t.clock.now();
    const day = f.today();
    await db().insertInto('health_declarations').values({ incident_id: incidentId, person_id: personId, date: day, temperature_c: '37.5', status: 'yellow' }).execute();
    await db().insertInto('health_reminders').values({ incident_id: incidentId, person_id: contactId, date: day }).execute();
    const travel = await db().insertInto('travel_records').values({ incident_id: incidentId, person_id: personId, region: '湖北省武汉市', from_date: day, to_date: day, transport: 'train' }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('return_screenings').values({ incident_id: incidentId, person_id: personId, return_date: day, items: JSON.stringify([{ travelRecordId: travel.id, checked: false, note: null }]) }).execute();
    await db().insertInto('health_statuses').values({ person_id: personId, status: 'yellow', rule: 'YELLOW_FEVER', facts: '{}', incident_id: incidentId }).execute();
    await db().insertInto('health_status_contests').values({ incident_id: incidentId, person_id: personId, status: 'yellow', rule: 'YELLOW_FEVER', reason: '体温计不准' }).execute();
    const kase = await db().insertInto('abnormal_cases').values({ person_id: personId, incident_id: incidentId, source: 'declaration', reason: 'FEVER', opened_at: at }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('case_follow_ups').values({ case_id: kase.id, at, condition: '体温37.5' }).execute();
    await db().insertInto('exposures').values({ incident_id: incidentId, case_id: kase.id, source_person_id: personId, contact_person_id: contactId, date: day, type: 'household' }).execute();
    const q = await db().insertInto('quarantines').values({ incident_id: incidentId, person_id: contactId, start_date: day, planned_end: day }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('quarantine_follow_ups').values([{ quarantine_id: q.id, date: day, slot: 1 }, { quarantine_id: q.id, date: day, slot: 2 }]).execute();
    await db().insertInto('quarantine_supports').values({ quarantine_id: q.id, kind: 'food', request: '蔬菜', requested_at: at }).execute();
    await db().insertInto('quarantine_notes').values({ quarantine_id: q.id, text: '情绪稳定', at }).execute();
    const trip = await db().insertInto('transfers').values({ incident_id: incidentId, at, vehicle: '晋M12345', driver: '王师傅', from_place: '小区', to_place: '医院' }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('transfer_people').values({ transfer_id: trip.id, person_id: personId, case_id: kase.id }).execute();
  }
  const expectedCounts = Object.fromEntries(purgedTables.map((p) => [p.table, p.table === 'quarantine_follow_ups' ? 2 : 1]));
  const countOf = async (table: string, incidentId: string): Promise<number> => {
    const where = purgedTables.find((p) => p.table === table)!.rows(incidentId);
    return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(db())).rows[0]!.n;
  };

  it('switches emergency mode on for sites and units in scope, one incident at a time', async () => {
    expect((await manager.get('/api/health/incidents/active')).json()).toBeNull();
    expect(errorOf(await health.post('/api/health/incidents', { name: '无范围', startDate: '2026-03-01' }))).toEqual([422, 'INCIDENT_SCOPE_EMPTY']);
    expect(errorOf(await health.post('/api/health/incidents', { name: '外单位', startDate: '2026-03-01', sites: [foreign.code] }))).toEqual([404, 'SITE_NOT_FOUND']);
    expect(errorOf(await health.post('/api/health/incidents', { name: '外单位', startDate: '2026-03-01', units: ['YH1'] }))).toEqual([404, 'UNIT_NOT_FOUND']);
    expect(errorOf(await health.post('/api/health/incidents', { name: '精度', startDate: '2026-03-01', sites: [site.code], feverThresholdC: 37.25 }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await grid.post('/api/health/incidents', { name: '网格员', startDate: '2026-03-01', sites: [site.code] }))).toEqual([403, 'FORBIDDEN']);

    const incident = await create({ name: '新冠肺炎疫情防控', startDate: '2026-01-24', sites: [site.code, site.code], units: ['WZBW'], feverThresholdC: 37.5, followUpPerDay: 3 });
    expect(incident).toMatchObject({
      name: '新冠肺炎疫情防控',
      startDate: '2026-01-24',
      status: 'active',
      sites: [{ code: site.code }],
      units: [{ code: 'WZBW' }],
      settings: { declarationDueTime: '10:00', feverThresholdC: 37.5, followUpDays: 14, followUpPerDay: 3, travelLookbackDays: 15, retentionDays: 30 },
      closedAt: null,
      purgeDueAt: null,
      lastPurge: null,
      version: 1,
    });
    // Every signed-in user learns whether emergency mode is on; the list needs health.read.
    expect((await manager.get('/api/health/incidents/active')).json()).toMatchObject({ id: incident.id, sites: [{ code: site.code }] });
    expect((await manager.get('/api/health/incidents')).statusCode).toBe(403);
    expect((await grid.get('/api/health/incidents')).json().rows.map((r: IncidentView) => r.id)).toContain(incident.id);
    expect(errorOf(await health.post('/api/health/incidents', { name: '第二个', startDate: '2026-03-01', sites: [site.code] }))).toEqual([422, 'INCIDENT_ALREADY_ACTIVE']);
    const log = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'health.incident.create').where('object_id', '=', incident.id).executeTakeFirstOrThrow();
    expect(log).toMatchObject({ actor_username: 'health-wzbw', details: { name: '新冠肺炎疫情防控', sites: [site.code], units: ['WZBW'] } });
    await closeActive();
  });

  it('changes settings and scope by version, and closes only with the name typed again', async () => {
    const incident = await create({ name: '流感应急', startDate: '2026-03-01', sites: [site.code], retentionDays: 10 });
    expect(errorOf(await health.patch(`/api/health/incidents/${incident.id}`, { version: 9, followUpDays: 7 }))).toEqual([409, 'STALE_VERSION']);
    const patched = await health.patch(`/api/health/incidents/${incident.id}`, { version: 1, followUpDays: 7, sites: [], units: ['WZBW'] });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ sites: [], units: [{ code: 'WZBW' }], settings: { followUpDays: 7 }, version: 2 });
    expect(errorOf(await health.patch(`/api/health/incidents/${incident.id}`, { version: 2, sites: [], units: [] }))).toEqual([422, 'INCIDENT_SCOPE_EMPTY']);
    const changes = await db().selectFrom('audit_log').select('changes').where('action', '=', 'health.incident.update').where('object_id', '=', incident.id).executeTakeFirstOrThrow();
    expect(changes.changes).toEqual({ sites: { old: [site.code], new: [] }, units: { old: [], new: ['WZBW'] }, followUpDays: { old: 14, new: 7 } });

    expect(errorOf(await health.post(`/api/health/incidents/${incident.id}/close`, { name: '流感' }))).toEqual([422, 'INCIDENT_NAME_MISMATCH']);
    await advance(3_600_000);
    const now = t.clock.now();
    const closed = await health.post(`/api/health/incidents/${incident.id}/close`, { name: ' 流感应急 ' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closedAt: now.toISOString(), purgeDueAt: new Date(now.getTime() + 10 * dayMs).toISOString(), version: 3 });
    expect((await health.get('/api/health/incidents/active')).json()).toBeNull();
    expect(errorOf(await health.post(`/api/health/incidents/${incident.id}/close`, { name: '流感应急' }))).toEqual([422, 'INCIDENT_NOT_ACTIVE']);
    // After the close only the name and the retention change; a longer retention moves the purge date.
    expect(errorOf(await health.patch(`/api/health/incidents/${incident.id}`, { version: 3, followUpDays: 9 }))).toEqual([422, 'INCIDENT_CLOSED']);
    const held = await health.patch(`/api/health/incidents/${incident.id}`, { version: 3, retentionDays: 60 });
    expect(held.json()).toMatchObject({ settings: { retentionDays: 60 }, purgeDueAt: new Date(now.getTime() + 60 * dayMs).toISOString() });
    expect(await db().selectFrom('audit_log').select('details').where('action', '=', 'health.incident.close').where('object_id', '=', incident.id).executeTakeFirstOrThrow()).toEqual({
      details: { name: '流感应急', retentionDays: 10, purgeDueAt: new Date(now.getTime() + 10 * dayMs).toISOString() },
    });
  });

  it('purges the personal data once the retention has run out: a dry run first, aggregates and trips kept', async () => {
    const incident = await create({ name: '疫情甲', startDate: '2026-02-20', sites: [site.code], retentionDays: 30 });
    const [a, b, c, d] = [await f.person({ siteId: site.id }), await f.person({ siteId: site.id }), await f.person({ siteId: site.id }), await f.person({ siteId: site.id })];
    await personalRows(incident.id, a.id, b.id);
    // Another (closed) incident's rows must stay.
    const other = await db().insertInto('health_incidents').values({ name: '旧事件', start_date: '2025-01-01', status: 'closed', closed_at: t.clock.now(), purge_due_at: new Date(t.clock.now().getTime() + 3650 * dayMs) }).returning('id').executeTakeFirstOrThrow();
    await personalRows(other.id, c.id, d.id);
    await db().insertInto('donations').values({ donor: '某公司', amount: '2000.00', date: '2026-03-01', incident_id: incident.id }).execute();
    await db().insertInto('volunteers').values({ person_id: c.id, task: '配送', incident_id: incident.id }).execute();

    const dry = await health.post(`/api/health/incidents/${incident.id}/purge`, { dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ incidentId: incident.id, dryRun: true, counts: expectedCounts, total: 15, runBy: 'health-wzbw' });
    expect(await countOf('health_declarations', incident.id)).toBe(1);

    expect(errorOf(await health.post(`/api/health/incidents/${incident.id}/purge`, { dryRun: false }))).toEqual([422, 'PURGE_NOT_DUE']);
    await health.post(`/api/health/incidents/${incident.id}/close`, { name: '疫情甲' });
    // The briefing of the incident's last day, as computed from the personal rows before the purge.
    const closedDay = shanghaiDay(t.clock.now());
    const briefingOf = async () => {
      const res = await health.get(`/api/health/briefings/daily?date=${closedDay}&incident=${incident.id}`);
      expect(res.statusCode, res.body).toBe(200);
      const { generatedAt: _g, stored: _s, incident: _i, ...figures } = res.json() as Record<string, unknown>;
      return figures;
    };
    const before = await briefingOf();
    expect(before).toMatchObject({ declarationsDone: expect.any(Number) });
    const early = await health.post(`/api/health/incidents/${incident.id}/purge`, { dryRun: false });
    const due = new Date(t.clock.now().getTime() + 30 * dayMs);
    expect(early.json()).toMatchObject({ error: { code: 'PURGE_NOT_DUE', details: { purgeDueAt: due.toISOString() } } });
    await advance(30 * dayMs - 1000);
    expect(errorOf(await health.post(`/api/health/incidents/${incident.id}/purge`, { dryRun: false }))).toEqual([422, 'PURGE_NOT_DUE']);
    await advance(1000);

    const run = await health.post(`/api/health/incidents/${incident.id}/purge`, { dryRun: false });
    expect(run.statusCode, run.body).toBe(200);
    const report = run.json() as PurgeReport;
    expect(report).toMatchObject({ dryRun: false, counts: expectedCounts, total: 15, runAt: due.toISOString() });
    for (const { table } of purgedTables) {
      expect(await countOf(table, incident.id), table).toBe(0);
      expect(await countOf(table, other.id), `${table} of the other incident`).toBe(expectedCounts[table]);
    }
    // Kept: the trip without its people, the briefing's aggregates, donations, volunteers.
    expect(await db().selectFrom('transfers').select('vehicle').where('incident_id', '=', incident.id).execute()).toEqual([{ vehicle: '晋M12345' }]);
    // Every day from the start through the close was stored first: the briefing answers unchanged.
    expect(await db().selectFrom('health_briefings').select('date').where('incident_id', '=', incident.id).orderBy('date').execute()).toEqual(
      Array.from({ length: daysBetween('2026-02-20', closedDay) + 1 }, (_, i) => ({ date: addDays('2026-02-20', i) })),
    );
    expect(await briefingOf()).toEqual(before);
    expect(await db().selectFrom('donations').select('amount').where('incident_id', '=', incident.id).execute()).toEqual([{ amount: '2000.00' }]);
    expect(await db().selectFrom('volunteers').select('task').where('incident_id', '=', incident.id).execute()).toHaveLength(1);

    const list = (await health.get('/api/health/incidents')).json().rows as IncidentView[];
    expect(list.find((i) => i.id === incident.id)).toMatchObject({ status: 'purged', purgedAt: due.toISOString(), lastPurge: { id: report.id, dryRun: false, total: 15 } });
    const reports = (await health.get(`/api/health/incidents/${incident.id}/purges`)).json().rows as PurgeReport[];
    expect(reports.map((r) => r.dryRun)).toEqual([false, true]);
    const audits = await db().selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'health.incident.purge').where('object_id', '=', incident.id).orderBy('seq').execute();
    expect(audits).toEqual([
      { actor_username: 'health-wzbw', details: { dryRun: true, counts: expectedCounts, total: 15, purgeId: reports[1]!.id } },
      { actor_username: 'health-wzbw', details: { dryRun: false, counts: expectedCounts, total: 15, purgeId: report.id } },
    ]);
    expect(await db().selectFrom('health_purges').select(['dry_run', 'counts']).where('incident_id', '=', incident.id).orderBy('run_at').execute()).toEqual([
      { dry_run: true, counts: expectedCounts },
      { dry_run: false, counts: expectedCounts },
    ]);
    expect(errorOf(await health.post(`/api/health/incidents/${incident.id}/purge`, { dryRun: false }))).toEqual([422, 'INCIDENT_PURGED']);
    expect(errorOf(await grid.post(`/api/health/incidents/${incident.id}/purge`, { dryRun: true }))).toEqual([403, 'FORBIDDEN']);
  });

  it('runs the hook before deleting, in the same transaction, and rolls everything back when it fails', async () => {
    const incident = await create({ name: '疫情乙', startDate: '2026-03-01', sites: [site.code], retentionDays: 0 });
    const [a, b] = [await f.person({ siteId: site.id }), await f.person({ siteId: site.id })];
    await personalRows(incident.id, a.id, b.id);
    await health.post(`/api/health/incidents/${incident.id}/close`, { name: '疫情乙' });
    const failing = purgeIncident(t.deps, systemContext('test'), incident.id, {
      dryRun: false,
      beforePurge: async () => {
        throw new Error('briefing store failed');
      },
    });
    await expect(failing).rejects.toThrow('briefing store failed');
    expect(await countOf('health_declarations', incident.id)).toBe(1);
    let seen = -1;
    const report = await purgeIncident(t.deps, systemContext('test'), incident.id, {
      dryRun: false,
      beforePurge: async (trx, i) => {
        expect(i.id).toBe(incident.id);
        seen = Number((await trx.selectFrom('health_declarations').select((eb) => eb.fn.countAll().as('n')).where('incident_id', '=', i.id).executeTakeFirstOrThrow()).n);
      },
    });
    expect(seen).toBe(1);
    expect(report).toMatchObject({ dryRun: false, total: 15, runBy: null });
  });

  it('the job purges every closed incident whose purge date has come, once', async () => {
    const incident = await create({ name: '疫情丙', startDate: '2026-03-01', sites: [site.code], retentionDays: 2 });
    const [a, b] = [await f.person({ siteId: site.id }), await f.person({ siteId: site.id })];
    await personalRows(incident.id, a.id, b.id);
    await health.post(`/api/health/incidents/${incident.id}/close`, { name: '疫情丙' });
    const closedAt = t.clock.now().getTime();
    expect(healthPurgeJob).toMatchObject({ name: 'health-purge', schedule: '30 3 * * *' });
    expect(await healthPurgeJob.run(t.deps, new Date(closedAt + dayMs))).toMatchObject({ purged: 0, incidents: [] });
    expect(await countOf('health_declarations', incident.id)).toBe(1);
    const first = await healthPurgeJob.run(t.deps, new Date(closedAt + 2 * dayMs));
    // Earlier tests' incidents: the first closed far in the future, the purged ones no longer 'closed'.
    expect(first).toEqual({ purged: 1, incidents: [incident.id], counts: expectedCounts });
    expect(await countOf('health_declarations', incident.id)).toBe(0);
    const row = await db().selectFrom('health_incidents').select(['status', 'purged_at']).where('id', '=', incident.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'purged', purged_at: new Date(closedAt + 2 * dayMs) });
    expect(await db().selectFrom('audit_log').select('actor_username').where('action', '=', 'health.incident.purge').where('object_id', '=', incident.id).execute()).toHaveLength(1);
    expect(await healthPurgeJob.run(t.deps, new Date(closedAt + 3 * dayMs))).toMatchObject({ purged: 0 });
  });
});
