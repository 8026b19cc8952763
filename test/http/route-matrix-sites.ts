import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Building, Checkpoint, GridCell, Household, Site } from '../../src/server/modules/sites/sites.schemas';
import { accessFixtures } from '../helpers/access-fixtures';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** access.read: the group manager (all units), the DJ1 leader (DJ1's subtree), the access administrator (WZBW's subtree), the guard (WZBW). */
const readers = ['manager', 'leader', 'access', 'guard', 'health', 'grid'] as const;
/** Readers whose scope covers a WZBW site; the DJ1 leader gets 404 for it. */
const wzbwReaders = ['manager', 'access', 'guard', 'health', 'grid'] as const;
const outOfScope = ['leader'] as const;
/** access.write: the access administrator only. */
const maintainers = ['access'] as const;

async function post<T>(m: MatrixContext, url: string, body: unknown): Promise<T> {
  const res = await (await m.client('access')).post(url, body);
  if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return json<T>(res);
}

/** A WZBW site (the access administrator's) with a grid cell, a building, a household and a checkpoint; and a DJ1 site (the leader's), made once. */
function sites(m: MatrixContext): Promise<{ wzbw: Site; cell: GridCell; building: Building; household: Household; checkpoint: Checkpoint; dj1: string }> {
  return m.shared('sites', async () => {
    const wzbw = await post<Site>(m, '/api/sites', { code: 'MXS-WZBW', nameZh: '矩阵小区', kind: 'community', unit: 'WZBW' });
    const cell = await post<GridCell>(m, '/api/sites/MXS-WZBW/grid-cells', { code: 'G1', name: '矩阵网格' });
    const building = await post<Building>(m, '/api/sites/MXS-WZBW/buildings', { code: 'B1', name: '矩阵楼', gridCell: 'G1' });
    const household = await post<Household>(m, '/api/sites/MXS-WZBW/households', { code: '1-1-101', building: 'B1' });
    const checkpoint = await post<Checkpoint>(m, '/api/checkpoints', { code: 'MXS-WZBW-1', nameZh: '矩阵卡口', site: 'MXS-WZBW', openingHours: [{ from: '06:00', to: '22:00' }] });
    const dj1 = await accessFixtures(m.t.deps).site({ code: 'MXS-DJ1', unitCode: 'DJ1' });
    await accessFixtures(m.t.deps).checkpoint({ code: 'MXS-DJ1-1', siteId: dj1.id });
    return { wzbw, cell, building, household, checkpoint, dj1: dj1.code };
  });
}

async function newSite(m: MatrixContext): Promise<Site> {
  const code = `MXS-N${m.next()}`;
  return post<Site>(m, '/api/sites', { code, nameZh: code, kind: 'plant', unit: 'WZBW' });
}

