import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { addDays, shanghaiDay } from '../../src/domain/notices/week';
import { demoPeople } from '../../src/server/demo/demo-company';
import type { RiskAreaView } from '../../src/server/modules/health-travel/risk-areas.schemas';
import type { ScreeningView } from '../../src/server/modules/health-travel/screenings.schemas';
import type { SubmitTravelResult, TravelHistory } from '../../src/server/modules/health-travel/travel.schemas';
import { accessFixtures, type SiteFixture } from '../helpers/access-fixtures';
import { demoUsers } from './demo-users';
import type { MatrixContext, Mode, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** health.read: the health administrator and the grid worker (both WZBW). */
const readers = ['health', 'grid'] as const;
/** health.write: the health administrator only. */
const writers = ['health'] as const;
/** Submitting or deleting stays of a WZBW resident: health staff in scope; for anyone else the person does not exist. */
const travelWriters = ['health', 'grid'] as const;
const strangers = demoUsers.filter((u) => !(travelWriters as readonly string[]).includes(u));

const today = (m: MatrixContext) => shanghaiDay(m.t.clock.now());
const stay = (m: MatrixContext) => ({ region: '湖北省武汉市江汉区', address: '江汉路1号', fromDate: addDays(today(m), -5), toDate: addDays(today(m), -2), transport: 'train', transportNo: 'G1' });

interface Fixture {
  site: SiteFixture;
  person: string;
  stayId: string;
  screeningId: string;
  areaId: string;
}

/** A WZBW community under the active incident; made when there is none (other entries may close theirs). */
async function coveredSite(m: MatrixContext): Promise<SiteFixture> {
  const site = await m.shared('health-d1-site', () => accessFixtures(m.t.deps).site({ code: 'MXD1-S', unitCode: 'WZBW' }));
  const db = m.t.deps.database.db;
  let incident = await db.selectFrom('health_incidents').select('id').where('status', '=', 'active').executeTakeFirst();
  incident ??= await db.insertInto('health_incidents').values({ name: '矩阵疫情 D1', start_date: addDays(today(m), -40) }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('health_incident_sites').values({ incident_id: incident.id, site_id: site.id }).onConflict((oc) => oc.doNothing()).execute();
  return site;
}

async function newResident(m: MatrixContext): Promise<string> {
  const site = await coveredSite(m);
  return (await accessFixtures(m.t.deps).person({ code: `MXD1-P${m.next()}`, name: `矩阵旅客${m.next()}`, siteId: site.id })).code;
}

/** A fresh resident's stay, submitted by the health administrator. */
async function newStay(m: MatrixContext): Promise<{ person: string } & SubmitTravelResult> {
  const person = await newResident(m);
  const res = await (await m.client('health')).post('/api/health/travel', { person, stays: [stay(m)] });
  if (res.statusCode !== 201) throw new Error(`travel: ${res.statusCode} ${res.body}`);
  return { person, ...json<SubmitTravelResult>(res) };
}

async function newArea(m: MatrixContext): Promise<RiskAreaView> {
  const res = await (await m.client('health')).post('/api/health/risk-areas', { region: `矩阵省${m.next()}市`, level: 'medium', validFrom: addDays(today(m), -10) });
  if (res.statusCode !== 201) throw new Error(`risk area: ${res.statusCode} ${res.body}`);
  return json<RiskAreaView>(res);
}

/** One resident with a stay on a pending screening, and one risk area; made once. */
function fixture(m: MatrixContext): Promise<Fixture> {
  return m.shared('health-d1', async () => {
    const site = await coveredSite(m);
    const s = await newStay(m);
    const area = await newArea(m);
    return { site, person: s.person, stayId: s.rows[0]!.id, screeningId: s.screeningId, areaId: area.id };
  });
}

/** A fresh record for an allowed caller, the shared one for the rest (whose call must change nothing). */
const pick = async <T>(m: MatrixContext, mode: Mode, fresh: () => Promise<T>, shared: (f: Fixture) => T): Promise<T> => (mode === 'allowed' ? fresh() : shared(await fixture(m)));

/** Matrix entries of the travel, risk-area and screening routes (issue 7, task D1). */
export const healthD1Matrix: RouteCase[] = [
  // ---- travel histories ----------------------------------------------------------------------
  {
    method: 'POST',
    url: '/api/health/travel',
    access: travelWriters,
    notFound: strangers,
    status: 201,
    build: async (m, _who, mode) => ({ url: '/api/health/travel', body: { person: await pick(m, mode, () => newResident(m), (f) => f.person), stays: [stay(m)] } }),
    check: (res) => {
      const body = json<SubmitTravelResult>(res);
      expect(body.rows).toEqual([expect.objectContaining({ region: '湖北省武汉市江汉区', address: '江汉路***', transport: 'train' })]);
      expect(body.screeningId).toMatch(/^[0-9a-f-]{36}$/);
    },
  },
  {
    method: 'GET',
    url: '/api/health/travel',
    access: readers,
    build: async (m) => ({ url: `/api/health/travel?person=${(await fixture(m)).person}` }),
    check: async (res, m) => {
      const body = json<TravelHistory>(res);
      expect(body.person?.code).toBe((await fixture(m)).person);
      expect(body.person?.name).toMatch(/^矩\*+$/);
      expect(body.rows.map((r) => r.id)).toContain((await fixture(m)).stayId);
    },
  },
  {
    method: 'GET',
    url: '/api/health/travel/mine',
    access: 'authenticated',
    build: async () => ({ url: '/api/health/travel/mine' }),
    check: (res, _m, who) => {
      const body = json<TravelHistory>(res);
      // The caller's own person: a demo person, one another matrix case linked (MXB-U-<user>), or none.
      const own = demoPeople.find((p) => p.username === who)?.code;
      if (own) expect(body.person?.code).toBe(own);
      else expect([null, `MXB-U-${who}`]).toContain(body.person?.code ?? null);
      expect(body.lookbackDays).toBeGreaterThan(0);
    },
  },
  {
    method: 'DELETE',
    url: '/api/health/travel/:id',
    access: travelWriters,
    notFound: strangers,
    build: async (m, _who, mode) => ({ url: `/api/health/travel/${await pick(m, mode, async () => (await newStay(m)).rows[0]!.id, (f) => f.stayId)}` }),
    check: (res, _m, _who, call) => expect(json(res)).toEqual({ id: call.url.split('/').pop() }),
  },

  // ---- risk areas ----------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/risk-areas',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/risk-areas?active=true' };
    },
    check: async (res, m) => expect(json<{ rows: RiskAreaView[] }>(res).rows.map((a) => a.id)).toContain((await fixture(m)).areaId),
  },
  {
    method: 'POST',
    url: '/api/health/risk-areas',
    access: writers,
    status: 201,
    build: async (m) => ({ url: '/api/health/risk-areas', body: { region: `矩阵新区${m.next()}`, level: 'high', validFrom: addDays(today(m), -1), source: '矩阵' } }),
    check: (res) => expect(json(res)).toMatchObject({ level: 'high', source: '矩阵', active: true, version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/health/risk-areas/:id',
    access: writers,
    build: async (m, _who, mode) => {
      const id = await pick(m, mode, async () => (await newArea(m)).id, (f) => f.areaId);
      return { url: `/api/health/risk-areas/${id}`, body: { region: `矩阵改区${m.next()}`, level: 'low', validFrom: addDays(today(m), -10), validTo: null, source: null, version: 1 } };
    },
    check: (res) => expect(json(res)).toMatchObject({ level: 'low', validTo: null, version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/health/risk-areas/:id/end',
    access: writers,
    build: async (m, _who, mode) => ({ url: `/api/health/risk-areas/${await pick(m, mode, async () => (await newArea(m)).id, (f) => f.areaId)}/end`, body: { validTo: addDays(today(m), -1) } }),
    check: (res, m) => expect(json(res)).toMatchObject({ validTo: addDays(today(m), -1), active: false, version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/health/risk-areas/import',
    access: writers,
    build: async (m) => {
      const n = m.next();
      return { url: '/api/health/risk-areas/import', multipart: { file: { filename: '风险地区.csv', content: `地区,等级,生效日期\n矩阵导入${n}甲,高,${today(m)}\n矩阵导入${n}乙,低,${today(m)}\n` } } };
    },
    check: (res) => expect(json(res)).toEqual({ inserted: 2 }),
  },

  // ---- returning-staff screening ---------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/screenings',
    access: readers,
    build: async (m) => ({ url: `/api/health/screenings?status=all&site=${(await fixture(m)).site.code}` }),
    check: async (res, m) => {
      const body = json<{ rows: ScreeningView[]; counts: Record<string, number> }>(res);
      expect(body.rows.map((r) => r.id)).toContain((await fixture(m)).screeningId);
      expect(body.counts.pending).toBeGreaterThanOrEqual(1);
    },
  },
  {
    method: 'POST',
    url: '/api/health/screenings',
    access: writers,
    status: 201,
    build: async (m, _who, mode) => ({ url: '/api/health/screenings', body: { person: await pick(m, mode, () => newResident(m), (f) => f.person), returnDate: addDays(today(m), 1) } }),
    check: (res, m) => expect(json(res)).toMatchObject({ status: 'pending', returnDate: addDays(today(m), 1), items: [], version: 1 }),
  },
  {
    method: 'POST',
    url: '/api/health/screenings/:id/items/:travelRecordId',
    access: writers,
    build: async (m, _who, mode) => {
      const [id, stayId] = await pick(m, mode, async () => {
        const s = await newStay(m);
        return [s.screeningId, s.rows[0]!.id] as const;
      }, (f) => [f.screeningId, f.stayId] as const);
      return { url: `/api/health/screenings/${id}/items/${stayId}`, body: { checked: true, note: '矩阵核对' } };
    },
    check: (res) => expect(json<ScreeningView>(res).items).toEqual([expect.objectContaining({ checked: true, note: '矩阵核对', region: '湖北省武汉市江汉区' })]),
  },
  {
    method: 'POST',
    url: '/api/health/screenings/:id/decide',
    access: writers,
    build: async (m, _who, mode) => {
      const id = await pick(
        m,
        mode,
        async () => {
          // A screening started by hand for someone without stays: nothing to check.
          const res = await (await m.client('health')).post('/api/health/screenings', { person: await newResident(m), returnDate: today(m) });
          if (res.statusCode !== 201) throw new Error(`screening: ${res.statusCode} ${res.body}`);
          return json<ScreeningView>(res).id;
        },
        (f) => f.screeningId,
      );
      return { url: `/api/health/screenings/${id}/decide`, body: { status: 'cleared', note: '矩阵放行', version: 1 } };
    },
    check: (res) => expect(json(res)).toMatchObject({ status: 'cleared', reviewer: 'health', note: '矩阵放行', caseId: null, quarantineId: null, version: 2 }),
  },
];
