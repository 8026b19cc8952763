import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { addDays, shanghaiDay } from '../../src/domain/notices/week';
import type { CaseCard, CaseLedger } from '../../src/server/modules/health-cases/cases.schemas';
import type { ChainGraph, Exposure, Suggestion } from '../../src/server/modules/health-cases/exposures.schemas';
import { accessFixtures, type PersonFixture, type SiteFixture } from '../helpers/access-fixtures';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** health.read and health.declare: the health administrator (WZBW's subtree) and the grid worker (WZBW only). */
const readers = ['health', 'grid'] as const;
/** health.write: the health administrator only. */
const writers = ['health'] as const;
const today = (m: MatrixContext) => shanghaiDay(m.t.clock.now());

/** The active incident, made when there is none (other matrix entries may close theirs). */
async function ensureIncident(m: MatrixContext): Promise<string> {
  const db = m.t.deps.database.db;
  const active = await db.selectFrom('health_incidents').select('id').where('status', '=', 'active').executeTakeFirst();
  if (active) return active.id;
  return (await db.insertInto('health_incidents').values({ name: '矩阵疫情 C1', start_date: addDays(today(m), -30) }).returning('id').executeTakeFirstOrThrow()).id;
}

interface Fixture {
  site: SiteFixture;
  /** A unit below WZBW: in the health administrator's subtree, not in the grid worker's own unit. */
  belowUnitId: string;
  /** The source of the exposures, with a housemate (a suggestion). */
  source: PersonFixture;
  housemate: PersonFixture;
  caseId: string;
  belowCaseId: string;
  exposureId: string;
}

/** A case opened by hand by the health administrator for a fresh person at the site. */
async function newCase(m: MatrixContext): Promise<CaseCard['case']> {
  const fx = await fixture(m);
  const person = await accessFixtures(m.t.deps).person({ siteId: fx.site.id });
  const health = await m.client('health');
  const res = await health.post('/api/health/cases', { person: person.code, reason: 'OTHER', note: '矩阵' });
  if (res.statusCode !== 201) throw new Error(`case: ${res.statusCode} ${res.body}`);
  const card = await health.get(`/api/health/cases/${json<{ id: string }>(res).id}`);
  return json<CaseCard>(card).case;
}

async function newExposure(m: MatrixContext, source: PersonFixture, site: SiteFixture): Promise<string> {
  await ensureIncident(m);
  const contact = await accessFixtures(m.t.deps).person({ siteId: site.id });
  const res = await (await m.client('health')).post('/api/health/exposures', { case: source.code, contact: contact.code, date: today(m), type: 'workplace' });
  if (res.statusCode !== 201) throw new Error(`exposure: ${res.statusCode} ${res.body}`);
  return json<{ id: string }>(res).id;
}

function fixture(m: MatrixContext): Promise<Fixture> {
  return m.shared('health-c1', async () => {
    await ensureIncident(m);
    const f = accessFixtures(m.t.deps);
    const site = await f.site({ code: 'MXC1-S', unitCode: 'WZBW' });
    const belowUnitId = (await m.newUnit({ parent: 'WZBW', name: '矩阵网格 C1' })).id;
    const household = await f.household({ siteId: site.id });
    const source = await f.person({ siteId: site.id, householdId: household.id });
    const housemate = await f.person({ siteId: site.id, householdId: household.id });
    const fx: Fixture = { site, belowUnitId, source, housemate, caseId: '', belowCaseId: '', exposureId: '' };
    const health = await m.client('health');
    for (const [key, body] of [
      ['caseId', { person: source.code, reason: 'FEVER', classification: 'confirmed' }],
      ['belowCaseId', { person: (await f.person({ unitId: belowUnitId, category: 'employee' })).code, reason: 'OTHER' }],
    ] as const) {
      const res = await health.post('/api/health/cases', body);
      if (res.statusCode !== 201) throw new Error(`case: ${res.statusCode} ${res.body}`);
      fx[key] = json<{ id: string }>(res).id;
    }
    fx.exposureId = await newExposure(m, source, site);
    return fx;
  });
}

/** An open case for the call: fresh for allowed callers, shared for the rest. */
async function caseFor(m: MatrixContext, mode: string, key: string): Promise<CaseCard['case']> {
  return mode === 'allowed' ? newCase(m) : m.shared(`health-c1-${key}`, () => newCase(m));
}

const getCard = (below: boolean): RouteCase => ({
  method: 'GET',
  url: '/api/health/cases/:id',
  ...(below ? { label: 'below WZBW', access: writers, notFound: ['grid'] } : { access: readers }),
  build: async (m) => {
    const fx = await fixture(m);
    return { url: `/api/health/cases/${below ? fx.belowCaseId : fx.caseId}` };
  },
  check: async (res, m) => {
    const fx = await fixture(m);
    const card = json<CaseCard>(res);
    expect(card.case).toMatchObject({ id: below ? fx.belowCaseId : fx.caseId, status: 'open', source: 'manual' });
    expect(card.timeline.find((e) => e.kind === 'opened')).toMatchObject({ by: 'health' });
  },
});

/** Matrix entries of the abnormal-case and exposure routes (C1; appended to the matrix in route-matrix.ts). */
export const healthC1Matrix: RouteCase[] = [
  // ---- abnormal cases -----------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/cases',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/cases?incident=all&site=MXC1-S&pageSize=200' };
    },
    check: async (res, m) => {
      const ledger = json<CaseLedger>(res);
      expect(ledger.rows.map((r) => r.id)).toContain((await fixture(m)).caseId);
      expect(ledger.daily.at(-1)).toMatchObject({ date: today(m) });
    },
  },
  {
    method: 'GET',
    url: '/api/health/cases/export.xlsx',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/cases/export.xlsx?incident=all&site=MXC1-S' };
    },
    check: (res) => {
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    },
  },
  getCard(false),
  getCard(true),
  {
    method: 'POST',
    url: '/api/health/cases',
    access: writers,
    status: 201,
    build: async (m, _who, mode) => {
      const fx = await fixture(m);
      const make = async () => (await accessFixtures(m.t.deps).person({ siteId: fx.site.id })).code;
      const person = mode === 'allowed' ? await make() : await m.shared('health-c1-open', make);
      return { url: '/api/health/cases', body: { person, reason: 'SYMPTOMS', note: '矩阵登记' } };
    },
    check: (res) => expect(json(res)).toMatchObject({ opened: true }),
  },
  {
    method: 'POST',
    url: '/api/health/cases/:id/follow-ups',
    access: readers,
    status: 201,
    build: async (m, _who, mode) => ({ url: `/api/health/cases/${(await caseFor(m, mode, 'follow-up')).id}/follow-ups`, body: { temperatureC: 36.6, condition: '矩阵随访', action: '继续观察' } }),
    check: (res) => expect(json(res)).toMatchObject({ temperatureC: 36.6, fever: false }),
  },
  {
    method: 'POST',
    url: '/api/health/cases/:id/classify',
    access: writers,
    build: async (m, _who, mode) => {
      const c = await caseFor(m, mode, 'classify');
      return { url: `/api/health/cases/${c.id}/classify`, body: { classification: 'excluded', note: '矩阵排除', version: c.version } };
    },
    check: (res) => {
      const card = json<CaseCard>(res);
      expect(card.case.classification).toBe('excluded');
      expect(card.timeline.at(-1)).toMatchObject({ kind: 'classified', by: 'health', from: 'unclassified', to: 'excluded', note: '矩阵排除' });
    },
  },
  {
    method: 'POST',
    url: '/api/health/cases/:id/close',
    access: writers,
    build: async (m, _who, mode) => {
      const c = await caseFor(m, mode, 'close');
      return { url: `/api/health/cases/${c.id}/close`, body: { outcome: 'recovered', note: '矩阵关闭', version: c.version } };
    },
    check: (res) => expect(json<CaseCard>(res).case).toMatchObject({ status: 'closed', outcome: 'recovered', closedBy: 'health', closureNote: '矩阵关闭' }),
  },

  // ---- exposures ----------------------------------------------------------------------------
  {
    method: 'POST',
    url: '/api/health/exposures',
    access: writers,
    status: 201,
    build: async (m, _who, mode) => {
      const fx = await fixture(m);
      await ensureIncident(m);
      const make = async () => (await accessFixtures(m.t.deps).person({ siteId: fx.site.id })).code;
      const contact = mode === 'allowed' ? await make() : await m.shared('health-c1-expose', make);
      return { url: '/api/health/exposures', body: { case: fx.source.code, contact, date: today(m), type: 'canteen' } };
    },
    check: (res) => {
      const body = json<{ id: string; quarantineId: string | null }>(res);
      expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.quarantineId).toMatch(/^[0-9a-f-]{36}$/);
    },
  },
  {
    method: 'POST',
    url: '/api/health/exposures/:id/withdraw',
    access: writers,
    build: async (m, _who, mode) => {
      const fx = await fixture(m);
      const make = () => newExposure(m, fx.source, fx.site);
      const id = mode === 'allowed' ? await make() : await m.shared('health-c1-withdraw', make);
      return { url: `/api/health/exposures/${id}/withdraw`, body: { reason: '矩阵误录' } };
    },
    check: (res) => expect(json<Exposure>(res)).toMatchObject({ active: false, type: 'workplace' }),
  },
  {
    method: 'GET',
    url: '/api/health/exposures',
    access: readers,
    build: async (m) => ({ url: `/api/health/exposures?case=${(await fixture(m)).source.code}&incident=all` }),
    check: async (res, m) => expect(json<{ rows: Exposure[] }>(res).rows.map((e) => e.id)).toContain((await fixture(m)).exposureId),
  },
  {
    method: 'GET',
    url: '/api/health/exposures/suggestions',
    access: readers,
    build: async (m) => ({ url: `/api/health/exposures/suggestions?case=${(await fixture(m)).source.code}` }),
    check: async (res, m) => {
      const { housemate } = await fixture(m);
      expect(json<{ rows: Suggestion[] }>(res).rows.find((r) => r.person.code === housemate.code)).toMatchObject({ type: 'household' });
    },
  },
  {
    method: 'GET',
    url: '/api/health/chains',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: `/api/health/chains?incident=${await ensureIncident(m)}` };
    },
    check: (res) => {
      const graph = json<ChainGraph>(res);
      expect(graph.totals).toMatchObject({ nodes: graph.nodes.length, edges: graph.edges.length, clusters: graph.clusters.length });
    },
  },
];
