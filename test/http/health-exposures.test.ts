import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainGraph, Exposure, Suggestion } from '../../src/server/modules/health-cases/exposures.schemas';
import { accessFixtures, uniqueCode, type AccessFixtures, type CheckpointFixture, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import { wzbwHealthAdmin } from '../helpers/users';

type Res = { statusCode: number; body: string; json(): unknown };
const errorOf = (res: Res) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code] as const;

describe.each(engines)('exposures and contacts on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let health: Client;
  let grid: Client;
  let dj1Health: Client;
  let site: SiteFixture;
  let gate: CheckpointFixture;
  let incidentId: string;
  /** The case (source) and their household. */
  let source: PersonFixture;
  let housemate: PersonFixture;
  let contact: PersonFixture;
  const ids: Record<string, string> = {};

  const db = () => t.deps.database.db;
  const dj1Password = 'Start#2026x';
  let dj1Username = '';
  async function moveTo(at: string): Promise<void> {
    t.clock.set(new Date(at));
    health = await wzbwHealthAdmin(t);
    grid = await t.login('grid');
    if (dj1Username) dj1Health = await t.login(dj1Username, dj1Password);
  }
  async function expose(body: Record<string, unknown>): Promise<{ id: string; quarantineId: string | null; contactCaseId: string | null }> {
    const res = await health.post('/api/health/exposures', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; quarantineId: string | null; contactCaseId: string | null };
  }
  const slotsOf = (quarantineId: string) => db().selectFrom('quarantine_follow_ups').select(['date', 'slot', 'cancelled', 'done_at']).where('quarantine_id', '=', quarantineId).orderBy('date').orderBy('slot').execute();
  const statusOf = async (personId: string) => (await db().selectFrom('health_statuses').select(['status', 'rule']).where('person_id', '=', personId).executeTakeFirst()) ?? null;
  async function gateEvent(personId: string, at: string): Promise<void> {
    await db()
      .insertInto('gate_events')
      .values({ idempotency_key: `exp-${randomUUID()}`, checkpoint_id: gate.id, site_id: site.id, person_id: personId, credential: 'person', direction: 'in', decision: 'allow', at: new Date(at) })
      .execute();
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    site = await f.site({ unitCode: 'WZBW' });
    gate = await f.checkpoint({ siteId: site.id });
    const household = await f.household({ siteId: site.id, code: '3-2-401' });
    source = await f.person({ siteId: site.id, householdId: household.id, name: '孙一' });
    housemate = await f.person({ siteId: site.id, householdId: household.id, name: '孙二' });
    contact = await f.person({ siteId: site.id, name: '周三' });
    const admin = await t.login('admin');
    const dj1 = (await db().selectFrom('units').select('id').where('code', '=', 'DJ1').executeTakeFirstOrThrow()).id;
    dj1Username = `dj1.exp.${uniqueCode('u').toLowerCase()}`;
    const user = await admin.post('/api/users', { username: dj1Username, displayName: '电解一厂防疫', unitId: dj1, roleCodes: ['health-admin'], password: dj1Password });
    expect(user.statusCode, user.body).toBe(201);
    await db().updateTable('users').set({ must_change_password: false }).where('id', '=', (user.json() as { id: string }).id).execute();
    await moveTo('2020-01-24T02:00:00Z'); // 10:00 in Shanghai
  });
  afterAll(() => t?.close());

  it('needs the active incident', async () => {
    expect(errorOf(await health.post('/api/health/exposures', { case: source.code, contact: contact.code, date: '2020-01-24', type: 'household' }))).toEqual([422, 'NO_ACTIVE_INCIDENT']);
    expect(errorOf(await health.get('/api/health/chains'))).toEqual([422, 'NO_ACTIVE_INCIDENT']);
    const incident = await db().insertInto('health_incidents').values({ name: '新冠肺炎疫情', start_date: '2020-01-20' }).returning('id').executeTakeFirstOrThrow();
    incidentId = incident.id;
    await db().insertInto('health_incident_sites').values({ incident_id: incidentId, site_id: site.id }).execute();
  });

  it('records a close exposure: the contact is quarantined 2020-01-25..2020-02-07 twice a day, gets a CONTACT case and turns red', async () => {
    const sourceCase = await health.post('/api/health/cases', { person: source.code, reason: 'FEVER', classification: 'confirmed' });
    expect(sourceCase.statusCode, sourceCase.body).toBe(201);
    const res = await health.post('/api/health/exposures', { case: source.code, contact: contact.code, date: '2020-01-24', type: 'workplace' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { id: string; quarantineId: string; contactCaseId: string };
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['id', 'quarantineId']));
    expect(body.quarantineId).toMatch(/^[0-9a-f-]{36}$/);
    ids.first = body.id;
    ids.quarantine = body.quarantineId;

    const q = await db().selectFrom('quarantines').selectAll().where('id', '=', body.quarantineId).executeTakeFirstOrThrow();
    expect(q).toMatchObject({ person_id: contact.id, incident_id: incidentId, start_date: '2020-01-25', planned_end: '2020-02-07', last_exposure: '2020-01-24', per_day: 2, status: 'active' });
    const slots = await slotsOf(body.quarantineId);
    expect(slots).toHaveLength(28);
    expect(slots.slice(0, 2).map((s) => [s.date, s.slot])).toEqual([['2020-01-25', 1], ['2020-01-25', 2]]);
    expect(slots.at(-1)).toMatchObject({ date: '2020-02-07', slot: 2, cancelled: false });

    const contactCase = await db().selectFrom('abnormal_cases').selectAll().where('person_id', '=', contact.id).execute();
    expect(contactCase).toHaveLength(1);
    expect(contactCase[0]).toMatchObject({ id: body.contactCaseId, incident_id: incidentId, source: 'exposure', reason: 'CONTACT', source_ref: body.id, status: 'open' });
    expect(await statusOf(contact.id)).toEqual({ status: 'red', rule: 'RED_CLOSE_CONTACT' });

    const stored = await db().selectFrom('exposures').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ incident_id: incidentId, case_id: (sourceCase.json() as { id: string }).id, certainty: 'high', close: true, active: true });
    const log = await db().selectFrom('audit_log').select('details').where('action', '=', 'health.exposure.create').where('object_id', '=', body.id).executeTakeFirstOrThrow();
    expect(log.details).toEqual({ date: '2020-01-24', type: 'workplace', certainty: 'high', close: true, caseLinked: true });
    expect(JSON.stringify(log)).not.toContain(contact.code);
  });

  it('moves the window on a later exposure: new end, undone checks outside it cancelled, done ones kept', async () => {
    await moveTo('2020-01-26T02:00:00Z');
    await db().updateTable('quarantine_follow_ups').set({ done_at: new Date('2020-01-25T01:00:00Z') }).where('quarantine_id', '=', ids.quarantine!).where('date', '=', '2020-01-25').where('slot', '=', 1).execute();
    const later = await expose({ case: source.code, contact: contact.code, date: '2020-01-26', type: 'canteen', certainty: 'medium' });
    expect(later.quarantineId).toBe(ids.quarantine);
    const q = await db().selectFrom('quarantines').select(['planned_end', 'last_exposure']).where('id', '=', ids.quarantine!).executeTakeFirstOrThrow();
    expect(q).toEqual({ planned_end: '2020-02-09', last_exposure: '2020-01-26' });
    const slots = await slotsOf(ids.quarantine!);
    expect(slots.filter((s) => s.cancelled).map((s) => [s.date, s.slot])).toEqual([['2020-01-25', 2], ['2020-01-26', 1], ['2020-01-26', 2]]);
    const live = slots.filter((s) => !s.cancelled);
    expect(live).toHaveLength(29);
    expect(live[0]).toMatchObject({ date: '2020-01-25', slot: 1 });
    expect(live[1]).toMatchObject({ date: '2020-01-27', slot: 1 });
    expect(live.at(-1)).toMatchObject({ date: '2020-02-09', slot: 2 });
    // Still one open case for the contact: the new cause is on its card.
    expect(await db().selectFrom('abnormal_cases').select('id').where('person_id', '=', contact.id).where('status', '=', 'open').execute()).toHaveLength(1);
    // An earlier exposure recorded late does not move the window back.
    await expose({ case: housemate.code, contact: contact.code, date: '2020-01-23', type: 'shift' });
    expect((await db().selectFrom('quarantines').select('planned_end').where('id', '=', ids.quarantine!).executeTakeFirstOrThrow()).planned_end).toBe('2020-02-09');
  });

  it('refuses itself as a contact, dates out of range, duplicates, unknown or out-of-scope people and callers without health.write', async () => {
    const base = { case: source.code, contact: contact.code, type: 'household' };
    expect(errorOf(await health.post('/api/health/exposures', { ...base, contact: source.code, date: '2020-01-24' }))).toEqual([422, 'EXPOSURE_SELF']);
    expect(errorOf(await health.post('/api/health/exposures', { ...base, date: '2020-01-27' }))).toEqual([422, 'EXPOSURE_DATE_FUTURE']);
    expect(errorOf(await health.post('/api/health/exposures', { ...base, date: '2020-01-05' }))).toEqual([422, 'EXPOSURE_DATE_TOO_EARLY']);
    expect(errorOf(await health.post('/api/health/exposures', { ...base, date: '2020-01-26', type: 'canteen' }))).toEqual([409, 'EXPOSURE_DUPLICATE']);
    expect(errorOf(await health.post('/api/health/exposures', { ...base, contact: 'NOBODY', date: '2020-01-24' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await health.post('/api/health/exposures', { ...base, type: 'lift', date: '2020-01-24' }))).toEqual([400, 'VALIDATION_FAILED']);
    const foreign = await f.person({ siteId: (await f.site({ unitCode: 'YH1' })).id });
    expect(errorOf(await health.post('/api/health/exposures', { ...base, contact: foreign.code, date: '2020-01-24' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await dj1Health.post('/api/health/exposures', { ...base, date: '2020-01-24' }))).toEqual([404, 'PERSON_NOT_FOUND']);
    expect(errorOf(await grid.post('/api/health/exposures', { ...base, date: '2020-01-24' }))).toEqual([403, 'FORBIDDEN']);
  });

  it('records a casual exposure without quarantine; lists and withdraws exposures (the quarantine stays)', async () => {
    const casual = await f.person({ siteId: site.id });
    const res = await expose({ case: source.code, contact: casual.code, date: '2020-01-25', type: 'transport', certainty: 'low', close: false, note: '同乘班车' });
    expect(res).toEqual({ id: res.id, quarantineId: null, contactCaseId: null });
    expect(await db().selectFrom('quarantines').select('id').where('person_id', '=', casual.id).execute()).toEqual([]);

    const bySource = (await (await grid.get(`/api/health/exposures?case=${source.code}`)).json()) as { rows: Exposure[] };
    expect(bySource.rows.map((e) => [e.contact.code, e.date, e.type])).toEqual([[contact.code, '2020-01-26', 'canteen'], [casual.code, '2020-01-25', 'transport'], [contact.code, '2020-01-24', 'workplace']]);
    expect(bySource.rows[1]).toMatchObject({ source: { code: source.code, name: '孙*' }, certainty: 'low', close: false, note: '同乘班车', active: true, createdBy: 'health-wzbw', incidentId });
    const byContact = (await (await health.get(`/api/health/exposures?contact=${contact.code}`)).json()) as { rows: Exposure[] };
    expect(byContact.rows.map((e) => e.source.code)).toEqual([source.code, source.code, housemate.code]);

    // A close contact entered by mistake: withdrawn, the status refreshed, the quarantine kept.
    const mistaken = await f.person({ siteId: site.id });
    const wrong = await expose({ case: source.code, contact: mistaken.code, date: '2020-01-25', type: 'other' });
    const withdrawn = await health.post(`/api/health/exposures/${wrong.id}/withdraw`, { reason: '录入错误' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ id: wrong.id, active: false });
    expect(await statusOf(mistaken.id)).toEqual({ status: 'red', rule: 'RED_QUARANTINE' });
    expect((await db().selectFrom('quarantines').select('status').where('id', '=', wrong.quarantineId!).executeTakeFirstOrThrow()).status).toBe('active');
    expect(errorOf(await health.post(`/api/health/exposures/${wrong.id}/withdraw`, { reason: '再次' }))).toEqual([409, 'EXPOSURE_WITHDRAWN']);
    expect((await db().selectFrom('audit_log').select('details').where('action', '=', 'health.exposure.withdraw').where('object_id', '=', wrong.id).executeTakeFirstOrThrow()).details).toEqual({ reason: '录入错误' });
    const active = ((await health.get(`/api/health/exposures?case=${source.code}`)).json() as { rows: Exposure[] }).rows.map((e) => e.id);
    expect(active).not.toContain(wrong.id);
    const withWithdrawn = ((await health.get(`/api/health/exposures?case=${source.code}&withdrawn=true`)).json() as { rows: Exposure[] }).rows.map((e) => e.id);
    expect(withWithdrawn).toContain(wrong.id);
    expect(errorOf(await dj1Health.post(`/api/health/exposures/${wrong.id}/withdraw`, { reason: '越权' }))).toEqual([404, 'EXPOSURE_NOT_FOUND']);
    expect(errorOf(await dj1Health.get(`/api/health/exposures?case=${source.code}`))).toEqual([404, 'PERSON_NOT_FOUND']);
  });

  it('suggests the household and people at the same gate within the window, not those outside it or already linked', async () => {
    const near = await f.person({ siteId: site.id, name: '吴近' });
    const far = await f.person({ siteId: site.id, name: '郑远' });
    const foreign = await f.person({ unitId: (await db().selectFrom('units').select('id').where('code', '=', 'YH1').executeTakeFirstOrThrow()).id, category: 'employee' });
    await gateEvent(source.id, '2020-01-23T01:00:00Z');
    await gateEvent(near.id, '2020-01-23T01:10:00Z'); // 10 minutes after
    await gateEvent(far.id, '2020-01-23T01:45:00Z'); // 45 minutes after
    await gateEvent(contact.id, '2020-01-23T00:55:00Z'); // already linked
    await gateEvent(foreign.id, '2020-01-23T01:01:00Z'); // outside the scope
    await gateEvent(near.id, '2020-01-23T01:20:00Z'); // a second pass: the closest one counts

    const suggest = async (query = '') => {
      const res = await health.get(`/api/health/exposures/suggestions?case=${source.code}${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { rows: Suggestion[] }).rows;
    };
    const rows = await suggest();
    expect(rows.map((r) => [r.person.code, r.type])).toEqual([[housemate.code, 'household'], [near.code, 'gate']]);
    expect(rows[0]).toMatchObject({ person: { code: housemate.code, name: '孙*' }, household: '3-2-401', reason: { zh: '同户（户号 3-2-401）', en: 'Same household (3-2-401)' }, checkpoint: null, minutesApart: null, date: '2020-01-26' });
    expect(rows[1]).toMatchObject({
      person: { code: near.code, name: '吴*' }, site: { code: site.code }, checkpoint: { code: gate.code }, caseAt: '2020-01-23T01:00:00.000Z', contactAt: '2020-01-23T01:10:00.000Z', minutesApart: 10, date: '2020-01-23',
    });
    expect((await suggest('&windowMinutes=60')).filter((r) => r.type === 'gate').map((r) => [r.person.code, r.minutesApart])).toEqual([[near.code, 10], [far.code, 45]]);
    // Nothing older than `days`.
    expect((await suggest('&days=2')).map((r) => r.type)).toEqual(['household']);
    // Once linked, the housemate is no longer suggested.
    t.clock.advance(60_000);
    await expose({ case: source.code, contact: housemate.code, date: '2020-01-26', type: 'household', close: false });
    expect((await suggest()).map((r) => r.person.code)).toEqual([near.code]);
    expect(errorOf(await dj1Health.get(`/api/health/exposures/suggestions?case=${source.code}`))).toEqual([404, 'PERSON_NOT_FOUND']);
  });

  it('draws the transmission chain: nodes, active edges and clusters', async () => {
    const loneCase = await f.person({ siteId: site.id, name: '冯独' });
    expect((await health.post('/api/health/cases', { person: loneCase.code, reason: 'FEVER', classification: 'suspected' })).statusCode).toBe(201);
    const res = await grid.get('/api/health/chains');
    expect(res.statusCode, res.body).toBe(200);
    const g = res.json() as ChainGraph;
    expect(g.incident).toEqual({ id: incidentId, name: '新冠肺炎疫情' });
    const node = (code: string) => g.nodes.find((n) => n.code === code);
    expect(node(source.code)).toMatchObject({ name: '孙*', classification: 'confirmed', status: 'red' });
    expect(node(contact.code)).toMatchObject({ classification: 'contact', status: 'red', inQuarantine: true });
    expect(node(loneCase.code)).toMatchObject({ classification: 'suspected' });
    expect(node(housemate.code)).toMatchObject({ classification: 'contact', inQuarantine: false });
    // Active exposures only (the withdrawn one is no edge), by date.
    const casual = g.edges.find((e) => e.type === 'transport')!.target;
    expect(g.edges.map((e) => [e.source, e.target, e.date, e.type, e.certainty, e.close])).toEqual([
      [housemate.code, contact.code, '2020-01-23', 'shift', 'high', true],
      [source.code, contact.code, '2020-01-24', 'workplace', 'high', true],
      [source.code, casual, '2020-01-25', 'transport', 'low', false],
      [source.code, contact.code, '2020-01-26', 'canteen', 'medium', true],
      [source.code, housemate.code, '2020-01-26', 'household', 'high', false],
    ]);
    // One cluster of the case, the housemate and two contacts; the lone suspected case on its own.
    expect(g.clusters.map((c) => [c.size, c.edges])).toEqual([[4, 5], [1, 0]]);
    expect([...g.clusters[0]!.members].sort()).toEqual([source.code, housemate.code, contact.code, casual].sort());
    expect(g.clusters[1]!.members).toEqual([loneCase.code]);
    expect([node(source.code)!.cluster, node(loneCase.code)!.cluster]).toEqual([1, 2]);
    expect(g.totals).toEqual({ nodes: 5, edges: 5, clusters: 2, largest: 4 });
    // The DJ1 health administrator sees none of it.
    expect(((await dj1Health.get('/api/health/chains')).json() as ChainGraph).nodes).toEqual([]);
    expect(errorOf(await health.get(`/api/health/chains?incident=${randomUUID()}`))).toEqual([404, 'INCIDENT_NOT_FOUND']);
  });
});
