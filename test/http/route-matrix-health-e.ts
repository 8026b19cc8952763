import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Briefing, BriefingHistory } from '../../src/server/modules/health-briefing/briefing.schemas';
import { storeBriefing } from '../../src/server/modules/health-briefing/briefing.service';
import { incidentById } from '../../src/server/modules/health-incidents/incident';
import { accessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** health.read: the health administrator (WZBW subtree) and the grid worker (WZBW). */
const readers = ['health', 'grid'] as const;

interface Fixture {
  incidentId: string;
  site: SiteFixture;
}

/**
 * A closed incident (2020-01-24 … 2020-02-10, so it never clashes with an active one made by
 * another module's matrix) over a WZBW community, one declaration on 2020-01-25 and that day's
 * briefing stored; made once.
 */
function fixture(m: MatrixContext): Promise<Fixture> {
  return m.shared('health-e', async () => {
    const db = m.t.deps.database.db;
    const f = accessFixtures(m.t.deps);
    const site = await f.site({ code: 'MXE-C', unitCode: 'WZBW' });
    const person = await f.person({ siteId: site.id });
    const incident = await db
      .insertInto('health_incidents')
      .values({ name: '矩阵疫情', start_date: '2020-01-24', status: 'closed', closed_at: new Date('2020-02-10T10:00:00+08:00') })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('health_incident_sites').values({ incident_id: incident.id, site_id: site.id }).execute();
    await db.insertInto('health_declarations').values({ incident_id: incident.id, person_id: person.id, date: '2020-01-25', temperature_c: 36.6, status: 'green' }).execute();
    await db.transaction().execute(async (trx) => storeBriefing(trx, await incidentById(trx, incident.id), '2020-01-25', m.t.clock.now()));
    return { incidentId: incident.id, site };
  });
}

/** Matrix entries of the daily briefing routes (appended to the matrix in route-matrix.ts). */
export const healthEMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/health/briefings/daily',
    access: readers,
    build: async (m) => ({ url: `/api/health/briefings/daily?date=2020-01-25&incident=${(await fixture(m)).incidentId}` }),
    check: async (res, m) => {
      const b = json<Briefing>(res);
      expect(b).toMatchObject({ date: '2020-01-25', incident: { id: (await fixture(m)).incidentId, status: 'closed' }, declarationsDue: 1, declarationsDone: 1, fevers: 0, stored: false });
      expect(b.bySite.map((s) => s.site)).toEqual(['MXE-C']);
    },
  },
  {
    method: 'GET',
    url: '/api/health/briefings/daily.xlsx',
    access: readers,
    build: async (m) => ({ url: `/api/health/briefings/daily.xlsx?date=2020-01-25&incident=${(await fixture(m)).incidentId}` }),
    check: (res) => {
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toBe('attachment; filename="pacesetter-briefing-2020-01-25.xlsx"');
      expect(res.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    },
  },
  {
    method: 'GET',
    url: '/api/health/briefings',
    access: readers,
    build: async (m) => ({ url: `/api/health/briefings?incident=${(await fixture(m)).incidentId}` }),
    check: (res) => {
      const h = json<BriefingHistory>(res);
      expect(h.incident).toMatchObject({ name: '矩阵疫情', status: 'closed' });
      expect(h.rows).toEqual([expect.objectContaining({ date: '2020-01-25', declarationsDue: 1, declarationsDone: 1 })]);
    },
  },
];
