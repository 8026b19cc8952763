import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataRegistry } from '../../src/server/db/personal-data-registry';
import { accessFixtures, type CheckpointFixture, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import { createTestApp, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

/**
 * Purpose binding (PI-2; CAC 2020 notice: data collected for epidemic control is not used for
 * anything else): the demo accounts without health.read walk a handful of representative
 * benchmarking, HR, scorecard, people and access reads, and no health value reaches them.
 */
const withoutHealth = ['manager', 'leader', 'clerk', 'viewer', 'access', 'guard'] as const;
/** Keys that carry health data: present only as null for these callers. */
const healthKey = /symptom|temperature(?!Mode)|fever(?!Threshold)|health|quarantine|travel|diagnos|condition/i;
/** Values planted in the health tables: none may appear in any answer. */
const markers = ['38.4', '咳嗽-PB', 'fever-facts-PB'];

/**
 * Every non-null value under a health-looking key, as `path=value`. `byReason` is skipped: counts of
 * denials per site and reason (FEVER: 3) are aggregates about a gate, not data about a person.
 */
function healthValues(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => healthValues(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value)
    .filter(([k]) => k !== 'byReason')
    .flatMap(([k, v]) => [...(healthKey.test(k) && v !== null ? [`${path}.${k}=${JSON.stringify(v)}`] : []), ...healthValues(v, `${path}.${k}`)]);
}

describe.each(engines)('health data stays out of non-health reads on %s', (engine) => {
  let t: TestApp;
  let site: SiteFixture;
  let checkpoint: CheckpointFixture;
  let person: PersonFixture;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const f = accessFixtures(t.deps);
    const { db } = t.deps.database;
    const dj1 = (await db.selectFrom('units').select('id').where('code', '=', 'DJ1').executeTakeFirstOrThrow()).id;
    site = await f.site({ kind: 'plant', unitId: dj1 });
    checkpoint = await f.checkpoint({ siteId: site.id });
    person = await f.person({ name: '周健康', unitId: dj1, category: 'employee', siteId: site.id });
    // A red status with its facts, a declaration with a fever and a symptom, and a fever at the gate
    // (denied, so it is in the denials, and an entry before it so the person is on the roll-call).
    const incident = await db.insertInto('health_incidents').values({ name: '测试疫情PB', start_date: '2026-02-01' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('health_statuses').values({ person_id: person.id, status: 'red', rule: 'fever', facts: JSON.stringify({ note: 'fever-facts-PB', temperatureC: 38.4 }), incident_id: incident.id }).execute();
    await db.insertInto('health_declarations').values({ incident_id: incident.id, person_id: person.id, date: '2026-03-02', temperature_c: 38.4, symptoms: ['咳嗽-PB'], status: 'red' }).execute();
    const gate = (o: { decision: 'allow' | 'deny'; at: string; temperatureC?: number }) => ({
      idempotency_key: `pb-${randomUUID()}`,
      checkpoint_id: checkpoint.id,
      site_id: site.id,
      person_id: person.id,
      credential: 'person',
      direction: 'in',
      decision: o.decision,
      reason: o.decision === 'deny' ? 'FEVER' : null,
      temperature_c: o.temperatureC ?? null,
      at: new Date(o.at),
    });
    await db.insertInto('gate_events').values([gate({ decision: 'allow', at: '2026-03-02T00:10:00Z', temperatureC: 36.5 }), gate({ decision: 'deny', at: '2026-03-02T00:40:00Z', temperatureC: 38.4 })]).execute();
  });
  afterAll(() => t?.close());

  const reads = () => [
    '/api/people',
    `/api/people/${person.id}`,
    '/api/users',
    '/api/scorecard?unit=DJ1&period=2020-02',
    '/api/analysis/group?period=2020-02',
    '/api/evaluations/results?scheme=2020-ALUMINA&period=2020-02',
    '/api/access/live',
    `/api/access/denials?site=${site.code}`,
    `/api/gate/events?checkpoint=${checkpoint.code}&date=2026-03-02`,
    `/api/access/roll-call?site=${site.code}`,
    '/api/notifications',
  ];

  it.each(withoutHealth)('%s reads people, users, scorecards, evaluations and the gates without a single health value', async (user) => {
    const c = await t.login(user);
    let answered = 0;
    for (const url of reads()) {
      const res = await c.get(url);
      // Refused or out of scope is fine: nothing was shown.
      expect([200, 403, 404], `${user} GET ${url}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
      if (res.statusCode !== 200) continue;
      answered++;
      expect(healthValues(res.json()), `${user} GET ${url}`).toEqual([]);
      for (const m of markers) expect(res.body, `${user} GET ${url}`).not.toContain(m);
    }
    expect(answered, `${user} could read nothing, so the test proves nothing`).toBeGreaterThanOrEqual(2);
  });

  it('the health administrator does see them (the check can fail)', async () => {
    const health = await t.login('health');
    const res = await health.get(`/api/access/denials?site=${site.code}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(healthValues(res.json())).toEqual(['$.rows[0].temperatureC=38.4']);
  });
});

/**
 * The static half of PI-2: the benchmarking, HR and registry modules neither import a health module
 * nor name a table that holds health or epidemic whereabouts data (the tables come from the
 * personal-data registry, so a new health table is covered once it is declared).
 */
describe('benchmarking and HR code cannot reach health data', () => {
  const nonHealthModules = ['analysis', 'benchmarks', 'competitions', 'evaluations', 'ideas', 'idle-assets', 'imports', 'indicators', 'measurements', 'notices', 'people', 'piece-rates', 'problems', 'roles', 'scorecard', 'scoring', 'supervision', 'units', 'users', 'warnings', 'energy'];
  const healthTables = [...new Set(personalDataRegistry.filter((c) => c.class === 'health' || (c.class === 'whereabouts' && c.retention.kind === 'incident')).map((c) => c.table))];
  const modulesDir = path.join(process.cwd(), 'src', 'server', 'modules');

  it('the registry names the health tables (the check can bite)', () => {
    expect(healthTables).toEqual(expect.arrayContaining(['health_declarations', 'health_statuses']));
    expect(healthTables.length).toBeGreaterThanOrEqual(5);
  });

  it.each(nonHealthModules)('modules/%s imports no health module and names no health table', (name) => {
    const dir = path.join(modulesDir, name);
    const problems = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => {
        const text = readFileSync(path.join(dir, f), 'utf8');
        const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!).filter((s) => /health|access\/health|jobs\/health/.test(s));
        const tables = healthTables.filter((t) => new RegExp(`['"\`]${t}['"\`]|\\b${t}\\b`).test(text));
        return [...imports.map((s) => `${f} imports ${s}`), ...tables.map((t) => `${f} names ${t}`)];
      });
    expect(problems).toEqual([]);
  });
});
