import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { CreateSchemeBody, History, Results, Scheme } from '../../src/server/modules/evaluations/evaluations.schemas';
import type { ControlChart } from '../../src/server/modules/warnings/control-chart.schemas';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const readers = ['manager', 'leader', 'clerk', 'viewer'] as const;

/** A year of its own for each publication, far from the demo data, so calls never collide. */
function freshYear(m: MatrixContext): string {
  return String(2100 + m.next());
}

/** A small valid scheme of the alumina plants with a code of its own. */
function schemeBody(code: string): CreateSchemeBody {
  return {
    code,
    nameZh: `矩阵方案${code}`,
    nameEn: `Matrix scheme ${code}`,
    aggregation: 'arithmetic',
    itemDecimals: 2,
    totalDecimals: 1,
    grading: { method: 'percentile', cuts: [0.2, 0.4, 0.6, 0.8] },
    pay: { points: [[60, 0.8], [100, 1.2]] },
    units: ['YH1', 'YH2'],
    items: [{ indicator: 'YH_DIGEST_YIELD', method: 'pass-fail', measure: 'value', weight: 1, params: { threshold: 86 }, validFrom: '2020-01-01', validTo: null }],
  };
}

async function newScheme(m: MatrixContext): Promise<Scheme> {
  const res = await (await m.client('manager')).post('/api/evaluation-schemes', schemeBody(`MX-S${m.next()}`));
  if (res.statusCode !== 201) throw new Error(`newScheme: ${res.statusCode} ${res.body}`);
  return res.json() as Scheme;
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
    method: 'POST',
    url: '/api/evaluation-schemes',
    access: ['manager'],
    status: 201,
    build: async (m) => ({ url: '/api/evaluation-schemes', body: schemeBody(`MX-C${m.next()}`) }),
    check: (res, _m, _who, call) => expect(json<Scheme>(res)).toMatchObject({ code: (call.body as { code: string }).code, version: 1, units: ['YH1', 'YH2'] }),
  },
  {
    method: 'PUT',
    url: '/api/evaluation-schemes/:code',
    access: ['manager'],
    build: async (m, _who, mode) => {
      const scheme = mode === 'allowed' ? await newScheme(m) : await m.shared('evaluation-scheme', () => newScheme(m));
      const { code, ...body } = schemeBody(scheme.code);
      return { url: `/api/evaluation-schemes/${code}`, body: { ...body, nameEn: 'Edited', version: scheme.version } };
    },
    check: (res) => expect(json<Scheme>(res)).toMatchObject({ nameEn: 'Edited', version: 2 }),
  },
  {
    method: 'GET',
    url: '/api/evaluations/history',
    access: ['manager', 'viewer'],
    // 电解一厂's leader and clerk do not see the alumina plants.
    notFound: ['leader', 'clerk'],
    build: async () => ({ url: '/api/evaluations/history?scheme=2020-ALUMINA&unit=YH1&from=2020-01&to=2020-02' }),
    check: (res) => expect(json<History>(res).rows.map((r) => r.period)).toEqual(expect.arrayContaining(['2020-01', '2020-02'])),
  },
  {
    method: 'GET',
    url: '/api/warnings/control-chart',
    access: readers,
    build: async () => ({ url: '/api/warnings/control-chart?unit=DJ1&indicator=DJ_DC_KWH_T&rules=WE1' }),
    check: (res) => {
      const c = json<ControlChart>(res);
      expect(c).toMatchObject({ unit: 'DJ1', indicator: 'DJ_DC_KWH_T', rules: ['WE1'] });
      expect(c.ucl).not.toBeNull();
    },
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
