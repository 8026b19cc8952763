import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Competition, Leaderboard } from '../../src/server/modules/competitions/competitions.schemas';
import type { Idea } from '../../src/server/modules/ideas/ideas.schemas';
import type { IdleAsset } from '../../src/server/modules/idle-assets/idle-assets.schemas';
import type { Earnings } from '../../src/server/modules/piece-rates/piece-rates.schemas';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const readers = ['manager', 'leader', 'clerk', 'viewer'] as const;
const reviewers = ['manager', 'leader'] as const;

/** A competition of its own (one per call), among DJ1 and YH1. */
async function newCompetition(m: MatrixContext): Promise<Competition> {
  const res = await (await m.client('manager')).post('/api/competitions', { code: `MX-C${m.next()}`, nameZh: '矩阵竞赛', periodFrom: '2020-01-01', periodTo: '2020-12-31', status: 'running', participants: ['DJ1', 'YH1'] });
  if (res.statusCode !== 201) throw new Error(`newCompetition: ${res.statusCode} ${res.body}`);
  return json<Competition>(res);
}

/** An idea of 电解一厂 (submitted by its clerk), so both reviewers may act on it. */
async function newIdea(m: MatrixContext): Promise<Idea> {
  const res = await (await m.client('clerk')).post('/api/ideas', { title: `矩阵金点子 ${m.next()}` });
  if (res.statusCode !== 201) throw new Error(`newIdea: ${res.statusCode} ${res.body}`);
  return json<Idea>(res);
}

/** An idle asset of 电解一厂 with a two-step plan. */
async function newAsset(m: MatrixContext): Promise<IdleAsset> {
  const res = await (await m.client('manager')).post('/api/idle-assets', {
    code: `MX-A${m.next()}`,
    name: '矩阵闲置设备',
    kind: 'equipment',
    unit: 'DJ1',
    originalValue: '1000',
    bookValue: '100',
    idleSince: '2020-01-01',
    disposalRoute: 'sale',
    plan: [{ step: '评估', due: '2020-06-30' }, { step: '挂牌', due: '2020-09-30' }],
  });
  if (res.statusCode !== 201) throw new Error(`newAsset: ${res.statusCode} ${res.body}`);
  return json<IdleAsset>(res);
}

