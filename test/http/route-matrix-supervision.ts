import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { SupervisionDetail, SupervisionItem } from '../../src/server/modules/supervision/supervision.schemas';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const readers = ['manager', 'leader', 'clerk', 'viewer'] as const;
/** The demo people linked to the demo accounts (demo-company.ts demoPeople). */
const personOf: Record<string, string> = { leader: 'E0001', clerk: 'E0002', manager: 'E0003' };

/** A fresh item of DJ1 assigned by the manager, owned by `owner` (a person code). */
async function newItem(m: MatrixContext, owner = 'E0002'): Promise<SupervisionDetail> {
  const n = m.next();
  const res = await (await m.client('manager')).post('/api/supervision', { unit: 'DJ1', title: `矩阵督办事项${n}`, owner, dueDate: '2026-03-20' });
  if (res.statusCode !== 201) throw new Error(`newItem: ${res.statusCode} ${res.body}`);
  return json<SupervisionDetail>(res);
}

/** Matrix entries of the supervision routes (appended to the matrix in route-matrix.ts). */
export const supervisionMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/supervision',
    access: readers,
    build: async (m) => {
      await m.shared('supervision-item', () => newItem(m));
      return { url: '/api/supervision?unit=DJ1' };
    },
    check: (res) => {
      const rows = json<{ rows: SupervisionItem[] }>(res).rows;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.unit.startsWith('DJ1'))).toBe(true);
      expect(rows[0]).toMatchObject({ light: 'green', dueDate: '2026-03-20', daysLeft: 18 });
    },
  },
  {
    method: 'GET',
    url: '/api/supervision/:id',
    access: readers,
    build: async (m) => {
      const item = await m.shared('supervision-item', () => newItem(m));
      return { url: `/api/supervision/${item.id}`, fixture: item };
    },
    check: (res, _m, _who, call) => {
      const d = json<SupervisionDetail>(res);
      expect(d).toMatchObject({ id: (call.fixture as SupervisionDetail).id, state: 'assigned', owner: { code: 'E0002' }, supervisor: { username: 'manager' } });
      expect(d.events.map((e) => e.action)).toEqual(['assign']);
    },
  },
  {
    method: 'POST',
    url: '/api/supervision',
    access: ['manager', 'leader'],
    status: 201,
    build: async (m) => ({ url: '/api/supervision', body: { unit: 'DJ1', title: `督办${m.next()}`, owner: 'E0002', dueDate: '2026-03-31', yellowDays: 5 } }),
    check: (res, _m, who) => {
      const d = json<SupervisionDetail>(res);
      expect(d).toMatchObject({ unit: 'DJ1', state: 'assigned', light: 'green', yellowDays: 5, owner: { code: 'E0002', username: 'clerk' }, supervisor: { username: who }, reviewer: null, version: 1 });
      expect(d.allowedActions).toEqual(who === 'leader' || who === 'manager' ? ['cancel'] : []);
    },
  },
  {
    method: 'POST',
    url: '/api/supervision/:id/transition',
    access: ['manager', 'leader', 'clerk'],
    build: async (m, who, mode) => {
      const item = mode === 'allowed' && who ? await newItem(m, personOf[who]) : await m.shared('supervision-item', () => newItem(m));
      return { url: `/api/supervision/${item.id}/transition`, body: { action: 'accept', note: '收到', version: item.version } };
    },
    check: (res, _m, who) => {
      const d = json<SupervisionDetail>(res);
      expect(d).toMatchObject({ state: 'accepted', version: 2 });
      expect(d.events.map((e) => [e.action, e.from, e.to, e.by?.username])).toEqual([
        ['assign', null, 'assigned', 'manager'],
        ['accept', 'assigned', 'accepted', who],
      ]);
      expect(d.allowedActions).toContain('start');
    },
  },
];
