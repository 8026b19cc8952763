import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Indicator } from '../../src/server/modules/indicators/indicators.schemas';
import type { EntryGrid } from '../../src/server/modules/measurements/measurements.schemas';
import type { Scorecard } from '../../src/server/modules/scorecard/scorecard.schemas';
import { send, type MatrixContext, type RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const readers = ['manager', 'leader', 'clerk', 'viewer'] as const;
const enterers = ['leader', 'clerk'] as const;
const approvers = ['manager', 'leader'] as const;

/** A month of its own for each fixture, far from the demo data, so calls never collide. */
function freshMonth(m: MatrixContext): string {
  const n = m.next();
  return `${2040 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}

/** DJ1's output for a fresh month, entered by the clerk (a draft) and optionally submitted. */
async function clerkValues(m: MatrixContext, submit: boolean): Promise<string> {
  const period = freshMonth(m);
  const clerk = await m.client('clerk');
  const saved = await clerk.put('/api/entry', { unit: 'DJ1', period, values: [{ indicator: 'DJ_AL_OUT', value: 21_000, note: '' }] });
  if (saved.statusCode !== 200) throw new Error(`clerk save: ${saved.statusCode} ${saved.body}`);
  if (submit) {
    const s = await clerk.post('/api/entry/submit', { unit: 'DJ1', period });
    if (s.statusCode !== 200) throw new Error(`clerk submit: ${s.statusCode} ${s.body}`);
  }
  return period;
}

async function newIndicator(m: MatrixContext): Promise<Indicator> {
  const n = m.next();
  const res = await (await m.client('manager')).post('/api/indicators', { code: `MX_IND_${n}`, nameZh: `矩阵指标${n}`, nameEn: `Matrix indicator ${n}`, category: 'production', direction: 'higher', aggregation: 'sum' });
  if (res.statusCode !== 201) throw new Error(`newIndicator: ${res.statusCode} ${res.body}`);
  return json<Indicator>(res);
}

/** Matrix entries of the benchmarking routes (appended to the matrix in route-matrix.ts). */
export const benchmarkingMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/indicators',
    access: readers,
    build: async () => ({ url: '/api/indicators' }),
    check: (res) => expect(json<{ items: Indicator[] }>(res).items.map((i) => i.code)).toContain('DJ_DC_KWH_T'),
  },
  {
    method: 'GET',
    url: '/api/indicators/:code',
    access: readers,
    build: async () => ({ url: '/api/indicators/DJ_DC_KWH_T' }),
    check: (res) => expect(json<Indicator>(res)).toMatchObject({ code: 'DJ_DC_KWH_T', aggregation: 'formula', formula: 'DJ_DC_KWH / DJ_AL_OUT', direction: 'lower', scopeTag: 'DC' }),
  },
  {
    method: 'POST',
    url: '/api/indicators',
    access: ['manager'],
    status: 201,
    build: async (m) => {
      const n = m.next();
      return { url: '/api/indicators', body: { code: `MX_NEW_${n}`, nameZh: '新指标', nameEn: 'New indicator', category: 'energy', direction: 'lower', aggregation: 'formula', formula: 'DJ_DC_KWH / DJ_AL_OUT / 1000', precision: 3 } };
    },
    check: (res, _m, _who, call) => expect(json<Indicator>(res)).toMatchObject({ code: (call.body as { code: string }).code, aggregation: 'formula', precision: 3, version: 1 }),
  },
  {
    method: 'PATCH',
    url: '/api/indicators/:code',
    access: ['manager'],
    build: async (m, _who, mode) => {
      const ind = mode === 'allowed' ? await newIndicator(m) : await m.shared('indicator', () => newIndicator(m));
      return { url: `/api/indicators/${ind.code}`, body: { version: ind.version, nameEn: 'Renamed indicator', uom: 't' } };
    },
    check: (res) => expect(json<Indicator>(res)).toMatchObject({ nameEn: 'Renamed indicator', uom: 't', version: 2 }),
  },
  {
    method: 'GET',
    url: '/api/indicator-sets/:unit',
    access: readers,
    build: async () => ({ url: '/api/indicator-sets/DJ1' }),
    check: (res) => expect(json<{ unit: string; items: { indicator: string }[] }>(res).items.map((i) => i.indicator)).toContain('DJ_AL_OUT'),
  },
  {
    method: 'PUT',
    url: '/api/indicator-sets/:unit',
    access: ['manager'],
    build: async (m, _who, mode) => {
      const unit = mode === 'allowed' ? await m.newUnit() : await m.shared('set-unit', () => m.newUnit());
      return { url: `/api/indicator-sets/${unit.code}`, body: { items: [{ indicator: 'DJ_AL_OUT', weight: 2 }, { indicator: 'DJ_DC_KWH_T', weight: 1 }] } };
    },
    check: (res) => expect(json<{ items: { indicator: string; weight: number }[] }>(res).items).toEqual([expect.objectContaining({ indicator: 'DJ_AL_OUT', weight: 2 }), expect.objectContaining({ indicator: 'DJ_DC_KWH_T', weight: 1 })]),
  },
  {
    method: 'GET',
    url: '/api/entry',
    access: readers,
    build: async () => ({ url: '/api/entry?unit=DJ1&period=2020-02' }),
    check: (res) => {
      const g = json<EntryGrid>(res);
      expect(g).toMatchObject({ unit: 'DJ1', period: '2020-02', locked: false });
      expect(g.rows.find((r) => r.indicator === 'DJ_DC_KWH_T')).toMatchObject({ derived: true, source: 'formula' });
    },
  },
  {
    method: 'PUT',
    url: '/api/entry',
    access: enterers,
    build: async (m) => ({ url: '/api/entry', body: { unit: 'DJ1', period: freshMonth(m), values: [{ indicator: 'DJ_AL_OUT', value: 20_500, note: '' }] } }),
    check: (res, _m, who) => expect(json<EntryGrid>(res).rows.find((r) => r.indicator === 'DJ_AL_OUT')).toMatchObject({ value: 20_500, status: who === 'leader' ? 'approved' : 'draft', source: 'entry' }),
  },
  {
    method: 'POST',
    url: '/api/entry/submit',
    access: enterers,
    build: async (m) => ({ url: '/api/entry/submit', body: { unit: 'DJ1', period: await clerkValues(m, false) } }),
    check: (res, _m, who) => expect(json(res)).toMatchObject({ unit: 'DJ1', changed: 1, status: who === 'leader' ? 'approved' : 'submitted' }),
  },
  {
    method: 'POST',
    url: '/api/entry/approve',
    access: approvers,
    build: async (m) => ({ url: '/api/entry/approve', body: { unit: 'DJ1', period: await clerkValues(m, true) } }),
    check: (res) => expect(json(res)).toMatchObject({ unit: 'DJ1', changed: 1, status: 'approved' }),
  },
  {
    method: 'POST',
    url: '/api/entry/return',
    access: approvers,
    build: async (m) => ({ url: '/api/entry/return', body: { unit: 'DJ1', period: await clerkValues(m, true), comment: '请核对产量' } }),
    check: (res) => expect(json(res)).toMatchObject({ changed: 1, status: 'returned' }),
  },
  {
    method: 'POST',
    url: '/api/entry/reopen',
    access: approvers,
    build: async (m) => {
      const period = freshMonth(m);
      const leader = await m.client('leader');
      const saved = await leader.put('/api/entry', { unit: 'DJ1', period, values: [{ indicator: 'DJ_AL_OUT', value: 21_000, note: '' }] });
      if (saved.statusCode !== 200) throw new Error(`leader save: ${saved.statusCode} ${saved.body}`);
      return { url: '/api/entry/reopen', body: { unit: 'DJ1', period, reason: '数据口径调整' } };
    },
    check: (res) => expect(json(res)).toMatchObject({ changed: 1, status: 'returned' }),
  },
  {
    method: 'GET',
    url: '/api/entry/missing',
    access: readers,
    build: async () => ({ url: '/api/entry/missing?period=2020-03' }),
    check: (res, _m, who) => {
      const units = json<{ units: { unit: string; missing: string[] }[] }>(res).units;
      // 电解一厂's March is left for its clerk in the demo.
      expect(units.find((u) => u.unit === 'DJ1')?.missing).toContain('DJ_AL_OUT');
      if (who === 'clerk') expect(units.map((u) => u.unit)).toEqual(['DJ1']);
    },
  },
  {
    method: 'GET',
    url: '/api/periods',
    access: readers,
    build: async () => ({ url: '/api/periods' }),
    check: (res) => expect(json<{ items: { period: string; locked: boolean }[] }>(res).items).toContainEqual(expect.objectContaining({ period: '2019-12', locked: true })),
  },
  {
    method: 'POST',
    url: '/api/periods/:period/lock',
    access: ['manager'],
    build: async (m) => ({ url: `/api/periods/${freshMonth(m)}/lock`, body: { reason: '月结' } }),
    check: (res) => expect(json(res)).toMatchObject({ locked: true, reason: '月结' }),
  },
  {
    method: 'POST',
    url: '/api/periods/:period/unlock',
    access: ['manager'],
    build: async (m, _who, mode) => {
      const lockOne = async () => {
        const period = freshMonth(m);
        const r = await (await m.client('manager')).post(`/api/periods/${period}/lock`, { reason: '' });
        if (r.statusCode !== 200) throw new Error(`lock: ${r.statusCode} ${r.body}`);
        return period;
      };
      const period = mode === 'allowed' ? await lockOne() : await m.shared('locked-period', lockOne);
      return { url: `/api/periods/${period}/unlock`, body: { reason: '补录更正' } };
    },
    check: (res) => expect(json(res)).toMatchObject({ locked: false, reason: '补录更正' }),
  },
  {
    method: 'GET',
    url: '/api/scorecard',
    access: readers,
    build: async () => ({ url: '/api/scorecard?unit=DJ1&period=2020-02' }),
    check: (res) => {
      const s = json<Scorecard>(res);
      expect(s).toMatchObject({ unit: 'DJ1', period: '2020-02', scope: 'period' });
      expect(s.rows.find((r) => r.indicator === 'DJ_DC_KWH_T')?.benchmark).toMatchObject({ code: 'SXHR', kind: 'peer' });
    },
  },
  {
    method: 'GET',
    url: '/api/benchmarks',
    access: readers,
    build: async () => ({ url: '/api/benchmarks' }),
    check: (res) => expect(json<{ items: { code: string; values: unknown[] }[] }>(res).items.find((b) => b.code === 'GB21346-ADV')?.values).toContainEqual(expect.objectContaining({ indicator: 'DJ_AC_KWH_T', value: 12_650, scopeTag: 'AC' })),
  },
  {
    method: 'POST',
    url: '/api/benchmarks',
    access: ['manager'],
    status: 201,
    build: async (m) => ({ url: '/api/benchmarks', body: { code: `MX-BM-${m.next()}`, nameZh: '矩阵标杆', kind: 'peer', source: 'test' } }),
    check: (res, _m, _who, call) => expect(json(res)).toMatchObject({ code: (call.body as { code: string }).code, kind: 'peer', values: [] }),
  },
  {
    method: 'PUT',
    url: '/api/benchmarks/:code/values',
    access: ['manager'],
    build: async () => ({ url: '/api/benchmarks/GZHR/values', body: { values: [{ indicator: 'DJ_DC_KWH_T', period: '2021', value: 12_790, scopeTag: 'DC', source: 'test' }] } }),
    check: (res) => expect(json<{ values: { period: string; value: number }[] }>(res).values).toContainEqual(expect.objectContaining({ period: '2021', value: 12_790 })),
  },
  {
    method: 'GET',
    url: '/api/benchmark-selections',
    access: readers,
    build: async () => ({ url: '/api/benchmark-selections?unit=DJ1' }),
    check: (res) => expect(json<{ items: { indicator: string; stage: string; history: unknown[] }[] }>(res).items.find((s) => s.indicator === 'DJ_DC_KWH_T')).toMatchObject({ stage: 'comparing', benchmark: 'SXHR' }),
  },
  {
    method: 'PUT',
    url: '/api/benchmark-selections',
    access: ['manager'],
    build: async () => ({ url: '/api/benchmark-selections', body: { unit: 'DJ1', indicator: 'DJ_CURRENT_EFF', benchmark: null, stage: 'selected', reason: '以自身历史最好水平为标杆', period: '2020-03' } }),
    check: (res) => {
      const s = json<{ stage: string; useHistoryBest: boolean; history: unknown[] }>(res);
      expect(s).toMatchObject({ stage: 'selected', useHistoryBest: true });
      expect(s.history.length).toBeGreaterThan(0);
    },
  },
  {
    method: 'GET',
    url: '/api/comparable-scopes',
    access: readers,
    build: async () => ({ url: '/api/comparable-scopes' }),
    check: (res) => expect(Array.isArray(json<{ items: unknown[] }>(res).items)).toBe(true),
  },
  {
    method: 'POST',
    url: '/api/comparable-scopes',
    access: ['manager'],
    build: async () => ({ url: '/api/comparable-scopes', body: { scopeA: 'X1', scopeB: 'X2' } }),
    check: (res) => expect(json<{ items: unknown[] }>(res).items).toContainEqual({ scopeA: 'X1', scopeB: 'X2' }),
  },
  {
    method: 'GET',
    url: '/api/targets',
    access: readers,
    build: async () => ({ url: '/api/targets?unit=DJ1&year=2020' }),
    check: (res) => expect(json<{ items: { indicator: string; period: string }[] }>(res).items).toContainEqual(expect.objectContaining({ indicator: 'DJ_DC_KWH_T', period: '2020' })),
  },
  {
    method: 'PUT',
    url: '/api/targets',
    access: ['manager'],
    build: async () => ({ url: '/api/targets', body: { unit: 'DJ1', spread: 'days', targets: [{ indicator: 'DJ_AL_OUT', period: '2021', target: 365_000, basis: '2021 年计划' }] } }),
    check: (res) => {
      const items = json<{ items: { period: string; target: number }[] }>(res).items;
      expect(items).toHaveLength(13);
      expect(items.find((t) => t.period === '2021-02')?.target).toBe(28_000);
    },
  },
  {
    method: 'GET',
    url: '/api/targets/assistant',
    access: readers,
    build: async () => ({ url: '/api/targets/assistant?unit=DJ1&indicator=DJ_DC_KWH_T&year=2020&base=lastYear&amplitude=0.5' }),
    check: (res) => {
      const a = json<{ bases: { key: string; value: number | null }[]; proposal: { target: number } }>(res);
      const lastYear = a.bases.find((b) => b.key === 'lastYear')!.value!;
      expect(a.proposal.target).toBe(Math.round(lastYear * 0.995));
      expect(a.bases.find((b) => b.key === 'benchmark')?.value).toBe(12_880);
    },
  },
  {
    method: 'POST',
    url: '/api/imports',
    access: ['admin', 'manager', 'leader', 'clerk', 'access'],
    build: async (_m, who) => {
      // A dry run of a kind each caller may import: the route needs import.run, each kind its own permission.
      const files: Record<string, [string, string]> = {
        admin: ['units', 'code,name,parent_code,kind\nMX_IMP,导入单位,SJY,office\n'],
        manager: ['targets', 'unit_code,indicator_code,period,target\nDJ1,DJ_AL_OUT,2030,250000\n'],
        leader: ['measurements', '单位编码,指标编码,期间,实际值\nDJ1,DJ_AE_COEF,2020-03,0.04\n'],
        clerk: ['measurements', '单位编码,指标编码,期间,实际值\nDJ1,DJ_AE_COEF,2020-03,0.04\n'],
        access: ['sites', '编码,名称,类型,管控级别,单位编码\nMX-IMP,导入小区,小区,开放,WZBW\n'],
      };
      const [kind, content] = files[who ?? 'manager'] ?? files.manager!;
      return { url: '/api/imports', multipart: { kind, dryRun: 'true', file: { filename: `${kind}.csv`, content } } };
    },
    check: (res, _m, _who, call) => expect(json(res)).toMatchObject({ kind: (call.multipart as { kind: string }).kind, rows: 1, inserted: 1, dryRun: true, errors: [] }),
  },
  {
    method: 'GET',
    url: '/api/imports/progress/:id',
    access: ['admin', 'manager', 'leader', 'clerk', 'access'],
    build: async (m, who, mode) => {
      const id = `matrix-${who ?? 'anonymous'}-${Date.now()}`;
      if (mode === 'allowed' && who) {
        // The caller's own dry run, sent with the id the progress is kept under.
        const [kind, content] = who === 'admin' ? ['units', 'code,name,parent_code,kind\nMX_PRG,进度,SJY,office\n'] : who === 'access' ? ['sites', 'code,name,kind,access_level,unit_code\nMX-PRG,进度小区,community,open,WZBW\n'] : who === 'manager' ? ['targets', 'unit_code,indicator_code,period,target\nDJ1,DJ_AL_OUT,2031,250000\n'] : ['measurements', '单位编码,指标编码,期间,实际值\nDJ1,DJ_AE_COEF,2020-03,0.04\n'];
        const res = await send(m.t, await m.client(who), 'POST', { url: '/api/imports', headers: { 'x-import-id': id }, multipart: { kind: kind!, dryRun: 'true', file: { filename: 'p.csv', content: content! } } });
        expect(res.statusCode, res.body).toBe(200);
      }
      return { url: `/api/imports/progress/${id}` };
    },
    check: (res) => expect(json(res)).toEqual({ phase: 'done', rows: 1, written: null, toWrite: null }),
  },
  {
    method: 'POST',
    url: '/api/scoring/preview',
    access: 'authenticated',
    build: async () => ({ url: '/api/scoring/preview', body: { method: 'efficacy', value: 5.81, satisfactory: 12, impermissible: 6 } }),
    check: (res) => expect(json(res)).toMatchObject({ score: 58.73, explanation: { rule: 'efficacy' } }),
  },
  {
    method: 'GET',
    url: '/api/imports/template',
    access: 'authenticated',
    build: async () => ({ url: '/api/imports/template?kind=measurements&unit=DJ1&period=2020-04&format=csv' }),
    check: (res) => {
      expect(res.headers['content-type']).toContain('text/csv');
      expect(res.body).toContain('单位编码,指标编码,期间,实际值,备注');
    },
  },
  {
    method: 'GET',
    url: '/api/analysis/group',
    access: readers,
    build: async () => ({ url: '/api/analysis/group?period=2020-02' }),
    check: (res, _m, who) => {
      const g = json<{ units: { unit: string }[]; records: { unit: string; indicator: string }[]; totals: { units: number } }>(res);
      if (who === 'clerk' || who === 'leader') expect(g.units.map((u) => u.unit)).toEqual(['DJ1']);
      else {
        expect(g.totals.units).toBeGreaterThan(15);
        expect(g.records).toContainEqual(expect.objectContaining({ unit: 'WL', indicator: 'WL_TURNOVER' }));
      }
    },
  },
  {
    method: 'GET',
    url: '/api/reports/monthly.xlsx',
    access: readers,
    build: async () => ({ url: '/api/reports/monthly.xlsx?period=2020-02' }),
    check: (res) => {
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    },
  },
  {
    method: 'GET',
    url: '/api/entry/detail',
    access: readers,
    build: async () => ({ url: '/api/entry/detail?unit=DJ1&indicator=DJ_DC_KWH_T&period=2020-02' }),
    check: (res) => {
      const d = json<{ source: string; formula: string; inputs: { indicator: string; source: string; status: string }[] }>(res);
      expect(d).toMatchObject({ source: 'formula', formula: 'DJ_DC_KWH / DJ_AL_OUT' });
      expect(d.inputs).toEqual([expect.objectContaining({ indicator: 'DJ_DC_KWH', source: 'demo', status: 'approved' }), expect.objectContaining({ indicator: 'DJ_AL_OUT', source: 'demo', status: 'approved' })]);
    },
  },
];
