import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Donation, DonationList } from '../../src/server/modules/health-supplies/donations.schemas';
import type { DistributionSummary, Movement, Purchase, PurchaseCreated, Supply } from '../../src/server/modules/health-supplies/supplies.schemas';
import type { PublicPoints, SupplyPoint } from '../../src/server/modules/health-supplies/supply-points.schemas';
import type { Volunteer } from '../../src/server/modules/health-supplies/volunteers.schemas';
import { accessFixtures } from '../helpers/access-fixtures';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** health.read: the health administrator (WZBW's subtree) and the grid worker (WZBW). */
const readers = ['health', 'grid'] as const;
/** health.write: the health administrator only. */
const writers = ['health'] as const;

const quotes = [
  { supplier: '矩阵甲', unitPrice: '2.50' },
  { supplier: '矩阵乙', unitPrice: '2.20' },
  { supplier: '矩阵丙', unitPrice: '2.80' },
];
const hours = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '23:59' }];

interface Fixture {
  personCode: string;
  pointId: string;
  volunteerId: string;
  donationId: string;
}

async function created<T>(res: LightMyRequestResponse, what: string): Promise<T> {
  if (res.statusCode !== 201) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

/**
 * A WZBW community MXD2-S with a checkpoint, a supply MXD2-MASK with 100 000 in stock (one
 * purchase, one distribution), a supply point open all day, a donation, a WZBW resident and their
 * volunteer record; made once by the health administrator.
 */
function fixture(m: MatrixContext): Promise<Fixture> {
  return m.shared('health-d2', async () => {
    const f = accessFixtures(m.t.deps);
    const health = await m.client('health');
    const site = await f.site({ code: 'MXD2-S', kind: 'community', unitCode: 'WZBW' });
    await f.checkpoint({ code: 'MXD2-S-1', siteId: site.id });
    const person = await f.person({ code: 'MXD2-P', name: '矩阵志愿者', siteId: site.id });
    await created(await health.post('/api/health/supplies', { code: 'MXD2-MASK', nameZh: '矩阵口罩', unitLabel: '只', kind: 'mask' }), 'supply');
    await created(await health.post('/api/health/supplies/purchases', { supply: 'MXD2-MASK', date: '2026-03-01', quantity: 100_000, quotes, chosen: 1 }), 'purchase');
    await created(await health.post('/api/health/supplies/distributions', { supply: 'MXD2-MASK', date: '2026-03-01', quantity: 10, checkpoint: 'MXD2-S-1' }), 'distribution');
    const point = await created<SupplyPoint>(await health.post('/api/health/supply-points', { site: 'MXD2-S', name: '矩阵超市', openingHours: hours }), 'point');
    const volunteer = await created<Volunteer>(await health.post('/api/health/volunteers', { person: person.code, site: 'MXD2-S', task: '矩阵测温' }), 'volunteer');
    const donation = await created<Donation>(await health.post('/api/health/donations', { donor: '矩阵商会', amount: '2000', date: '2026-03-01', purpose: '矩阵' }), 'donation');
    return { personCode: person.code, pointId: point.id, volunteerId: volunteer.id, donationId: donation.id };
  });
}

/** A fresh supply point of the fixture's community (for the calls that change one). */
async function newPoint(m: MatrixContext): Promise<SupplyPoint> {
  await fixture(m);
  return created<SupplyPoint>(await (await m.client('health')).post('/api/health/supply-points', { site: 'MXD2-S', name: `矩阵供应点${m.next()}`, openingHours: hours }), 'point');
}

/** Matrix entries of the supplies, supply-point, donation and volunteer routes (issue 7, D2). */
export const healthD2Matrix: RouteCase[] = [
  // ---- supplies ----------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/supplies',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/supplies' };
    },
    check: (res) => {
      const mask = json<{ rows: Supply[] }>(res).rows.find((s) => s.code === 'MXD2-MASK');
      expect(mask).toMatchObject({ nameZh: '矩阵口罩', kind: 'mask', lastPurchase: { date: '2026-03-01', unitPrice: '2.20', supplier: '矩阵乙' } });
      expect(Number(mask!.stock)).toBeGreaterThan(99_000);
    },
  },
  {
    method: 'POST',
    url: '/api/health/supplies',
    access: writers,
    status: 201,
    build: async (m) => ({ url: '/api/health/supplies', body: { code: `MXD2-S${m.next()}`, nameZh: '矩阵消毒液', unitLabel: '瓶', kind: 'disinfectant' } }),
    check: (res, _m, _who, call) => expect(json(res)).toMatchObject({ code: (call.body as { code: string }).code, kind: 'disinfectant', stock: '0.00', lastPurchase: null, version: 1 }),
  },
  {
    method: 'POST',
    url: '/api/health/supplies/purchases',
    access: writers,
    status: 201,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/supplies/purchases', body: { supply: 'MXD2-MASK', date: '2026-03-02', quantity: '100', quotes, chosen: 0, reason: '矩阵：最低价无现货' } };
    },
    check: (res) => expect(json<PurchaseCreated>(res)).toMatchObject({ supply: 'MXD2-MASK', chosen: 0, lowest: 1, total: '250.00', reason: '矩阵：最低价无现货' }),
  },
  {
    method: 'GET',
    url: '/api/health/supplies/purchases',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/supplies/purchases?supply=MXD2-MASK' };
    },
    check: (res) => {
      const first = json<{ rows: Purchase[] }>(res).rows.find((p) => p.date === '2026-03-01');
      expect(first).toMatchObject({ quantity: '100000.00', total: '220000.00', lowestChosen: true, reason: null });
      expect(first!.quotes.map((q) => [q.supplier, q.chosen, q.lowest])).toEqual([['矩阵乙', true, true], ['矩阵甲', false, false], ['矩阵丙', false, false]]);
    },
  },
  {
    method: 'POST',
    url: '/api/health/supplies/distributions',
    access: writers,
    status: 201,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/supplies/distributions', body: { supply: 'MXD2-MASK', date: '2026-03-02', quantity: 5, unit: 'WZBW', note: '矩阵发放' } };
    },
    check: (res) => expect(json<Movement>(res)).toMatchObject({ supply: 'MXD2-MASK', kind: 'out', change: '-5.00', unit: { code: 'WZBW' }, checkpoint: null, note: '矩阵发放' }),
  },
  {
    method: 'POST',
    url: '/api/health/supplies/adjustments',
    access: writers,
    status: 201,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/supplies/adjustments', body: { supply: 'MXD2-MASK', date: '2026-03-02', quantity: '-1', note: '矩阵盘亏' } };
    },
    check: (res) => expect(json<Movement>(res)).toMatchObject({ supply: 'MXD2-MASK', kind: 'adjust', change: '-1.00', note: '矩阵盘亏' }),
  },
  {
    method: 'GET',
    url: '/api/health/supplies/movements',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/supplies/movements?supply=MXD2-MASK&to=2026-03-01' };
    },
    check: (res) =>
      expect(json<{ rows: Movement[] }>(res).rows.map((r) => [r.kind, r.change, r.balance])).toEqual([
        ['in', '100000.00', '100000.00'],
        ['out', '-10.00', '99990.00'],
      ]),
  },
  {
    method: 'GET',
    url: '/api/health/supplies/distribution-summary',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/supplies/distribution-summary?from=2026-03-01&to=2026-03-01' };
    },
    check: (res) => {
      const body = json<DistributionSummary>(res);
      expect(body.totals.find((x) => x.supply.code === 'MXD2-MASK')?.quantity).toBe('10.00');
      expect(body.byCheckpoint.find((x) => x.checkpoint.code === 'MXD2-S-1')).toMatchObject({ checkpoint: { site: 'MXD2-S' }, quantity: '10.00' });
    },
  },

  // ---- supply points -----------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/supply-points',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/supply-points?site=MXD2-S' };
    },
    check: async (res, m) => {
      const id = (await fixture(m)).pointId;
      expect(json<{ rows: SupplyPoint[] }>(res).rows.find((p) => p.id === id)).toMatchObject({ name: '矩阵超市', site: { code: 'MXD2-S' }, active: true, openNow: true });
    },
  },
  {
    method: 'POST',
    url: '/api/health/supply-points',
    access: writers,
    status: 201,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/supply-points', body: { site: 'MXD2-S', name: `矩阵药店${m.next()}`, goods: '药品', openingHours: hours, phone: '0351-0000000' } };
    },
    check: (res) => expect(json<SupplyPoint>(res)).toMatchObject({ site: { code: 'MXD2-S' }, goods: '药品', active: true, openNow: true, version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/health/supply-points/:id',
    access: writers,
    build: async (m, _who, mode) => {
      const point = mode === 'allowed' ? await newPoint(m) : await m.shared('health-d2-put-point', () => newPoint(m));
      return { url: `/api/health/supply-points/${point.id}`, body: { name: '矩阵改名', location: '东门', goods: null, openingHours: hours, phone: null, version: 1 } };
    },
    check: (res) => expect(json<SupplyPoint>(res)).toMatchObject({ name: '矩阵改名', location: '东门', version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/health/supply-points/:id/deactivate',
    access: writers,
    build: async (m, _who, mode) => {
      const point = mode === 'allowed' ? await newPoint(m) : await m.shared('health-d2-deactivate-point', () => newPoint(m));
      return { url: `/api/health/supply-points/${point.id}/deactivate`, body: { version: 1 } };
    },
    check: (res) => expect(json<SupplyPoint>(res)).toMatchObject({ active: false, openNow: false, version: 2 }),
  },
  {
    method: 'GET',
    url: '/api/public/supply-points',
    access: 'public',
    build: async (m) => {
      await fixture(m);
      return { url: '/api/public/supply-points?site=MXD2-S' };
    },
    check: (res) => {
      const body = json<PublicPoints>(res);
      expect(body.sites.map((s) => s.site.code)).toEqual(['MXD2-S']);
      expect(body.sites[0]!.points.find((p) => p.name === '矩阵超市')).toMatchObject({ openNow: true, openingHours: hours });
    },
  },

  // ---- donations ---------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/donations',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/donations?from=2026-03-01&to=2026-03-01' };
    },
    check: async (res, m) => {
      const body = json<DonationList>(res);
      expect(body.rows.map((d) => d.id)).toContain((await fixture(m)).donationId);
      expect(body.totals.byPurpose.find((p) => p.purpose === '矩阵')).toEqual({ purpose: '矩阵', count: 1, amount: '2000.00' });
    },
  },
  {
    method: 'POST',
    url: '/api/health/donations',
    access: writers,
    status: 201,
    build: async () => ({ url: '/api/health/donations', body: { donor: '矩阵捐赠人', amount: 1000, date: '2026-03-02', purpose: '矩阵二' } }),
    check: (res) => expect(json<Donation>(res)).toMatchObject({ donor: '矩阵捐赠人', amount: '1000.00', date: '2026-03-02', purpose: '矩阵二', createdBy: 'health' }),
  },

  // ---- volunteers --------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/health/volunteers',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/health/volunteers?site=MXD2-S' };
    },
    check: async (res, m) => {
      const fx = await fixture(m);
      expect(json<{ rows: Volunteer[] }>(res).rows.find((r) => r.id === fx.volunteerId)).toMatchObject({ person: { code: fx.personCode, name: '矩****' }, task: '矩阵测温', site: { code: 'MXD2-S' } });
    },
  },
  {
    method: 'POST',
    url: '/api/health/volunteers',
    access: writers,
    status: 201,
    build: async (m) => ({ url: '/api/health/volunteers', body: { person: (await fixture(m)).personCode, task: `矩阵任务${m.next()}`, available: '周末' } }),
    check: (res) => expect(json<Volunteer>(res)).toMatchObject({ person: { code: 'MXD2-P', name: '矩****' }, site: null, available: '周末', active: true, version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/health/volunteers/:id',
    access: writers,
    build: async (m, _who, mode) => {
      const make = async () => {
        const fx = await fixture(m);
        return created<Volunteer>(await (await m.client('health')).post('/api/health/volunteers', { person: fx.personCode, task: `矩阵待改${m.next()}` }), 'volunteer');
      };
      const v = mode === 'allowed' ? await make() : await m.shared('health-d2-put-volunteer', make);
      return { url: `/api/health/volunteers/${v.id}`, body: { task: '矩阵已改', available: null, active: false, version: 1 } };
    },
    check: (res) => expect(json<Volunteer>(res)).toMatchObject({ task: '矩阵已改', active: false, version: 2 }),
  },
];
