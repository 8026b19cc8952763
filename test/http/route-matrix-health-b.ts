import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { IncidentView, PurgeReport } from '../../src/server/modules/health-incidents/incidents.schemas';
import type { ContestView, DecideResult, RuleView, StatusView } from '../../src/server/modules/health-status/status.schemas';
import { accessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import type { DemoUser, MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** health.read: the health administrator (WZBW subtree) and the grid worker (WZBW). */
const readers = ['health', 'grid'] as const;
/** health.admin: the health administrator only. */
const admins = ['health'] as const;

interface Fixture {
  site: SiteFixture;
  /** A resident of the WZBW community, named 矩阵居民. */
  resident: string;
}

/** A WZBW community with one resident; made once. */
function fixture(m: MatrixContext): Promise<Fixture> {
  return m.shared('health-b', async () => {
    const f = accessFixtures(m.t.deps);
    const site = await f.site({ code: 'MXB-S', unitCode: 'WZBW' });
    const resident = await f.person({ code: 'MXB-R', name: '矩阵居民', siteId: site.id });
    return { site, resident: resident.code };
  });
}

const db = (m: MatrixContext) => m.t.deps.database.db;

/** The active incident, created over the matrix community when emergency mode is off. */
async function activeIncident(m: MatrixContext): Promise<{ id: string; name: string; version: number }> {
  await fixture(m);
  const active = await db(m).selectFrom('health_incidents').select(['id', 'name', 'version']).where('status', '=', 'active').executeTakeFirst();
  if (active) return active;
  const res = await (await m.client('health')).post('/api/health/incidents', { name: `矩阵事件${m.next()}`, startDate: '2026-02-20', sites: ['MXB-S'] });
  if (res.statusCode !== 201) throw new Error(`incident: ${res.statusCode} ${res.body}`);
  const view = json<IncidentView>(res);
  return { id: view.id, name: view.name, version: view.version };
}

/** Sets the active incident aside (closed in the database) so that another can be created; returns its id. */
async function setAside(m: MatrixContext): Promise<string | null> {
  const active = await db(m).selectFrom('health_incidents').select('id').where('status', '=', 'active').executeTakeFirst();
  if (!active) return null;
  const now = m.t.clock.now();
  await db(m).updateTable('health_incidents').set({ status: 'closed', closed_at: now, purge_due_at: new Date(now.getTime() + 3650 * 86_400_000) }).where('id', '=', active.id).execute();
  return active.id;
}

/** Ends the incident a case made and makes the one set aside active again, so other cases see the same incident. */
async function restore(m: MatrixContext, made: string | null, asideId: string | null): Promise<void> {
  const now = m.t.clock.now();
  if (made) await db(m).updateTable('health_incidents').set({ status: 'closed', closed_at: now, purge_due_at: new Date(now.getTime() + 3650 * 86_400_000) }).where('id', '=', made).where('status', '=', 'active').execute();
  if (asideId) await db(m).updateTable('health_incidents').set({ status: 'active', closed_at: null, closed_by: null, purge_due_at: null }).where('id', '=', asideId).execute();
}

/** The demo user's own person record (made in the matrix community when they have none), in a household. */
async function ownPerson(m: MatrixContext, who: DemoUser): Promise<{ code: string; householdId: string }> {
  const { site } = await fixture(m);
  const user = await db(m).selectFrom('users').select('id').where('username', '=', who).executeTakeFirstOrThrow();
  const f = accessFixtures(m.t.deps);
  let person = await db(m).selectFrom('people').select(['id', 'code', 'household_id']).where('user_id', '=', user.id).orderBy('code').executeTakeFirst();
  if (!person) {
    const made = await f.person({ code: `MXB-U-${who}`, name: `矩阵本人${who}`, siteId: site.id });
    await db(m).updateTable('people').set({ user_id: user.id }).where('id', '=', made.id).execute();
    person = { id: made.id, code: made.code, household_id: null };
  }
  if (person.household_id) return { code: person.code, householdId: person.household_id };
  const household = await f.household({ siteId: site.id, code: `MXB-H-${who}` });
  await db(m).updateTable('people').set({ household_id: household.id }).where('id', '=', person.id).execute();
  return { code: person.code, householdId: household.id };
}

/** A new member of the user's household: someone whose status they may contest. */
async function householdMember(m: MatrixContext, who: DemoUser): Promise<string> {
  const { site } = await fixture(m);
  const own = await ownPerson(m, who);
  return (await accessFixtures(m.t.deps).person({ siteId: site.id, householdId: own.householdId, name: `矩阵家人${m.next()}` })).code;
}

/** An undecided contest of a new resident of the matrix community. */
async function openContest(m: MatrixContext): Promise<string> {
  const { site } = await fixture(m);
  const person = await accessFixtures(m.t.deps).person({ siteId: site.id });
  const row = await db(m).insertInto('health_status_contests').values({ person_id: person.id, status: 'red', rule: 'RED_QUARANTINE', reason: '矩阵申诉' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

const neverMatching = { all: [{ fact: 'temperatureC', op: '>=', value: 44.9 }] };

/** Matrix entries of the incident, status-rule, status and contest routes (appended to the matrix in route-matrix.ts). */
export const healthBMatrix: RouteCase[] = [
  // ---- incidents -----------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/incidents/active',
    access: 'authenticated',
    build: async (m) => {
      await activeIncident(m);
      return { url: '/api/health/incidents/active' };
    },
    check: async (res, m) => expect(json<IncidentView>(res)).toMatchObject({ id: (await activeIncident(m)).id, status: 'active' }),
  },
  {
    method: 'GET',
    url: '/api/health/incidents',
    access: readers,
    build: async (m) => {
      await activeIncident(m);
      return { url: '/api/health/incidents' };
    },
    check: async (res, m) => expect(json<{ rows: IncidentView[] }>(res).rows.map((i) => i.id)).toContain((await activeIncident(m)).id),
  },
  {
    method: 'POST',
    url: '/api/health/incidents',
    access: admins,
    status: 201,
    build: async (m, _who, mode) => {
      await fixture(m);
      // Only one incident may be active: the allowed call sets the active one aside, its check brings it back.
      const aside = mode === 'allowed' ? await setAside(m) : null;
      return { url: '/api/health/incidents', body: { name: `矩阵新事件${m.next()}`, startDate: '2026-03-01', sites: ['MXB-S'], retentionDays: 7 }, fixture: aside };
    },
    check: async (res, m, _who, call) => {
      const made = json<IncidentView>(res);
      try {
        expect(made).toMatchObject({ status: 'active', sites: [{ code: 'MXB-S' }], settings: { retentionDays: 7 }, version: 1 });
      } finally {
        await restore(m, made.id, call.fixture as string | null);
      }
    },
  },
  {
    method: 'PATCH',
    url: '/api/health/incidents/:id',
    access: admins,
    build: async (m) => {
      const incident = await activeIncident(m);
      const row = await db(m).selectFrom('health_incidents').select('declaration_due_time').where('id', '=', incident.id).executeTakeFirstOrThrow();
      return { url: `/api/health/incidents/${incident.id}`, body: { version: incident.version, declarationDueTime: row.declaration_due_time }, fixture: incident };
    },
    check: (res, _m, _who, call) => expect(json<IncidentView>(res)).toMatchObject({ id: (call.fixture as { id: string }).id, version: (call.fixture as { version: number }).version + 1 }),
  },
  {
    method: 'POST',
    url: '/api/health/incidents/:id/close',
    access: admins,
    build: async (m, _who, mode) => {
      const active = await activeIncident(m);
      if (mode !== 'allowed') return { url: `/api/health/incidents/${active.id}/close`, body: { name: active.name } };
      const aside = await setAside(m);
      const res = await (await m.client('health')).post('/api/health/incidents', { name: `矩阵待关闭${m.next()}`, startDate: '2026-03-01', sites: ['MXB-S'] });
      if (res.statusCode !== 201) throw new Error(`incident: ${res.statusCode} ${res.body}`);
      const made = json<IncidentView>(res);
      return { url: `/api/health/incidents/${made.id}/close`, body: { name: made.name }, fixture: { aside, made: made.id } };
    },
    check: async (res, m, _who, call) => {
      const { aside, made } = call.fixture as { aside: string | null; made: string };
      try {
        expect(json<IncidentView>(res)).toMatchObject({ id: made, status: 'closed', settings: { retentionDays: 30 } });
        expect(json<IncidentView>(res).purgeDueAt).not.toBeNull();
      } finally {
        await restore(m, null, aside);
      }
    },
  },
  {
    method: 'POST',
    url: '/api/health/incidents/:id/purge',
    access: admins,
    // A dry run: it counts and records, and deletes nothing.
    build: async (m) => ({ url: `/api/health/incidents/${(await activeIncident(m)).id}/purge`, body: { dryRun: true } }),
    check: (res) => {
      const report = json<PurgeReport>(res);
      expect(report).toMatchObject({ dryRun: true, runBy: 'health' });
      expect(Object.keys(report.counts)).toContain('health_declarations');
    },
  },
  {
    method: 'GET',
    url: '/api/health/incidents/:id/purges',
    access: admins,
    build: async (m) => ({ url: `/api/health/incidents/${(await activeIncident(m)).id}/purges` }),
    check: (res) => expect(Array.isArray(json<{ rows: PurgeReport[] }>(res).rows)).toBe(true),
  },

  // ---- status rules --------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/rules',
    access: readers,
    build: async () => ({ url: '/api/health/rules' }),
    check: (res) => expect(json<{ rows: RuleView[] }>(res).rows.map((r) => r.code)).toContain('YELLOW_FEVER'),
  },
  {
    method: 'POST',
    url: '/api/health/rules',
    access: admins,
    status: 201,
    build: async (m) => ({ url: '/api/health/rules', body: { code: `MXB_RULE_${m.next()}`, nameZh: '矩阵规则', nameEn: 'Matrix rule', status: 'yellow', priority: 500, when: neverMatching, enabled: false } }),
    check: (res, _m, _who, call) => expect(json<{ rule: RuleView }>(res).rule).toMatchObject({ code: (call.body as { code: string }).code, enabled: false, version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/health/rules/:code',
    access: admins,
    build: async (m, _who, mode) => {
      const make = async () => {
        const code = `MXB_EDIT_${m.next()}`;
        await db(m).insertInto('health_rules').values({ code, name_zh: '矩阵待改', name_en: 'Matrix edit', status: 'yellow', priority: 500, condition: JSON.stringify(neverMatching), enabled: false }).execute();
        return code;
      };
      const code = mode === 'allowed' ? await make() : await m.shared('health-b-rule', make);
      return { url: `/api/health/rules/${code}`, body: { nameZh: '矩阵已改', nameEn: 'Matrix edited', status: 'yellow', priority: 501, when: neverMatching, enabled: false, version: 1 } };
    },
    check: (res) => expect(json<{ rule: RuleView }>(res).rule).toMatchObject({ nameZh: '矩阵已改', priority: 501, version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/health/rules/recompute',
    access: admins,
    build: async (m) => {
      await activeIncident(m);
      return { url: '/api/health/rules/recompute', body: {} };
    },
    check: (res) => {
      const r = json<{ recomputed: number; changed: number }>(res);
      expect(Object.keys(r).sort()).toEqual(['changed', 'recomputed']);
      expect(r.changed).toBeLessThanOrEqual(r.recomputed);
    },
  },
  {
    method: 'POST',
    url: '/api/health/rules/test',
    access: readers,
    build: async () => ({ url: '/api/health/rules/test', body: { facts: { temperatureC: 37.3 }, feverThresholdC: 37.3 } }),
    check: (res) => expect(json(res)).toMatchObject({ status: 'yellow', rule: 'YELLOW_FEVER' }),
  },

  // ---- statuses ------------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/status/mine',
    access: 'authenticated',
    build: async (m, who) => {
      const own = who ? await ownPerson(m, who) : null;
      return { url: '/api/health/status/mine', fixture: own?.code };
    },
    check: (res, _m, _who, call) => expect(json<StatusView>(res).person.code).toBe(call.fixture),
  },
  {
    method: 'GET',
    url: '/api/health/status/:code',
    access: readers,
    build: async (m) => ({ url: `/api/health/status/${(await fixture(m)).resident}` }),
    check: (res) => expect(json<StatusView>(res)).toMatchObject({ person: { code: 'MXB-R', name: '矩***' }, rule: expect.any(String) }),
  },

  // ---- contests ------------------------------------------------------------------------------
  {
    method: 'POST',
    url: '/api/health/contests',
    access: 'authenticated',
    status: 201,
    // Everyone may contest the status of a member of their own household.
    build: async (m, who) => ({ url: '/api/health/contests', body: { person: who ? await householdMember(m, who) : 'MXB-R', reason: '矩阵申诉' } }),
    check: (res, _m, who, call) => expect(json<ContestView>(res)).toMatchObject({ person: { code: (call.body as { person: string }).person }, submittedBy: who, decision: null }),
  },
  {
    method: 'GET',
    url: '/api/health/contests',
    access: readers,
    build: async (m) => {
      await m.shared('health-b-listed', () => openContest(m));
      return { url: '/api/health/contests?state=open' };
    },
    check: async (res, m) => expect(json<{ rows: ContestView[] }>(res).rows.map((c) => c.id)).toContain(await m.shared('health-b-listed', () => openContest(m))),
  },
  {
    method: 'POST',
    url: '/api/health/contests/:id/decide',
    access: admins,
    build: async (m, _who, mode) => {
      const id = mode === 'allowed' ? await openContest(m) : await m.shared('health-b-decide', () => openContest(m));
      return { url: `/api/health/contests/${id}/decide`, body: { decision: 'upheld', note: '矩阵维持', version: 1 } };
    },
    check: (res) => expect(json<DecideResult>(res)).toMatchObject({ decision: 'upheld', reviewer: 'health', personStatus: { status: expect.any(String) } }),
  },
];
