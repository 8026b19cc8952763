import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ScanResult, Warning, WarningRule } from '../../src/server/modules/warnings/warnings.schemas';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const readers = ['manager', 'leader', 'clerk', 'viewer'] as const;
const enterers = ['leader', 'clerk'] as const;

/** One scan as the manager, shared by the read-only cases. */
function scanned(m: MatrixContext): Promise<ScanResult> {
  return m.shared('warnings-scan', async () => {
    const res = await (await m.client('manager')).post('/api/warnings/scan');
    if (res.statusCode !== 200) throw new Error(`scan: ${res.statusCode} ${res.body}`);
    return json<ScanResult>(res);
  });
}

async function newRule(m: MatrixContext): Promise<WarningRule> {
  const res = await (await m.client('manager')).post('/api/warning-rules', { indicator: 'DJ_AE_COEF', unit: 'DJ1', code: 'DQ_STUCK', params: { periods: 2 + (m.next() % 20) } });
  if (res.statusCode !== 201) throw new Error(`newRule: ${res.statusCode} ${res.body}`);
  return json<WarningRule>(res);
}

/**
 * A firing DQ_RANGE warning of DJ1's output: an out-of-range value (with its note) typed by the
 * leader in a month of its own, then a scan. A month before the clock's (2026-03), so the scan sees it.
 */
let rangeMonths = 0;
async function firingRangeWarning(m: MatrixContext): Promise<Warning> {
  const n = rangeMonths++;
  const period = `${2021 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  const saved = await (await m.client('leader')).put('/api/entry', { unit: 'DJ1', period, values: [{ indicator: 'DJ_AL_OUT', value: 45_000 + n, note: '待核实' }] });
  if (saved.statusCode !== 200) throw new Error(`leader save: ${saved.statusCode} ${saved.body}`);
  const manager = await m.client('manager');
  const scan = await manager.post('/api/warnings/scan');
  if (scan.statusCode !== 200) throw new Error(`scan: ${scan.statusCode} ${scan.body}`);
  const rows = json<{ rows: Warning[] }>(await manager.get('/api/warnings?unit=DJ1&indicator=DJ_AL_OUT&state=firing')).rows;
  const w = rows.find((r) => r.rule === 'DQ_RANGE' && r.suspectPeriods.includes(period));
  if (!w) throw new Error(`no firing DQ_RANGE warning for DJ1/DJ_AL_OUT ${period}: ${JSON.stringify(rows)}`);
  return w;
}

/** Matrix entries of the warning routes (appended to the matrix in route-matrix.ts). */
export const warningsMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/warnings',
    access: readers,
    build: async (m, _who, mode) => {
      if (mode === 'allowed') await scanned(m);
      return { url: '/api/warnings' };
    },
    check: (res, _m, who) => {
      const rows = json<{ rows: Warning[] }>(res).rows;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.state !== 'inactive')).toBe(true);
      // Data scope: the clerk sees DJ1 only, the leader DJ1's subtree.
      if (who === 'clerk') expect(new Set(rows.map((r) => r.unit))).toEqual(new Set(['DJ1']));
      if (who === 'leader') expect(rows.every((r) => r.unit.startsWith('DJ1'))).toBe(true);
      if (who === 'manager' || who === 'viewer') expect(new Set(rows.map((r) => r.unit)).size).toBeGreaterThan(3);
    },
  },
  {
    method: 'GET',
    url: '/api/warning-rules',
    access: readers,
    build: async () => ({ url: '/api/warning-rules?indicator=DJ_DC_KWH_T' }),
    check: (res) => {
      const items = json<{ items: WarningRule[] }>(res).items;
      expect(items.map((r) => r.code)).toEqual(expect.arrayContaining(['TARGET', 'GAP_WIDENING', 'WE1', 'WE2', 'N2']));
      expect(items.every((r) => r.indicator === 'DJ_DC_KWH_T')).toBe(true);
      expect(items.find((r) => r.code === 'WE2')).toMatchObject({ params: { baselineMonths: 24 }, definition: expect.stringContaining('2 of 3') });
    },
  },
  {
    method: 'POST',
    url: '/api/warning-rules',
    access: ['manager'],
    status: 201,
    build: async (m) => ({ url: '/api/warning-rules', body: { indicator: 'DJ_AE_COEF', unit: 'DJ1', code: 'DQ_JUMP', params: { k: 4 + (m.next() % 5) / 10 } } }),
    check: (res, _m, _who, call) =>
      expect(json<WarningRule>(res)).toMatchObject({ indicator: 'DJ_AE_COEF', unit: 'DJ1', code: 'DQ_JUMP', params: { k: (call.body as { params: { k: number } }).params.k, baselineMonths: 24 }, holdPeriods: 1, notify: 'once', enabled: true, version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/warning-rules/:id',
    access: ['manager'],
    build: async (m, _who, mode) => {
      const rule = mode === 'allowed' ? await newRule(m) : await m.shared('warning-rule', () => newRule(m));
      return { url: `/api/warning-rules/${rule.id}`, body: { version: rule.version, code: 'DQ_STUCK', params: { periods: 4 }, holdPeriods: 2, notify: 'every', mute: [{ from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' }] } };
    },
    check: (res) => expect(json<WarningRule>(res)).toMatchObject({ code: 'DQ_STUCK', params: { periods: 4 }, holdPeriods: 2, notify: 'every', mute: [{ from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' }], version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/warnings/:id/confirm',
    access: enterers,
    build: async (m, _who, mode) => {
      const w = mode === 'allowed' ? await firingRangeWarning(m) : await m.shared('firing-warning', () => firingRangeWarning(m));
      return { url: `/api/warnings/${w.id}/confirm`, body: { reason: '产量核实无误（新槽投产）', version: w.version }, fixture: w };
    },
    check: (res, _m, who, call) => {
      const w = json<Warning>(res);
      expect(w).toMatchObject({ id: (call.fixture as Warning).id, state: 'resolved', rule: 'DQ_RANGE', suspectPeriods: [], confirmedBy: who, confirmedReason: '产量核实无误（新槽投产）' });
    },
  },
  {
    method: 'POST',
    url: '/api/warnings/scan',
    access: ['manager'],
    build: async () => ({ url: '/api/warnings/scan', body: {} }),
    check: (res) => {
      const r = json<ScanResult>(res);
      expect(r.rules).toBeGreaterThan(50);
      expect(r.evaluated).toBeGreaterThan(50);
      expect(r.firing).toBeGreaterThan(0);
    },
  },
];
