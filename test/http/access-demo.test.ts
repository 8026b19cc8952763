import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdProblem } from '../../src/domain/access/id-number';
import { personalDataOf } from '../../src/server/crypto/personal-data';
import { demoAccessPeople, demoSites } from '../../src/server/demo/demo-access';
import { seedDemo } from '../../src/server/demo/seed';
import { createTestApp, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

describe('demo registry generation', () => {
  it('the full demo has about 5 000 people in households, every ID number valid, children without phones registered by proxy', () => {
    const { people, households } = demoAccessPeople('full');
    expect(people.length).toBeGreaterThan(4500);
    expect(people.length).toBeLessThan(6000);
    expect(households.length).toBe(72 * 24);
    expect(new Set(people.map((p) => p.code)).size).toBe(people.length);
    for (const p of people) expect(residentIdProblem(p.idNumber, '2026-11-26'), p.idNumber).toBeNull();
    const children = people.filter((p) => p.phone === null);
    expect(children.length).toBeGreaterThan(500);
    for (const c of children) expect(c.proxy).not.toBeNull();
    expect(people.filter((p) => p.unit === 'WZBW')).toHaveLength(50);
    // Deterministic: the same volume gives the same registry.
    expect(demoAccessPeople('full').people.slice(0, 50)).toEqual(people.slice(0, 50));
  });
});

/** The demo with PACESETTER_DEMO_ACCESS=small: what lands in the database. */
describe.each(engines)('demo access data, small (%s)', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { PACESETTER_DEMO_ACCESS: 'small' } });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const count = async (table: 'sites' | 'checkpoints' | 'devices' | 'passes' | 'gate_events' | 'households' | 'duty_assignments' | 'abnormal_cases') =>
    (await t.deps.database.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

  it('loads the sites with their gates, people with encrypted personal data, passes and a week of traffic', async () => {
    const { db } = t.deps.database;
    expect(await count('sites')).toBe(demoSites.length);
    expect(await count('checkpoints')).toBe(demoSites.reduce((n, s) => n + s.gates.length, 0));
    expect(await count('devices')).toBe(await count('checkpoints'));
    const plant = await db.selectFrom('checkpoints').innerJoin('sites', 'sites.id', 'checkpoints.site_id').select('checkpoints.code').where('sites.code', '=', 'SXLY-PLANT').execute();
    expect(plant).toHaveLength(5);
    const { people } = demoAccessPeople('small');
    const first = people[1]!;
    const row = await db.selectFrom('people').select(['id_number_enc', 'id_number_bidx', 'phone_enc', 'name', 'category']).where('code', '=', first.code).executeTakeFirstOrThrow();
    expect(row.name).toBe(first.name);
    expect(row.id_number_enc!.includes(Buffer.from(first.idNumber))).toBe(false);
    const pd = personalDataOf(t.deps.config);
    expect(pd.decryptText('people.id_number', row.id_number_enc!)).toBe(first.idNumber);
    expect(row.id_number_bidx).toBe(pd.blindIndex('people.id_number', first.idNumber));
    expect(await count('passes')).toBeGreaterThan(people.length * 0.6);
    expect(await count('households')).toBeGreaterThan(0);
    expect(await count('duty_assignments')).toBe(15 * 3 * 5);
    // Traffic: allowed and denied events, every allow without a reason and every deny with one.
    const byDecision = await db.selectFrom('gate_events').select(['decision', sql<number>`count(*)::int`.as('n')]).groupBy('decision').execute();
    expect(byDecision.find((r) => r.decision === 'allow')!.n).toBeGreaterThan(500);
    const reasons = (await db.selectFrom('gate_events').select('reason').distinct().where('decision', '=', 'deny').execute()).map((r) => r.reason);
    expect(reasons).toEqual(expect.arrayContaining(['NO_PASS', 'HEALTH_RED', 'OUTSIDE_HOURS']));
    // Every morning of the week, weekends too, the plant's dashboard has a denial to show by 10:30.
    const mornings = await db
      .selectFrom('gate_events')
      .innerJoin('sites', 'sites.id', 'gate_events.site_id')
      .select(sql<string>`to_char(gate_events.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`.as('day'))
      .distinct()
      .where('sites.code', '=', 'SXLY-PLANT')
      .where('gate_events.decision', '=', 'deny')
      .where(sql<boolean>`(gate_events.at AT TIME ZONE 'Asia/Shanghai')::time < '10:30'`)
      .orderBy('day')
      .execute();
    expect(mornings.map((r) => r.day)).toEqual(expect.arrayContaining(['2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01']));
    const latest = await db.selectFrom('gate_events').select(sql<Date>`max(at)`.as('at')).executeTakeFirstOrThrow();
    expect(new Date(latest.at).getTime()).toBeLessThanOrEqual(t.deps.clock.now().getTime());
    expect(await count('abnormal_cases')).toBeGreaterThan(0);
  });

  it('seeding again changes nothing', async () => {
    const before = await count('gate_events');
    await seedDemo(t.deps);
    expect(await count('gate_events')).toBe(before);
  });
});
