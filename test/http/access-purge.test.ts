import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJob } from '../../src/server/jobs/jobs';
import { accessPurgeJob, purgeAccessData } from '../../src/server/jobs/access-purge';
import { accessFixtures, type AccessFixtures, type CheckpointFixture, type PersonFixture } from '../helpers/access-fixtures';
import { createTestApp, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

const day = 86_400_000;

// The clock reads 2026-03-02T01:00:00Z; GATE_EVENT_RETENTION_DAYS=30 puts the cutoff at 2026-01-31T01:00:00Z.
describe.each(engines)('the retention job access-purge on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let now: Date;
  let cutoff: Date;
  let checkpoint: CheckpointFixture;
  let incidentGate: CheckpointFixture;
  let person: PersonFixture;
  const ids: Record<string, string> = {};

  async function event(name: string, at: Date, o: { checkpoint?: CheckpointFixture; passId?: string; temperatureC?: number; plate?: string } = {}) {
    const cp = o.checkpoint ?? checkpoint;
    const row = await t.deps.database.db
      .insertInto('gate_events')
      .values({
        idempotency_key: `purge-${randomUUID()}`,
        checkpoint_id: cp.id,
        site_id: cp.siteId,
        person_id: person.id,
        pass_id: o.passId ?? null,
        credential: o.passId ? 'pass' : 'person',
        direction: 'in',
        decision: 'allow',
        temperature_c: o.temperatureC ?? null,
        plate: o.plate ?? null,
        at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[name] = row.id;
  }
  /** A visit that ended at `endsAt`, with its pass (and the pass's site). */
  async function visit(name: string, endsAt: Date) {
    const visitor = await f.person({ name: '访客甲', category: 'visitor' });
    const v = await f.visit({ visitorPersonId: visitor.id, siteId: checkpoint.siteId, startsAt: new Date(endsAt.getTime() - 3_600_000), endsAt, plate: '晋A12345' });
    const pass = await f.pass({ personId: visitor.id, siteIds: [checkpoint.siteId], visitId: v.id, validFrom: '2025-12-01', validTo: '2025-12-31' });
    ids[name] = v.id;
    ids[`${name}-pass`] = pass.id;
  }
  const exists = async (table: 'gate_events' | 'visits' | 'passes', id: string) =>
    (await t.deps.database.db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  const auditRows = () =>
    t.deps.database.db.selectFrom('audit_log').select(['seq', 'action', 'actor_username', 'details']).where('action', '=', 'access.purge').orderBy('seq').execute();

  beforeAll(async () => {
    t = await createTestApp(engine, { demo: false, env: { GATE_EVENT_RETENTION_DAYS: '30' } });
    f = accessFixtures(t.deps);
    now = t.clock.now();
    cutoff = new Date(now.getTime() - 30 * day);
    const site = await f.site({ unitId: null });
    checkpoint = await f.checkpoint({ siteId: site.id });
    const incidentSite = await f.site({ unitId: null });
    incidentGate = await f.checkpoint({ siteId: incidentSite.id });
    person = await f.person({ name: '李雷', unitId: null, siteId: site.id });

    await event('old', new Date('2026-01-10T02:00:00Z'), { temperatureC: 36.7, plate: '晋A12345' });
    await event('old2', new Date('2026-01-11T02:00:00Z'));
    await event('old3', new Date('2026-01-12T02:00:00Z'));
    await event('justPast', new Date(cutoff.getTime() - 1000));
    await event('atCutoff', cutoff);
    await event('young', new Date('2026-02-20T02:00:00Z'));
    // Visits: one ended long ago (its pass was scanned then), one recently; one old visit whose
    // pass was scanned during an incident that is not purged yet.
    await visit('oldVisit', new Date('2026-01-15T09:00:00Z'));
    await event('oldVisitScan', new Date('2026-01-15T08:30:00Z'), { passId: ids['oldVisit-pass'] });
    await visit('youngVisit', new Date('2026-02-25T09:00:00Z'));
    await visit('heldVisit', new Date('2026-01-12T09:00:00Z'));
    // An incident at the second site, 2026-01-01 through 2026-01-20, closed and not purged: its
    // gate events feed the daily briefing until health-purge stores the briefings.
    const incident = await t.deps.database.db
      .insertInto('health_incidents')
      .values({ name: '测试疫情', start_date: '2026-01-01', status: 'closed', closed_at: new Date('2026-01-20T04:00:00Z'), purge_due_at: new Date('2026-02-19T04:00:00Z') })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.incident = incident.id;
    await t.deps.database.db.insertInto('health_incident_sites').values({ incident_id: incident.id, site_id: incidentSite.id }).execute();
    await event('held', new Date('2026-01-12T08:30:00Z'), { checkpoint: incidentGate, passId: ids['heldVisit-pass'] });
    await event('beforeIncident', new Date('2025-12-20T02:00:00Z'), { checkpoint: incidentGate });
    await event('afterIncident', new Date('2026-01-21T02:00:00Z'), { checkpoint: incidentGate });
  });
  afterAll(() => t?.close());

  it('is a daily job at 03:45, registered in the job list', () => {
    expect(findJob('access-purge')).toBe(accessPurgeJob);
    expect(accessPurgeJob.schedule).toBe('45 3 * * *');
  });

  it('a dry run counts what would go, deletes nothing, and says so in the audit log', async () => {
    const report = await purgeAccessData(t.deps, now, { dryRun: true });
    expect(report).toEqual({
      dryRun: true,
      retentionDays: 30,
      cutoff: '2026-01-31T01:00:00.000Z',
      // old, old2, old3, justPast, oldVisitScan, beforeIncident, afterIncident
      counts: { gate_events: 7, visits: 1, passes: 1, pass_sites: 1 },
      held: 1,
      batches: 0,
    });
    expect(await exists('gate_events', ids.old!)).toBe(true);
    expect(await exists('visits', ids.oldVisit!)).toBe(true);
    const rows = await auditRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ dryRun: true, counts: { gate_events: 7, visits: 1 }, held: 1 });
  });

  it('deletes gate events and ended visits past the retention in batches, each audited with counts only; keeps the young and the held', async () => {
    const before = (await auditRows()).length;
    const report = await purgeAccessData(t.deps, now, { batchSize: 3 });
    expect(report).toMatchObject({ dryRun: false, cutoff: '2026-01-31T01:00:00.000Z', counts: { gate_events: 7, visits: 1, passes: 1, pass_sites: 1 }, held: 1 });
    // 7 events in batches of 3: 3, 3, then 1 with the visit.
    expect(report.batches).toBe(3);
    for (const gone of ['old', 'old2', 'old3', 'justPast', 'oldVisitScan', 'beforeIncident', 'afterIncident']) expect(await exists('gate_events', ids[gone]!), gone).toBe(false);
    for (const kept of ['atCutoff', 'young', 'held']) expect(await exists('gate_events', ids[kept]!), kept).toBe(true);
    expect(await exists('visits', ids.oldVisit!)).toBe(false);
    expect(await exists('passes', ids['oldVisit-pass']!)).toBe(false);
    expect(await exists('visits', ids.youngVisit!)).toBe(true);
    expect(await exists('passes', ids['youngVisit-pass']!)).toBe(true);
    // Its pass was scanned during the unpurged incident: the visit stays while that event stays.
    expect(await exists('visits', ids.heldVisit!)).toBe(true);

    const rows = (await auditRows()).slice(before);
    expect(rows.map((r) => (r.details as { counts: { gate_events: number } }).counts.gate_events)).toEqual([3, 3, 1]);
    expect(rows.every((r) => r.actor_username === null)).toBe(true);
    expect(rows.at(-1)!.details).toMatchObject({ dryRun: false, retentionDays: 30, counts: { gate_events: 1, visits: 1, passes: 1, pass_sites: 1 }, held: 1 });
    // Counts only: no name, plate, temperature or id of what went.
    const text = JSON.stringify(rows);
    for (const value of ['李雷', '访客甲', '晋A12345', '36.7', ids.old!, ids.oldVisit!]) expect(text).not.toContain(value);
  });

  it('a second run deletes nothing and writes no audit row', async () => {
    const before = (await auditRows()).length;
    const report = await accessPurgeJob.run(t.deps, now);
    expect(report).toMatchObject({ counts: { gate_events: 0, visits: 0, passes: 0, pass_sites: 0 }, held: 1, batches: 0 });
    expect(await auditRows()).toHaveLength(before);
  });

  it('once health-purge has purged the incident, its gate events (and the visit they held) go on the next run', async () => {
    await t.deps.database.db.updateTable('health_incidents').set({ status: 'purged', purged_at: now }).where('id', '=', ids.incident!).execute();
    const report = await accessPurgeJob.run(t.deps, now);
    expect(report).toMatchObject({ counts: { gate_events: 1, visits: 1, passes: 1, pass_sites: 1 }, held: 0, batches: 1 });
    expect(await exists('gate_events', ids.held!)).toBe(false);
    expect(await exists('visits', ids.heldVisit!)).toBe(false);
    expect(await exists('gate_events', ids.young!)).toBe(true);
  });

  it('as the clock moves on, the young events age out too', async () => {
    const later = new Date(now.getTime() + 60 * day);
    const report = await accessPurgeJob.run(t.deps, later);
    expect(report).toMatchObject({ counts: { gate_events: 2, visits: 1 } });
    expect(await exists('gate_events', ids.young!)).toBe(false);
    expect(await exists('gate_events', ids.atCutoff!)).toBe(false);
    expect(await exists('visits', ids.youngVisit!)).toBe(false);
  });
});
