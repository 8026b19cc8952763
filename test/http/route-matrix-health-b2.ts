import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { shanghaiDay } from '../../src/domain/notices/week';
import type { DeclarationList, DeclarationResult, MyDeclarations, PersonTrend } from '../../src/server/modules/health-declarations/declarations.schemas';
import { accessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import { type DemoUser, type MatrixContext, type RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** health.declare and health.read: the health administrator (WZBW's subtree) and the grid worker (WZBW). */
const declarers = ['health', 'grid'] as const;
/** Declaring is open to every signed-in user for themself and their household: for someone else's card the others get 404. */
/** Everyone else signed in: the person is not theirs (written out: route-matrix.ts imports this file). */
const nonDeclarers = ['admin', 'security', 'auditor', 'manager', 'leader', 'clerk', 'viewer', 'access', 'guard'] as const satisfies readonly DemoUser[];
const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SITE = 'MXB2-S';

/** A WZBW community with a grid cell, a building and a household; made once. */
function fixture(m: MatrixContext): Promise<SiteFixture> {
  return m.shared('health-b2', async () => {
    const site = await accessFixtures(m.t.deps).site({ code: SITE, unitCode: 'WZBW', nameZh: '矩阵小区' });
    const db = m.t.deps.database.db;
    const cell = await db.insertInto('grid_cells').values({ site_id: site.id, code: 'G1', name: '矩阵网格' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('buildings').values({ site_id: site.id, grid_cell_id: cell.id, code: '1', name: '1栋' }).execute();
    return site;
  });
}

/**
 * The community under an active incident. Other matrix entries may close or open incidents, so
 * every call checks: the active one (or a new one) covers the community.
 */
async function covered(m: MatrixContext): Promise<SiteFixture> {
  const site = await fixture(m);
  const db = m.t.deps.database.db;
  let incident = await db.selectFrom('health_incidents').select('id').where('status', '=', 'active').executeTakeFirst();
  incident ??= await db.insertInto('health_incidents').values({ name: '矩阵应急', start_date: '2026-01-01' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('health_incident_sites').values({ incident_id: incident.id, site_id: site.id }).onConflict((oc) => oc.doNothing()).execute();
  return site;
}

/** A fresh resident of the community, by code. */
async function resident(m: MatrixContext): Promise<string> {
  const site = await covered(m);
  return (await accessFixtures(m.t.deps).person({ code: `MXB2-P${m.next()}`, siteId: site.id })).code;
}

const today = (m: MatrixContext) => shanghaiDay(m.t.clock.now());
const declaration = (m: MatrixContext, person: string, temperatureC = 36.5) => ({ person, date: today(m), temperatureC, symptoms: [] });

/** A resident with today's declaration (made by the health administrator): id and code. */
async function declared(m: MatrixContext): Promise<{ code: string; id: string }> {
  const code = await resident(m);
  const res = await (await m.client('health')).post('/api/health/declarations', declaration(m, code));
  if (res.statusCode !== 201) throw new Error(`declaration: ${res.statusCode} ${res.body}`);
  return { code, id: json<DeclarationResult>(res).id };
}

/** Matrix entries of the daily declarations (health card), the missing list, reminders and trends. */
export const healthB2Matrix: RouteCase[] = [
  {
    method: 'POST',
    url: '/api/health/declarations',
    access: declarers,
    notFound: nonDeclarers,
    status: 201,
    build: async (m, _who, mode) => {
      const code = mode === 'allowed' ? await resident(m) : await m.shared('health-b2-resident', () => resident(m));
      await covered(m);
      return { url: '/api/health/declarations', body: declaration(m, code) };
    },
    check: (res) => {
      const body = json<DeclarationResult>(res);
      expect(body).toEqual({ id: expect.stringMatching(uuidRe), status: 'green', abnormalCaseId: null });
    },
  },
  {
    method: 'POST',
    url: '/api/health/declarations',
    label: 'amending the day (a fever opens a case)',
    access: declarers,
    notFound: nonDeclarers,
    build: async (m, _who, mode) => {
      const d = mode === 'allowed' ? await declared(m) : await m.shared('health-b2-declared', () => declared(m));
      await covered(m);
      return { url: '/api/health/declarations', body: declaration(m, d.code, 37.3), fixture: d.id };
    },
    check: (res, _m, _who, call) => {
      const body = json<DeclarationResult>(res);
      expect(body).toMatchObject({ id: call.fixture as string, status: 'yellow' });
      expect(body.abnormalCaseId).toMatch(uuidRe);
    },
  },
  {
    method: 'GET',
    url: '/api/health/declarations/mine',
    access: 'authenticated',
    build: async (m) => {
      await covered(m);
      return { url: '/api/health/declarations/mine' };
    },
    check: (res, m, who) => {
      const body = json<MyDeclarations>(res);
      expect(body.today).toBe(today(m));
      expect(body.incident).not.toBeNull();
      // The demo accounts with a person record of their own (demo-company.ts).
      const own: Partial<Record<DemoUser, string>> = { leader: 'E0001', clerk: 'E0002', manager: 'E0003' };
      if (who && own[who]) expect(body.person?.code).toBe(own[who]);
      expect(Array.isArray(body.history)).toBe(true);
    },
  },
  {
    method: 'GET',
    url: '/api/health/declarations',
    access: declarers,
    build: async (m) => {
      await m.shared('health-b2-declared', () => declared(m));
      await covered(m);
      return { url: `/api/health/declarations?site=${SITE}&state=all&pageSize=500` };
    },
    check: async (res, m) => {
      const body = json<DeclarationList>(res);
      const d = await m.shared('health-b2-declared', () => declared(m));
      expect(body.counts.due).toBeGreaterThanOrEqual(1);
      expect(body.counts.done).toBeGreaterThanOrEqual(1);
      expect(body.rows.every((r) => r.site?.code === SITE)).toBe(true);
      expect(body.rows.find((r) => r.code === d.code)).toMatchObject({ declared: true });
    },
  },
  {
    method: 'POST',
    url: '/api/health/declarations/remind',
    access: declarers,
    build: async (m, _who, mode) => {
      const code = mode === 'allowed' ? await resident(m) : await m.shared('health-b2-resident', () => resident(m));
      await covered(m);
      return { url: '/api/health/declarations/remind', body: { date: today(m), people: [code] } };
    },
    check: (res) => expect(json(res)).toEqual({ reminded: 1, notified: 0, alreadyDeclared: 0 }),
  },
  {
    method: 'GET',
    url: '/api/health/people/:code/declarations',
    access: declarers,
    build: async (m) => {
      const d = await m.shared('health-b2-declared', () => declared(m));
      return { url: `/api/health/people/${d.code}/declarations?days=7`, fixture: d.code };
    },
    check: (res, m, _who, call) => {
      const body = json<PersonTrend>(res);
      expect(body.person.code).toBe(call.fixture);
      expect(body.to).toBe(today(m));
      expect(body.rows.map((r) => r.date)).toContain(today(m));
    },
  },
];
