import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDay } from '../../src/domain/notices/week';
import { demoAccessPeople } from '../../src/server/demo/demo-access';
import { demoAmbulance, demoHealthStory, demoHealthTimeline, demoIncidentName, type DemoHealthStory } from '../../src/server/demo/demo-health';
import { seedDemo } from '../../src/server/demo/seed';
import { createTestApp, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

const communities = ['CXBQ', 'CWXQ', 'CWMH', 'CXNQ', 'FHY', 'LCXC'];

describe('demo health story', () => {
  it('is deterministic: 7 contacts of four kinds, 2 isolated and 4 observed returning staff, transfers of 22 trips and 55 person-trips by 16 March', () => {
    const { people } = demoAccessPeople('small');
    const story = demoHealthStory(people, 'small');
    expect(demoHealthStory(people, 'small')).toEqual(story);
    expect(story.contacts.map((c) => c.type)).toEqual(['household', 'household', 'household', 'workplace', 'workplace', 'canteen', 'gate']);
    expect(story.contacts.filter((c) => c.type === 'household').every((c) => c.date === '2020-01-24' && c.place === 'home')).toBe(true);
    expect(story.returning).toHaveLength(12);
    expect(demoHealthStory(demoAccessPeople('full').people, 'full').returning).toHaveLength(60);
    expect(story.returning.filter((r) => r.decision === 'isolate')).toHaveLength(2);
    expect(story.returning.filter((r) => r.decision === 'observe')).toHaveLength(4);
    expect(story.returning.every((r) => r.returnDate >= demoHealthTimeline.screeningFrom && r.stays.every((s) => s.to < r.returnDate && s.from >= addDays(r.returnDate, -15)))).toBe(true);
    expect(story.transfers).toHaveLength(22);
    expect(story.transfers.reduce((n, t) => n + t.people.length, 0)).toBe(55);
    expect(story.transfers.every((t) => t.date <= demoHealthTimeline.transfersBy)).toBe(true);
    // Everyone has one role (volunteers aside, nobody appears twice).
    const roles = [story.caseCode, ...story.contacts.map((c) => c.code), ...story.returning.map((r) => r.code), ...story.fevers.map((f) => f.code), ...story.volunteers, story.gridPerson, story.healthPerson];
    expect(new Set(roles).size).toBe(roles.length);
    // A code left out (e.g. a manual red status) is never picked.
    const without = demoHealthStory(people, 'small', new Set([story.caseCode]));
    expect(without.caseCode).not.toBe(story.caseCode);
  });
});

/** The replay with PACESETTER_DEMO_ACCESS=small and PACESETTER_DEMO_HEALTH=small: what lands in the database. */
describe.each(engines)('demo health replay, small (%s)', (engine) => {
  let t: TestApp;
  let story: DemoHealthStory;
  let incidentId: string;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { PACESETTER_DEMO_ACCESS: 'small', PACESETTER_DEMO_HEALTH: 'small' } });
    const { db } = t.deps.database;
    // The access demo's manual red statuses are left alone by the story.
    const manual = await db.selectFrom('health_statuses as hs').innerJoin('people as p', 'p.id', 'hs.person_id').select('p.code').where('hs.rule', '=', 'manual').execute();
    story = demoHealthStory(demoAccessPeople('small').people, 'small', new Set(manual.map((m) => m.code)));
    incidentId = (await db.selectFrom('health_incidents').select('id').where('name', '=', demoIncidentName).executeTakeFirstOrThrow()).id;
  }, 600_000);
  afterAll(async () => {
    await t.close();
  });

  const personId = async (code: string) => (await t.deps.database.db.selectFrom('people').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const rows = async <T>(query: RawBuilder<T>) => (await query.execute(t.deps.database.db)).rows;

  it('an active incident from 2020-01-24 over the 8 sites, with the default settings', async () => {
    const { db } = t.deps.database;
    const incident = await db.selectFrom('health_incidents').selectAll().where('id', '=', incidentId).executeTakeFirstOrThrow();
    expect(incident).toMatchObject({ start_date: '2020-01-24', status: 'active', follow_up_days: 14, follow_up_per_day: 2, travel_lookback_days: 15, retention_days: 30 });
    expect(Number(incident.fever_threshold_c)).toBe(37.3);
    const sites = await db.selectFrom('health_incident_sites as i').innerJoin('sites as s', 's.id', 'i.site_id').select('s.code').where('i.incident_id', '=', incidentId).execute();
    expect(sites.map((s) => s.code).sort()).toEqual([...communities, 'SXLY-PLANT', 'XCL-PLANT'].sort());
  });

  it('one confirmed case in 翠微小区 on 24 January, recovered on 21 February, with exactly 7 close contacts quarantined from the day after their exposure for 14 days, 2 checks a day', async () => {
    const { db } = t.deps.database;
    const confirmed = await db
      .selectFrom('abnormal_cases as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .innerJoin('sites as s', 's.id', 'c.site_id')
      .select(['c.id', 'p.code', 's.code as site', 'c.source', 'c.opened_at', 'c.closed_at', 'c.status', 'c.outcome'])
      .where('c.incident_id', '=', incidentId)
      .where('c.classification', '=', 'confirmed')
      .execute();
    expect(confirmed).toHaveLength(1);
    const patient = confirmed[0]!;
    expect(patient).toMatchObject({ code: story.caseCode, site: 'CWXQ', source: 'manual', status: 'closed', outcome: 'recovered' });
    expect(shanghaiDay(patient.opened_at)).toBe('2020-01-24');
    expect(new Date(patient.opened_at).getUTCHours() + 8).toBeLessThan(12);
    expect(shanghaiDay(patient.closed_at!)).toBe('2020-02-21');
    const card = await db.selectFrom('case_follow_ups').select(['condition', 'action']).where('case_id', '=', patient.id).execute();
    expect(card.some((f) => f.condition.includes('消毒'))).toBe(true);
    const toHospital = await rows(sql<{ n: number }>`SELECT count(*)::int AS n FROM transfers t JOIN transfer_people tp ON tp.transfer_id = t.id
      WHERE tp.person_id = ${await personId(story.caseCode)} AND tp.case_id = ${patient.id} AND (t.at AT TIME ZONE 'Asia/Shanghai')::date = '2020-01-24'`);
    expect(toHospital[0]!.n).toBe(1);

    const exposures = await db.selectFrom('exposures as e').innerJoin('people as p', 'p.id', 'e.contact_person_id').select(['p.code', 'e.date', 'e.type', 'e.close']).where('e.case_id', '=', patient.id).execute();
    expect(exposures).toHaveLength(7);
    expect(exposures.every((e) => e.close && (e.date === '2020-01-23' || e.date === '2020-01-24'))).toBe(true);
    expect(new Set(exposures.map((e) => e.code))).toEqual(new Set(story.contacts.map((c) => c.code)));
    for (const c of story.contacts) {
      const q = await db.selectFrom('quarantines').selectAll().where('person_id', '=', await personId(c.code)).where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
      expect(q).toMatchObject({ start_date: addDays(c.date, 1), planned_end: addDays(c.date, 14), per_day: 2, place: c.place, status: 'released' });
      const checks = await db.selectFrom('quarantine_follow_ups').select(['date', 'slot', 'done_at', 'temperature_c']).where('quarantine_id', '=', q.id).where('cancelled', '=', false).execute();
      expect(checks).toHaveLength(28);
      const missed = story.missedChecks.filter((m) => m.code === c.code);
      expect(checks.filter((f) => f.done_at === null).map((f) => ({ code: c.code, date: f.date, slot: f.slot }))).toEqual(missed);
      expect(checks.every((f) => f.done_at === null || Number(f.temperature_c) < 37.3)).toBe(true);
      expect(shanghaiDay(q.released_at!)).toBe(q.planned_end);
    }
    const care = await rows(sql<{ supports: number; delivered: number; notes: number }>`SELECT
      (SELECT count(*) FROM quarantine_supports s JOIN quarantines q ON q.id = s.quarantine_id WHERE q.incident_id = ${incidentId})::int AS supports,
      (SELECT count(*) FROM quarantine_supports s JOIN quarantines q ON q.id = s.quarantine_id WHERE q.incident_id = ${incidentId} AND s.delivered_at IS NOT NULL)::int AS delivered,
      (SELECT count(*) FROM quarantine_notes n JOIN quarantines q ON q.id = n.quarantine_id WHERE q.incident_id = ${incidentId} AND n.kind = 'counselling')::int AS notes`);
    expect(care[0]).toEqual({ supports: 3, delivered: 3, notes: 2 });
  });

  it('transfers by the ambulance reach exactly 22 trips and 55 person-trips by 16 March 2020, and none after; each disinfected', async () => {
    const by = await rows(sql<{ trips: number; person_trips: number; after: number; undisinfected: number; vehicles: number }>`SELECT
      (SELECT count(*) FROM transfers WHERE incident_id = ${incidentId} AND at < '2020-03-17T00:00:00+08:00')::int AS trips,
      (SELECT count(*) FROM transfer_people tp JOIN transfers x ON x.id = tp.transfer_id WHERE x.incident_id = ${incidentId} AND x.at < '2020-03-17T00:00:00+08:00')::int AS person_trips,
      (SELECT count(*) FROM transfers WHERE incident_id = ${incidentId} AND at >= '2020-03-17T00:00:00+08:00')::int AS after,
      (SELECT count(*) FROM transfers WHERE incident_id = ${incidentId} AND NOT disinfected)::int AS undisinfected,
      (SELECT count(DISTINCT vehicle || driver) FROM transfers WHERE incident_id = ${incidentId})::int AS vehicles`);
    expect(by[0]).toEqual({ trips: demoHealthTimeline.trips, person_trips: demoHealthTimeline.personTrips, after: 0, undisinfected: 0, vehicles: 1 });
    const one = await t.deps.database.db.selectFrom('transfers').select(['vehicle', 'driver']).where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
    expect(one).toEqual(demoAmbulance);
  });

  it('2–3 active supply points per community, open every day in the morning and afternoon', async () => {
    const points = await t.deps.database.db.selectFrom('supply_points as sp').innerJoin('sites as s', 's.id', 'sp.site_id').select(['s.code', 'sp.opening_hours', 'sp.active']).execute();
    for (const code of communities) {
      const mine = points.filter((p) => p.code === code);
      expect(mine.length, code).toBeGreaterThanOrEqual(2);
      expect(mine.length, code).toBeLessThanOrEqual(3);
      for (const p of mine) {
        expect(p.active).toBe(true);
        expect(p.opening_hours).toHaveLength(2);
        expect(p.opening_hours.every((w) => w.days.length === 7)).toBe(true);
      }
    }
    expect(points.some((p) => p.opening_hours[0]!.from === '07:00' && p.opening_hours[1]!.to === '18:00')).toBe(true);
  });

  it('donations of 2 000 and 1 000 yuan from retirees in February 2020, for epidemic prevention', async () => {
    const gifts = await rows(sql<{ donor: string; amount: string; date: string; purpose: string }>`SELECT donor, amount::text AS amount, to_char(date, 'YYYY-MM-DD') AS date, purpose FROM donations WHERE incident_id = ${incidentId} ORDER BY amount DESC`);
    expect(gifts.map((g) => g.amount)).toEqual(['2000.00', '1000.00']);
    expect(gifts.every((g) => g.donor.startsWith('退休职工') && g.date.startsWith('2020-02') && g.purpose === '疫情防控')).toBe(true);
    const volunteers = await t.deps.database.db.selectFrom('volunteers').select('id').where('incident_id', '=', incidentId).execute();
    expect(volunteers.length).toBeGreaterThanOrEqual(3);
  });

  it('returning staff screened from 28 January, every item checked; observe opened cases, isolate also quarantines', async () => {
    const screenings = await t.deps.database.db.selectFrom('return_screenings as r').innerJoin('people as p', 'p.id', 'r.person_id').select(['p.code', 'r.return_date', 'r.status', 'r.items', 'r.reviewer_id']).where('r.incident_id', '=', incidentId).execute();
    expect(screenings).toHaveLength(story.returning.length);
    expect(screenings.every((s) => s.return_date >= '2020-01-28' && s.reviewer_id !== null && s.items.length > 0 && s.items.every((i) => i.checked))).toBe(true);
    const health = await t.deps.database.db.selectFrom('users').select('id').where('username', '=', 'health').executeTakeFirstOrThrow();
    expect(screenings.every((s) => s.reviewer_id === health.id)).toBe(true);
    const byStatus = (s: string) => screenings.filter((x) => x.status === s).map((x) => x.code).sort();
    expect(byStatus('isolate')).toEqual(story.returning.filter((r) => r.decision === 'isolate').map((r) => r.code).sort());
    expect(byStatus('observe')).toHaveLength(4);
    const cases = await rows(sql<{ code: string; reason: string; quarantined: boolean }>`SELECT p.code, c.reason,
        EXISTS (SELECT 1 FROM quarantines q WHERE q.person_id = c.person_id AND q.incident_id = c.incident_id) AS quarantined
      FROM abnormal_cases c JOIN people p ON p.id = c.person_id WHERE c.incident_id = ${incidentId} AND c.source = 'screening'`);
    expect(cases).toHaveLength(6);
    expect(cases.filter((c) => c.quarantined).map((c) => c.code).sort()).toEqual(byStatus('isolate'));
  });

  it('declarations from 28 January through 31 March, about 97 % done; the fevers opened FEVER cases, closed as excluded', async () => {
    const [span] = await rows(sql<{ first: string; last: string; done: number; due: number }>`SELECT to_char(min(date), 'YYYY-MM-DD') AS first, to_char(max(date), 'YYYY-MM-DD') AS last, count(*)::int AS done,
        (SELECT count(*) FROM people p WHERE p.category <> 'visitor' AND (p.site_id IN (SELECT site_id FROM health_incident_sites WHERE incident_id = ${incidentId}) OR p.unit_id IS NOT NULL))::int * 64 AS due
      FROM health_declarations WHERE incident_id = ${incidentId}`);
    expect(span).toMatchObject({ first: '2020-01-28', last: '2020-03-31' });
    expect(span!.done / span!.due).toBeGreaterThan(0.95);
    expect(span!.done / span!.due).toBeLessThan(0.99);
    const fevers = await rows(sql<{ code: string; date: string; temperature: string; status: string; reason: string; source_ref: string; declaration: string; outcome: string }>`
      SELECT p.code, to_char(d.date, 'YYYY-MM-DD') AS date, d.temperature_c::text AS temperature, d.status, c.reason, c.source_ref::text AS source_ref, d.id::text AS declaration, c.outcome
      FROM health_declarations d JOIN people p ON p.id = d.person_id
        LEFT JOIN abnormal_cases c ON c.person_id = d.person_id AND c.incident_id = d.incident_id AND c.source = 'declaration'
      WHERE d.incident_id = ${incidentId} AND d.temperature_c >= 37.3 ORDER BY d.date, p.code`);
    expect(fevers.map((f) => f.code).sort()).toEqual(story.fevers.map((f) => f.code).sort());
    for (const f of fevers) expect(f).toMatchObject({ status: 'yellow', reason: 'FEVER', source_ref: f.declaration, outcome: 'excluded' });
    expect(fevers.some((f) => f.temperature === '37.3')).toBe(true);
    const [range] = await rows(sql<{ low: string; high: string }>`SELECT min(temperature_c)::text AS low, max(temperature_c)::text AS high FROM health_declarations WHERE incident_id = ${incidentId} AND temperature_c < 37.3`);
    expect(range).toEqual({ low: '36.0', high: '37.2' });
    // Red in quarantine (and within 14 days of a high-risk area), yellow within 14 days of a medium-risk one, green after.
    const statusesOf = async (code: string, from: string, to: string) =>
      (await rows(sql<{ status: string }>`SELECT status FROM health_declarations WHERE person_id = ${await personId(code)} AND date BETWEEN ${from}::date AND ${to}::date`)).map((d) => d.status);
    const household = story.contacts[0]!;
    const inQuarantine = await statusesOf(household.code, '2020-01-28', addDays(household.date, 14));
    expect(inQuarantine.length).toBeGreaterThan(5);
    expect(new Set(inQuarantine)).toEqual(new Set(['red']));
    expect(new Set(await statusesOf(household.code, '2020-02-20', '2020-03-31'))).toEqual(new Set(['green']));
    const observed = story.returning.find((r) => r.decision === 'observe')!;
    const lastDay = observed.stays.at(-1)!.to;
    expect(new Set(await statusesOf(observed.code, addDays(lastDay, 1), addDays(lastDay, 14)))).toEqual(new Set(['yellow']));
    expect(new Set(await statusesOf(observed.code, addDays(lastDay, 15), '2020-03-31'))).toEqual(new Set(['green']));
  });

  it('the grid and health accounts have their own people; the grid worker of the case’s cell declares too', async () => {
    const { db } = t.deps.database;
    const linked = await db.selectFrom('people as p').innerJoin('users as u', 'u.id', 'p.user_id').select(['p.id', 'p.code', 'u.username']).where('u.username', 'in', ['grid', 'health']).execute();
    expect(Object.fromEntries(linked.map((l) => [l.username, l.code]))).toEqual({ grid: story.gridPerson, health: story.healthPerson });
    const grid = linked.find((l) => l.username === 'grid')!;
    const cell = await db.selectFrom('grid_cells as g').innerJoin('sites as s', 's.id', 'g.site_id').select('s.code').where('g.worker_person_id', '=', grid.id).execute();
    expect(cell.map((c) => c.code)).toContain('CWXQ');
    const declared = await db.selectFrom('health_declarations').select(sql<number>`count(*)::int`.as('n')).where('person_id', '=', grid.id).executeTakeFirstOrThrow();
    expect(declared.n).toBeGreaterThan(55);
  });

  it('gate traffic at the community gates every day of the incident, with temperatures and some denials', async () => {
    const perDay = await rows(sql<{ day: string; events: number; denied: number; temps: number }>`SELECT to_char((g.at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS day, count(*)::int AS events,
        count(*) FILTER (WHERE g.decision = 'deny')::int AS denied, count(g.temperature_c)::int AS temps
      FROM gate_events g WHERE g.idempotency_key LIKE 'demo-health-%' AND g.at >= '2020-01-24T00:00:00+08:00' GROUP BY 1 ORDER BY 1`);
    expect(perDay).toHaveLength(68);
    expect(perDay.every((d) => d.events >= 30 && d.denied > 0 && d.temps > 0)).toBe(true);
    const [max] = await rows(sql<{ t: string }>`SELECT max(temperature_c)::text AS t FROM gate_events WHERE idempotency_key LIKE 'demo-health-%'`);
    expect(Number(max!.t)).toBeLessThan(37.3);
  });

  it('supplies bought over 3 quotes (one not the lowest, with a reason) and handed out without the stock going below zero', async () => {
    const purchases = await rows(sql<{ quotes: number; chosen_lowest: boolean; reason: string | null }>`SELECT (SELECT count(*) FROM supply_quotes q WHERE q.purchase_id = p.id)::int AS quotes,
        (SELECT c.unit_price FROM supply_quotes c WHERE c.id = p.chosen_quote_id) = (SELECT min(unit_price) FROM supply_quotes q WHERE q.purchase_id = p.id) AS chosen_lowest, p.reason
      FROM supply_purchases p`);
    expect(purchases.length).toBeGreaterThanOrEqual(4);
    expect(purchases.every((p) => p.quotes === 3)).toBe(true);
    expect(purchases.filter((p) => !p.chosen_lowest)).toHaveLength(1);
    expect(purchases.every((p) => p.chosen_lowest || (p.reason ?? '').length > 0)).toBe(true);
    const moves = await rows(sql<{ code: string; date: string; delta: string }>`SELECT s.code, to_char(m.date, 'YYYY-MM-DD') AS date, (CASE WHEN m.kind = 'out' THEN -m.quantity ELSE m.quantity END)::text AS delta
      FROM supply_movements m JOIN supplies s ON s.id = m.supply_id ORDER BY s.code, m.date, m.kind`);
    const stock = new Map<string, number>();
    for (const m of moves) {
      stock.set(m.code, (stock.get(m.code) ?? 0) + Number(m.delta));
      expect(stock.get(m.code)!, `${m.code} ${m.date}`).toBeGreaterThanOrEqual(0);
    }
    expect([...stock.keys()].sort()).toEqual(['ALCOHOL75', 'DISINFECTANT', 'MASK', 'THERMOMETER']);
    expect(moves.filter((m) => Number(m.delta) < 0).length).toBeGreaterThan(10);
  });

  it('today everyone the story touched is green again (released, closed, past the look-back)', async () => {
    const touched = [story.caseCode, ...story.contacts.map((c) => c.code), ...story.fevers.map((f) => f.code), ...story.returning.map((r) => r.code)];
    const statuses = await t.deps.database.db.selectFrom('health_statuses as s').innerJoin('people as p', 'p.id', 's.person_id').select(['p.code', 's.status']).where('p.code', 'in', touched).execute();
    expect(statuses).toHaveLength(touched.length);
    expect(statuses.every((s) => s.status === 'green')).toBe(true);
  });

  it('the daily briefings are stored for every day; 16 March shows 22 trips and 55 person-trips in total', async () => {
    const stored = await t.deps.database.db.selectFrom('health_briefings').select(['date', 'figures']).where('incident_id', '=', incidentId).orderBy('date').execute();
    expect(stored).toHaveLength(68);
    expect(stored[0]!.date).toBe(demoHealthTimeline.start);
    const march16 = stored.find((s) => s.date === '2020-03-16')!.figures as { transfers: { tripsTotal: number; personTripsTotal: number } };
    expect(march16.transfers).toMatchObject({ tripsTotal: 22, personTripsTotal: 55 });
    const health = await t.login('health');
    const res = await health.get('/api/health/briefings/daily?date=2020-03-16');
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json<{ transfers: { tripsTotal: number; personTripsTotal: number }; gate: { entries: number }; declarationsDone: number }>();
    expect(b.transfers).toMatchObject({ tripsTotal: 22, personTripsTotal: 55 });
    expect(b.gate.entries).toBeGreaterThan(0);
    expect(b.declarationsDone).toBeGreaterThan(0);
  });

  it('seeding again adds nothing', async () => {
    const tables = ['health_incidents', 'health_declarations', 'abnormal_cases', 'quarantines', 'transfers', 'gate_events', 'supply_points', 'donations', 'health_briefings', 'audit_log'] as const;
    const counts = async () => Promise.all(tables.map(async (table) => (await rows(sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`))[0]!.n));
    const before = await counts();
    await seedDemo(t.deps);
    expect(await counts()).toEqual(before);
  });
});
