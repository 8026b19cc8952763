import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { addDays, shanghaiDay } from '../../src/domain/notices/week';
import type { LostList, Quarantine, QuarantinePage, Support } from '../../src/server/modules/health-quarantines/quarantines.schemas';
import type { Transfer, TransferList } from '../../src/server/modules/health-quarantines/transfers.schemas';
import { accessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** health.read and health.declare: the health administrator (WZBW's subtree) and the grid worker (WZBW only). */
const readers = ['health', 'grid'] as const;
/** health.write: the health administrator only. */
const writers = ['health'] as const;
const today = (m: MatrixContext) => shanghaiDay(m.t.clock.now());

/** The active incident, made when there is none (other matrix entries may close theirs). */
async function ensureIncident(m: MatrixContext): Promise<void> {
  const db = m.t.deps.database.db;
  const active = await db.selectFrom('health_incidents').select('id').where('status', '=', 'active').executeTakeFirst();
  if (!active) await db.insertInto('health_incidents').values({ name: '矩阵疫情 C2', start_date: addDays(today(m), -30) }).execute();
}

interface Fixture {
  site: SiteFixture;
  /** A unit below WZBW: in the health administrator's subtree, not in the grid worker's own unit. */
  belowUnitId: string;
  /** A quarantine at the WZBW site, one below WZBW, and one lost to follow-up. */
  quarantineId: string;
  belowId: string;
  lostId: string;
  transferId: string;
}

function fixture(m: MatrixContext): Promise<Fixture> {
  return m.shared('health-c2', async () => {
    const f = accessFixtures(m.t.deps);
    const site = await f.site({ code: 'MXC2-S', unitCode: 'WZBW' });
    const belowUnitId = (await m.newUnit({ parent: 'WZBW', name: '矩阵网格' })).id;
    const ctx = { m, site, belowUnitId };
    const quarantineId = (await newQuarantine(ctx)).id;
    const belowId = (await newQuarantine(ctx, { below: true })).id;
    // Checks on the two days before today, none done.
    const lostId = (await newQuarantine(ctx, { lastExposure: addDays(today(m), -3) })).id;
    const transferId = (await newTransfer(ctx)).id;
    return { site, belowUnitId, quarantineId, belowId, lostId, transferId };
  });
}

type Ctx = Pick<Fixture, 'site' | 'belowUnitId'> & { m: MatrixContext };

/** A fresh person's quarantine, started by the health administrator (last exposure yesterday by default). */
async function newQuarantine(c: Ctx, o: { below?: boolean; lastExposure?: string } = {}): Promise<Quarantine> {
  await ensureIncident(c.m);
  const f = accessFixtures(c.m.t.deps);
  const person = await f.person(o.below ? { unitId: c.belowUnitId } : { siteId: c.site.id });
  const res = await (await c.m.client('health')).post('/api/health/quarantines', { person: person.code, lastExposure: o.lastExposure ?? addDays(today(c.m), -1) });
  if (res.statusCode !== 201) throw new Error(`quarantine: ${res.statusCode} ${res.body}`);
  return json<Quarantine>(res);
}

async function newTransfer(c: Ctx): Promise<Transfer> {
  await ensureIncident(c.m);
  const person = await accessFixtures(c.m.t.deps).person({ siteId: c.site.id });
  const at = new Date(c.m.t.clock.now().getTime() - 3_600_000).toISOString();
  const res = await (await c.m.client('health')).post('/api/health/transfers', { at, vehicle: '矩阵救护车', driver: '矩阵司机', from: '矩阵小区', to: '矩阵医院', people: [person.code] });
  if (res.statusCode !== 201) throw new Error(`transfer: ${res.statusCode} ${res.body}`);
  return json<Transfer>(res);
}

/** A quarantine for the call: fresh for allowed callers, shared for the rest. */
async function quarantineFor(m: MatrixContext, mode: string, key: string, below = false): Promise<Quarantine> {
  const fx = await fixture(m);
  const c = { m, site: fx.site, belowUnitId: fx.belowUnitId };
  return mode === 'allowed' ? newQuarantine(c, { below }) : m.shared(`health-c2-${key}`, () => newQuarantine(c, { below }));
}

/** A follow-up check of today on a quarantine (the grid worker cannot reach the one below WZBW). */
const followUpCase = (below: boolean): RouteCase => ({
  method: 'POST',
  url: '/api/health/quarantines/:id/follow-ups',
  ...(below ? { label: 'below WZBW', access: writers, notFound: ['grid'] } : { access: readers }),
  build: async (m, _who, mode) => {
    const q = await quarantineFor(m, mode, below ? 'check-below' : 'check', below);
    return { url: `/api/health/quarantines/${q.id}/follow-ups`, body: { date: today(m), slot: 1, temperatureC: 36.5, condition: '矩阵' } };
  },
  check: (res, m, who) => expect(json(res)).toMatchObject({ date: today(m), slot: 1, status: 'done', temperatureC: 36.5, doneBy: who, fever: false, abnormalCaseId: null }),
});

const getCase = (below: boolean): RouteCase => ({
  method: 'GET',
  url: '/api/health/quarantines/:id',
  ...(below ? { label: 'below WZBW', access: writers, notFound: ['grid'] } : { access: readers }),
  build: async (m) => {
    const fx = await fixture(m);
    return { url: `/api/health/quarantines/${below ? fx.belowId : fx.quarantineId}` };
  },
  check: async (res, m, who) => {
    const q = json<Quarantine>(res);
    const fx = await fixture(m);
    expect(q).toMatchObject({ id: below ? fx.belowId : fx.quarantineId, status: 'active', namesMasked: who !== 'health', window: { start: today(m) } });
    expect(q.followUps.filter((s) => s.date === today(m)).every((s) => s.status === 'due')).toBe(true);
  },
});

/** Matrix entries of the quarantine and transfer routes (C2; appended to the matrix in route-matrix.ts). */
export const healthC2Matrix: RouteCase[] = [
  // ---- quarantines --------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/quarantines',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/quarantines?status=all&pageSize=200' };
    },
    check: async (res, m, who) => {
      const fx = await fixture(m);
      const ids = json<QuarantinePage>(res).rows.map((r) => r.id);
      expect(ids).toContain(fx.quarantineId);
      expect(ids.includes(fx.belowId)).toBe(who === 'health');
    },
  },
  {
    method: 'GET',
    url: '/api/health/quarantines/lost',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/quarantines/lost' };
    },
    check: async (res, m) => {
      const body = json<LostList>(res);
      expect(body).toMatchObject({ today: today(m), missedDays: 2 });
      expect(body.rows.map((r) => r.id)).toContain((await fixture(m)).lostId);
    },
  },
  getCase(false),
  getCase(true),
  {
    method: 'POST',
    url: '/api/health/quarantines',
    access: writers,
    status: 201,
    build: async (m, _who, mode) => {
      const fx = await fixture(m);
      const make = async () => (await accessFixtures(m.t.deps).person({ siteId: fx.site.id })).code;
      const person = mode === 'allowed' ? await make() : await m.shared('health-c2-start', make);
      return { url: '/api/health/quarantines', body: { person, place: 'facility', facility: '矩阵隔离点', lastExposure: addDays(today(m), -1) } };
    },
    check: (res, m) => expect(json(res)).toMatchObject({ status: 'active', place: 'facility', facility: '矩阵隔离点', startDate: today(m), lastExposure: addDays(today(m), -1) }),
  },
  followUpCase(false),
  followUpCase(true),
  {
    method: 'POST',
    url: '/api/health/quarantines/:id/supports',
    access: readers,
    status: 201,
    build: async (m, _who, mode) => ({ url: `/api/health/quarantines/${(await quarantineFor(m, mode, 'support')).id}/supports`, body: { kind: 'food', request: '矩阵米面' } }),
    check: (res) => expect(json(res)).toMatchObject({ kind: 'food', request: '矩阵米面', deliveredAt: null }),
  },
  {
    method: 'POST',
    url: '/api/health/quarantines/:id/supports/:supportId/deliver',
    access: readers,
    build: async (m, _who, mode) => {
      const make = async () => {
        const q = await quarantineFor(m, 'allowed', 'deliver');
        const res = await (await m.client('grid')).post(`/api/health/quarantines/${q.id}/supports`, { kind: 'medicine', request: '矩阵药品' });
        if (res.statusCode !== 201) throw new Error(`support: ${res.statusCode} ${res.body}`);
        return { q: q.id, s: json<Support>(res).id };
      };
      const { q, s } = mode === 'allowed' ? await make() : await m.shared('health-c2-deliver', make);
      return { url: `/api/health/quarantines/${q}/supports/${s}/deliver`, body: { note: '矩阵送达' } };
    },
    check: (res, _m, who) => expect(json(res)).toMatchObject({ kind: 'medicine', deliveredBy: who, deliveryNote: '矩阵送达' }),
  },
  {
    method: 'POST',
    url: '/api/health/quarantines/:id/notes',
    access: writers,
    status: 201,
    build: async (m, _who, mode) => ({ url: `/api/health/quarantines/${(await quarantineFor(m, mode, 'note')).id}/notes`, body: { text: '矩阵心理疏导' } }),
    check: (res) => expect(json(res)).toMatchObject({ kind: 'counselling', text: '矩阵心理疏导', writtenBy: 'health' }),
  },
  {
    method: 'POST',
    url: '/api/health/quarantines/:id/release',
    access: writers,
    build: async (m, _who, mode) => {
      const q = await quarantineFor(m, mode, 'release');
      return { url: `/api/health/quarantines/${q.id}/release`, body: { temperatureC: 36.4, note: '矩阵解除', version: q.version, early: true, reason: '矩阵提前' } };
    },
    check: (res) => expect(json(res)).toMatchObject({ status: 'released', release: { by: 'health', temperatureC: 36.4, note: '矩阵提前 — 矩阵解除' } }),
  },
  {
    method: 'POST',
    url: '/api/health/quarantines/:id/lost',
    access: writers,
    build: async (m, _who, mode) => ({ url: `/api/health/quarantines/${(await quarantineFor(m, mode, 'lost')).id}/lost`, body: { note: '矩阵失联' } }),
    check: (res) => expect(json(res)).toMatchObject({ status: 'lost' }),
  },

  // ---- transfers ----------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/transfers',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/transfers' };
    },
    check: async (res, m) => {
      const body = json<TransferList>(res);
      expect(body.rows.map((r) => r.id)).toContain((await fixture(m)).transferId);
      expect(body.totals.incident?.trips).toBeGreaterThanOrEqual(1);
      expect(body.totals.period.personTrips).toBeGreaterThanOrEqual(body.totals.period.trips);
    },
  },
  {
    method: 'POST',
    url: '/api/health/transfers',
    access: writers,
    status: 201,
    build: async (m) => {
      const fx = await fixture(m);
      const person = await accessFixtures(m.t.deps).person({ siteId: fx.site.id });
      const at = new Date(m.t.clock.now().getTime() - 1_800_000).toISOString();
      return { url: '/api/health/transfers', body: { at, vehicle: '矩阵救护车', driver: '矩阵司机', from: '矩阵小区', to: '矩阵隔离点', people: [person.code], disinfected: true } };
    },
    check: (res) => expect(json(res)).toMatchObject({ vehicle: '矩阵救护车', personCount: 1, disinfected: true }),
  },
  {
    method: 'POST',
    url: '/api/health/transfers/:id/disinfect',
    access: writers,
    build: async (m, _who, mode) => {
      const fx = await fixture(m);
      const c = { m, site: fx.site, belowUnitId: fx.belowUnitId };
      const trip = mode === 'allowed' ? await newTransfer(c) : await m.shared('health-c2-disinfect', () => newTransfer(c));
      return { url: `/api/health/transfers/${trip.id}/disinfect` };
    },
    check: (res) => expect(json(res)).toMatchObject({ disinfected: true, disinfectedAt: expect.any(String) }),
  },
];