let outputMonth = 0;
/** A month of its own for each output or points entry (2021…), so creations never collide. */
function freshMonth(): string {
  const n = outputMonth++;
  return `${2021 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}

/** Matrix entries of the result routes: competitions, piece rates, ideas, idle assets. */
export const resultsMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/competitions',
    access: readers,
    build: async () => ({ url: '/api/competitions' }),
    check: (res) => expect(json<{ items: Competition[] }>(res).items.find((c) => c.code === '2020-321')).toMatchObject({ participants: [{ unit: 'YH1' }, { unit: 'YH2' }, { unit: 'YH3' }] }),
  },
  {
    method: 'GET',
    url: '/api/competitions/:code',
    access: readers,
    build: async () => ({ url: '/api/competitions/2020-321' }),
    check: (res) => expect(json<Competition>(res)).toMatchObject({ code: '2020-321', status: 'running', aggregation: 'points' }),
  },
  {
    method: 'POST',
    url: '/api/competitions',
    access: ['manager'],
    status: 201,
    build: async (m) => ({ url: '/api/competitions', body: { code: `MX-P${m.next()}`, nameZh: '矩阵', periodFrom: '2021-01-01', periodTo: '2021-12-31', participants: ['YH2'] } }),
    check: (res) => expect(json<Competition>(res)).toMatchObject({ status: 'draft', participants: [{ unit: 'YH2' }], version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/competitions/:code',
    access: ['manager'],
    build: async (m, _who, mode) => {
      const c = mode === 'allowed' ? await newCompetition(m) : await m.shared('competition', () => newCompetition(m));
      return { url: `/api/competitions/${c.code}`, body: { nameZh: '矩阵（改）', periodFrom: '2020-01-01', periodTo: '2020-06-30', status: 'closed', participants: ['DJ1'], version: c.version } };
    },
    check: (res) => expect(json<Competition>(res)).toMatchObject({ nameZh: '矩阵（改）', status: 'closed', participants: [{ unit: 'DJ1' }], version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/competitions/:code/events',
    access: ['manager'],
    status: 201,
    build: async () => ({ url: '/api/competitions/2020-321/events', body: { unit: 'YH3', date: '2020-06-01', points: 1, category: 'other', reason: '矩阵加分' } }),
    check: (res) => expect(json(res)).toMatchObject({ unit: 'YH3', points: 1, category: 'other', createdBy: 'manager' }),
  },
  {
    method: 'GET',
    url: '/api/competitions/:code/leaderboard',
    access: readers,
    build: async () => ({ url: '/api/competitions/2020-321/leaderboard?period=2020-02' }),
    check: (res, _m, who) => {
      const b = json<Leaderboard>(res);
      // Rows are cut to the caller's scope: 电解一厂's people see no alumina plant.
      expect(b.rows.map((r) => r.unit).sort()).toEqual(who === 'manager' || who === 'viewer' ? ['YH1', 'YH2', 'YH3'] : []);
    },
  },
  {
    method: 'GET',
    url: '/api/piece-rates/rates',
    access: readers,
    build: async () => ({ url: '/api/piece-rates/rates' }),
    check: (res, _m, who) => expect(json<{ items: { team: string }[] }>(res).items.map((r) => r.team)).toEqual(who === 'clerk' ? [] : expect.arrayContaining(['DJ1-DJ-A1'])),
  },
  {
    method: 'POST',
    url: '/api/piece-rates/rates',
    access: ['manager'],
    status: 201,
    build: async (m) => ({ url: '/api/piece-rates/rates', body: { team: 'DJ1-DJ-A1', product: `矩阵产品${m.next()}`, uom: 't', rate: '1.5', validFrom: '2020-01-01' } }),
    check: (res) => expect(json(res)).toMatchObject({ team: 'DJ1-DJ-A1', rate: '1.5', version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/piece-rates/rates/:id',
    access: ['manager'],
    build: async (m, _who, mode) => {
      const make = async () => {
        const res = await (await m.client('manager')).post('/api/piece-rates/rates', { team: 'DJ1-DJ-A1', product: `矩阵改价${m.next()}`, uom: 't', rate: '2', validFrom: '2020-01-01' });
        return json<{ id: string; product: string; version: number }>(res);
      };
      const r = mode === 'allowed' ? await make() : await m.shared('piece-rate', make);
      return { url: `/api/piece-rates/rates/${r.id}`, body: { product: r.product, uom: 't', rate: '2.25', validFrom: '2020-01-01', validTo: null, version: r.version } };
    },
    check: (res) => expect(json(res)).toMatchObject({ rate: '2.25', version: 2 }),
  },
  {
    method: 'GET',
    url: '/api/piece-rates/quality-prices',
    access: readers,
    build: async () => ({ url: '/api/piece-rates/quality-prices' }),
    check: (res) => expect(json<{ items: { grade: string }[] }>(res).items.map((p) => p.grade)).toEqual(expect.arrayContaining(['Al99.85', 'Al99.70'])),
  },
  {
    method: 'POST',
    url: '/api/piece-rates/quality-prices',
    access: ['manager'],
    status: 201,
    build: async (m) => ({ url: '/api/piece-rates/quality-prices', body: { product: '矩阵产品', grade: `G${m.next()}`, price: '-3', validFrom: '2020-01-01' } }),
    check: (res) => expect(json(res)).toMatchObject({ price: '-3', version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/piece-rates/quality-prices/:id',
    access: ['manager'],
    build: async (m, _who, mode) => {
      const make = async () => json<{ id: string; grade: string; version: number }>(await (await m.client('manager')).post('/api/piece-rates/quality-prices', { product: '矩阵改', grade: `G${m.next()}`, price: '1', validFrom: '2020-01-01' }));
      const p = mode === 'allowed' ? await make() : await m.shared('quality-price', make);
      return { url: `/api/piece-rates/quality-prices/${p.id}`, body: { product: '矩阵改', grade: p.grade, price: '1.25', validFrom: '2020-01-01', validTo: null, version: p.version } };
    },
    check: (res) => expect(json(res)).toMatchObject({ price: '1.25', version: 2 }),
  },
  {
    method: 'GET',
    url: '/api/piece-rates/sheet',
    access: ['manager', 'leader', 'viewer'],
    notFound: ['clerk'],
    build: async () => ({ url: '/api/piece-rates/sheet?team=DJ1-DJ-A1&period=2020-02' }),
    check: (res) => expect(json<{ outputs: unknown[]; points: unknown[] }>(res)).toMatchObject({ outputs: [expect.anything(), expect.anything()], points: [expect.anything(), expect.anything(), expect.anything(), expect.anything()] }),
  },
  {
    method: 'PUT',
    url: '/api/piece-rates/outputs',
    access: ['leader'],
    notFound: ['clerk'],
    build: async () => ({ url: '/api/piece-rates/outputs', body: { team: 'DJ1-DJ-A1', period: freshMonth(), product: '原铝液', grade: 'Al99.85', quantity: '100.5' } }),
    check: (res) => expect(json(res)).toMatchObject({ quantity: '100.5', version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/piece-rates/points',
    access: ['leader'],
    notFound: ['clerk'],
    build: async () => ({ url: '/api/piece-rates/points', body: { team: 'DJ1-DJ-A1', period: freshMonth(), person: 'W0001', points: '9.5' } }),
    check: (res) => expect(json(res)).toMatchObject({ person: 'W0001', points: '9.5', version: 1 }),
  },
  {
    method: 'GET',
    url: '/api/piece-rates/earnings',
    access: ['manager', 'leader', 'viewer'],
    notFound: ['clerk'],
    build: async () => ({ url: '/api/piece-rates/earnings?team=DJ1-DJ-A1&period=2020-02' }),
    check: (res) => expect(json<Earnings>(res)).toMatchObject({ total: '23184.35', allocationProblem: null }),
  },
  {
    method: 'GET',
    url: '/api/piece-rates/earnings.xlsx',
    access: readers,
    build: async () => ({ url: '/api/piece-rates/earnings.xlsx?period=2020-02' }),
    check: (res) => {
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    },
  },
  {
    method: 'POST',
    url: '/api/ideas',
    access: 'authenticated',
    status: 201,
    build: async (m) => ({ url: '/api/ideas', body: { title: `矩阵建议 ${m.next()}` } }),
    check: (res) => expect(json<Idea>(res)).toMatchObject({ status: 'submitted', version: 1 }),
  },
  {
    method: 'GET',
    url: '/api/ideas',
    access: readers,
    build: async () => ({ url: '/api/ideas?year=2020' }),
    check: (res, _m, who) => {
      const units = new Set(json<{ items: Idea[] }>(res).items.map((i) => i.unit));
      if (who === 'clerk') expect(units).toEqual(new Set(['DJ1']));
      if (who === 'manager' || who === 'viewer') expect(units.size).toBeGreaterThan(3);
    },
  },
  {
    method: 'GET',
    url: '/api/ideas/summary',
    access: readers,
    build: async () => ({ url: '/api/ideas/summary?year=2020' }),
    check: (res, _m, who) => {
      const s = json<{ total: { submitted: number } }>(res);
      if (who === 'manager' || who === 'viewer') expect(s.total.submitted).toBe(10);
    },
  },
  {
    method: 'POST',
    url: '/api/ideas/:id/review',
    access: reviewers,
    build: async (m, _who, mode) => {
      const idea = mode === 'allowed' ? await newIdea(m) : await m.shared('idea', () => newIdea(m));
      return { url: `/api/ideas/${idea.id}/review`, body: { action: 'adopt', benefitYuan: '100', version: idea.version } };
    },
    check: (res) => expect(json<Idea>(res)).toMatchObject({ status: 'adopted', benefitYuan: '100.00', version: 2 }),
  },
  {
    method: 'GET',
    url: '/api/idle-assets',
    access: readers,
    build: async () => ({ url: '/api/idle-assets' }),
    check: (res, _m, who) => {
      const units = new Set(json<{ items: IdleAsset[] }>(res).items.map((a) => a.unit));
      if (who === 'manager' || who === 'viewer') expect([...units]).toEqual(expect.arrayContaining(['YH2', 'TS', 'RD', 'WL']));
      if (who === 'leader') expect([...units].every((u) => u.startsWith('DJ1'))).toBe(true);
      if (who === 'clerk') expect([...units].every((u) => u === 'DJ1')).toBe(true);
    },
  },
  {
    method: 'GET',
    url: '/api/idle-assets/summary',
    access: readers,
    build: async () => ({ url: '/api/idle-assets/summary' }),
    check: (res, _m, who) => {
      const s = json<{ total: number }>(res);
      if (who === 'manager' || who === 'viewer') expect(s.total).toBeGreaterThanOrEqual(5);
    },
  },
  {
    method: 'POST',
    url: '/api/idle-assets',
    access: reviewers,
    status: 201,
    build: async (m) => ({ url: '/api/idle-assets', body: { code: `MX-N${m.next()}`, name: '矩阵资产', kind: 'vehicle', unit: 'DJ1', originalValue: '10', bookValue: '1', idleSince: '2020-01-01', disposalRoute: 'scrap' } }),
    check: (res) => expect(json<IdleAsset>(res)).toMatchObject({ status: 'idle', unit: 'DJ1', version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/idle-assets/:id',
    access: reviewers,
    build: async (m, _who, mode) => {
      const a = mode === 'allowed' ? await newAsset(m) : await m.shared('idle-asset', () => newAsset(m));
      return { url: `/api/idle-assets/${a.id}`, body: { name: '矩阵资产（改）', kind: 'equipment', unit: 'DJ1', originalValue: '1000', bookValue: '90', idleSince: '2020-01-01', disposalRoute: 'lease', plan: [], version: a.version } };
    },
    check: (res) => expect(json<IdleAsset>(res)).toMatchObject({ name: '矩阵资产（改）', bookValue: '90.00', status: 'idle', version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/idle-assets/:id/steps/:index',
    access: reviewers,
    build: async (m, _who, mode) => {
      const a = mode === 'allowed' ? await newAsset(m) : await m.shared('idle-asset', () => newAsset(m));
      return { url: `/api/idle-assets/${a.id}/steps/1`, body: { done: true, version: a.version } };
    },
    check: (res) => expect(json<IdleAsset>(res)).toMatchObject({ status: 'in-progress', progress: 50, version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/idle-assets/:id/dispose',
    access: reviewers,
    build: async (m, _who, mode) => {
      const a = mode === 'allowed' ? await newAsset(m) : await m.shared('idle-asset', () => newAsset(m));
      return { url: `/api/idle-assets/${a.id}/dispose`, body: { proceedsYuan: '150.5', disposedOn: '2020-10-01', version: a.version } };
    },
    check: (res) => expect(json<IdleAsset>(res)).toMatchObject({ status: 'disposed', proceeds: '150.50', disposedOn: '2020-10-01' }),
  },
];