/** Matrix entries of the site, grid, building, household, checkpoint and access-settings routes (appended to the matrix in route-matrix.ts). */
export const sitesMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/sites',
    access: readers,
    build: async (m) => {
      await sites(m);
      return { url: '/api/sites' };
    },
    check: (res, _m, who) => {
      const codes = json<{ rows: Site[] }>(res).rows.map((s) => s.code);
      // Data scope: the WZBW site for WZBW's users and the manager; the DJ1 site for the leader and the manager.
      expect(codes.includes('MXS-WZBW')).toBe(who !== 'leader');
      expect(codes.includes('MXS-DJ1')).toBe(who === 'leader' || who === 'manager' || who === 'health');
    },
  },
  {
    method: 'GET',
    url: '/api/sites/:code',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => ({ url: `/api/sites/${(await sites(m)).wzbw.code}` }),
    check: (res) => {
      const site = json<Site>(res);
      expect(site).toMatchObject({ code: 'MXS-WZBW', unit: 'WZBW', kind: 'community' });
      expect(site.counts.checkpoints).toBeGreaterThanOrEqual(1);
      expect(site.counts.households).toBeGreaterThanOrEqual(1);
    },
  },
  {
    method: 'GET',
    url: '/api/sites/:code',
    label: "a site outside the access administrator's scope",
    access: ['manager', 'leader', 'health'],
    notFound: ['access', 'guard', 'grid'],
    build: async (m) => ({ url: `/api/sites/${(await sites(m)).dj1}` }),
    check: (res) => expect(json(res)).toMatchObject({ code: 'MXS-DJ1', unit: 'DJ1' }),
  },
  {
    method: 'POST',
    url: '/api/sites',
    access: maintainers,
    status: 201,
    build: async (m) => ({ url: '/api/sites', body: { code: `MXS-C${m.next()}`, nameZh: '矩阵新小区', kind: 'community', unit: 'WZBW', accessLevel: 'restricted' } }),
    check: (res) => expect(json(res)).toMatchObject({ nameZh: '矩阵新小区', accessLevel: 'restricted', unit: 'WZBW', version: 1 }),
  },
  {
    method: 'PATCH',
    url: '/api/sites/:code',
    access: maintainers,
    build: async (m, _who, mode) => {
      const site = mode === 'allowed' ? await newSite(m) : await m.shared('sites-patch', () => newSite(m));
      return { url: `/api/sites/${site.code}`, body: { version: site.version, accessLevel: 'closed', capacity: 80 } };
    },
    check: (res) => expect(json(res)).toMatchObject({ accessLevel: 'closed', capacity: 80, version: 2 }),
  },
  {
    method: 'GET',
    url: '/api/sites/:code/grid-cells',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => ({ url: `/api/sites/${(await sites(m)).wzbw.code}/grid-cells` }),
    check: (res) => expect(json<{ rows: GridCell[] }>(res).rows.find((c) => c.code === 'G1')).toMatchObject({ site: 'MXS-WZBW', name: '矩阵网格' }),
  },
  {
    method: 'POST',
    url: '/api/sites/:code/grid-cells',
    access: maintainers,
    status: 201,
    build: async (m) => ({ url: `/api/sites/${(await sites(m)).wzbw.code}/grid-cells`, body: { code: `G-C${m.next()}`, name: '新网格' } }),
    check: (res) => expect(json(res)).toMatchObject({ site: 'MXS-WZBW', name: '新网格', worker: null, version: 1 }),
  },
  {
    method: 'PATCH',
    url: '/api/sites/:code/grid-cells/:cell',
    access: maintainers,
    build: async (m, _who, mode) => {
      const site = (await sites(m)).wzbw.code;
      const make = () => post<GridCell>(m, `/api/sites/${site}/grid-cells`, { code: `G-P${m.next()}`, name: '待改网格' });
      const cell = mode === 'allowed' ? await make() : await m.shared('sites-patch-cell', make);
      return { url: `/api/sites/${site}/grid-cells/${cell.code}`, body: { version: cell.version, name: '改名网格' } };
    },
    check: (res) => expect(json(res)).toMatchObject({ name: '改名网格', version: 2 }),
  },
  {
    method: 'GET',
    url: '/api/sites/:code/buildings',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => ({ url: `/api/sites/${(await sites(m)).wzbw.code}/buildings` }),
    check: (res) => expect(json<{ rows: Building[] }>(res).rows.find((b) => b.code === 'B1')).toMatchObject({ gridCell: 'G1', name: '矩阵楼' }),
  },
  {
    method: 'POST',
    url: '/api/sites/:code/buildings',
    access: maintainers,
    status: 201,
    build: async (m) => ({ url: `/api/sites/${(await sites(m)).wzbw.code}/buildings`, body: { code: `B-C${m.next()}`, name: '新楼', gridCell: 'G1' } }),
    check: (res) => expect(json(res)).toMatchObject({ site: 'MXS-WZBW', name: '新楼', gridCell: 'G1', households: 0 }),
  },
  {
    method: 'GET',
    url: '/api/sites/:code/households',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => ({ url: `/api/sites/${(await sites(m)).wzbw.code}/households?building=B1` }),
    check: (res) => {
      const rows = json<{ rows: Household[] }>(res).rows;
      expect(rows.find((h) => h.code === '1-1-101')).toMatchObject({ building: 'B1', members: 0 });
      expect(rows.every((h) => h.building === 'B1')).toBe(true);
    },
  },
  {
    method: 'POST',
    url: '/api/sites/:code/households',
    access: maintainers,
    status: 201,
    build: async (m) => ({ url: `/api/sites/${(await sites(m)).wzbw.code}/households`, body: { code: `2-1-${m.next()}`, building: 'B1' } }),
    check: (res) => expect(json(res)).toMatchObject({ site: 'MXS-WZBW', building: 'B1', members: 0 }),
  },
  {
    method: 'GET',
    url: '/api/checkpoints',
    access: readers,
    build: async (m) => {
      await sites(m);
      return { url: '/api/checkpoints' };
    },
    check: (res, _m, who) => {
      const codes = json<{ rows: Checkpoint[] }>(res).rows.map((c) => c.code);
      expect(codes.includes('MXS-WZBW-1')).toBe(who !== 'leader');
      expect(codes.includes('MXS-DJ1-1')).toBe(who === 'leader' || who === 'manager' || who === 'health');
    },
  },
  {
    method: 'GET',
    url: '/api/checkpoints/:code',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => ({ url: `/api/checkpoints/${(await sites(m)).checkpoint.code}` }),
    check: (res) => expect(json(res)).toMatchObject({ code: 'MXS-WZBW-1', site: 'MXS-WZBW', openingHours: [{ from: '06:00', to: '22:00' }] }),
  },
  {
    method: 'POST',
    url: '/api/checkpoints',
    access: maintainers,
    status: 201,
    build: async (m) => ({ url: '/api/checkpoints', body: { code: `MXS-CP${m.next()}`, nameZh: '新卡口', site: (await sites(m)).wzbw.code, openingHours: [{ from: '22:00', to: '06:00' }], vehicles: false } }),
    check: (res) => expect(json(res)).toMatchObject({ nameZh: '新卡口', site: 'MXS-WZBW', openingHours: [{ from: '22:00', to: '06:00' }], vehicles: false, version: 1 }),
  },
  {
    method: 'PATCH',
    url: '/api/checkpoints/:code',
    access: maintainers,
    build: async (m, _who, mode) => {
      const site = (await sites(m)).wzbw.code;
      const make = () => post<Checkpoint>(m, '/api/checkpoints', { code: `MXS-P${m.next()}`, nameZh: '待改卡口', site });
      const cp = mode === 'allowed' ? await make() : await m.shared('sites-patch-checkpoint', make);
      return { url: `/api/checkpoints/${cp.code}`, body: { version: cp.version, openingHours: [{ from: '07:30', to: '16:00' }] } };
    },
    check: (res) => expect(json(res)).toMatchObject({ openingHours: [{ from: '07:30', to: '16:00' }], version: 2 }),
  },
  {
    method: 'GET',
    url: '/api/access/settings',
    access: readers,
    build: async () => ({ url: '/api/access/settings' }),
    check: (res) => expect(json<{ idMask: string }>(res).idMask).toMatch(/^(1\+2|6\+4)$/),
  },
  {
    method: 'PUT',
    url: '/api/access/settings',
    access: maintainers,
    // The default style, so that the other cases' masks do not change.
    build: async () => ({ url: '/api/access/settings', body: { idMask: '1+2' } }),
    check: (res) => expect(json(res)).toEqual({ idMask: '1+2' }),
  },
];
