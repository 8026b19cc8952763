import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Results, Scheme } from '../../src/server/modules/evaluations/evaluations.schemas';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const readers = ['manager', 'leader', 'clerk', 'viewer'] as const;

/** A year of its own for each publication, far from the demo data, so calls never collide. */
function freshYear(m: MatrixContext): string {
  return String(2100 + m.next());
}

/** Matrix entries of the evaluation routes (appended to the matrix in route-matrix.ts). */
export const evaluationMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/evaluation-schemes',
    access: readers,
    build: async () => ({ url: '/api/evaluation-schemes' }),
    check: (res) => expect(json<{ items: Scheme[] }>(res).items.find((s) => s.code === '2020-ALUMINA')).toMatchObject({ units: ['YH1', 'YH2', 'YH3'] }),
  },
  {
    method: 'GET',
    url: '/api/evaluations/results',
    access: readers,
    build: async () => ({ url: '/api/evaluations/results?scheme=2020-ALUMINA&period=2020-02' }),
    check: (res, _m, who) => {
      const r = json<Results>(res);
      expect(r).toMatchObject({ scheme: '2020-ALUMINA', period: '2020-02' });
      // The leader and the clerk of 电解一厂 see no alumina plant; the group sees all three.
      expect(r.rows.map((x) => x.unit).sort()).toEqual(who === 'manager' || who === 'viewer' ? ['YH1', 'YH2', 'YH3'] : []);
    },
  },
  {
    method: 'POST',
    url: '/api/evaluations/publish',
    access: ['manager'],
    status: 201,
    build: async (m) => ({ url: '/api/evaluations/publish', body: { scheme: '2020-ALUMINA', period: freshYear(m) } }),
    check: (res) => expect(json(res)).toMatchObject({ scheme: '2020-ALUMINA', version: 1, previousVersion: null, changes: [] }),
  },
  {
    method: 'POST',
    url: '/api/evaluations/vetoes',
    access: ['manager'],
    status: 201,
    build: async (m) => ({ url: '/api/evaluations/vetoes', body: { scheme: '2020-ALUMINA', unit: 'YH3', period: freshYear(m), reason: '矩阵测试否决' } }),
    check: (res, _m, _who, call) => expect(json(res)).toMatchObject({ unit: 'YH3', reason: '矩阵测试否决', period: (call.body as { period: string }).period }),
  },
];
