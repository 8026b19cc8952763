import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { IngestResult, Meter } from '../../src/server/modules/energy/energy.schemas';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const readers = ['manager', 'leader', 'clerk', 'viewer'] as const;
const maintainers = ['manager'] as const;
const senders = ['leader', 'clerk'] as const;

/** A counter of DJ1 and one of YH1 (outside the leader's and the clerk's scope), made once. */
function meters(m: MatrixContext): Promise<{ dj1: Meter; yh1: Meter }> {
  return m.shared('energy-meters', async () => {
    const manager = await m.client('manager');
    const make = async (code: string, unit: string) => {
      const res = await manager.post('/api/energy/meters', { code, nameZh: code, carrier: 'power', kind: 'counter', uom: 'kWh', unit, rollover: 1e7 });
      if (res.statusCode !== 201) throw new Error(`meter ${code}: ${res.statusCode} ${res.body}`);
      return json<Meter>(res);
    };
    return { dj1: await make('MXE-DJ1', 'DJ1'), yh1: await make('MXE-YH1', 'YH1') };
  });
}

async function newMeter(m: MatrixContext): Promise<Meter> {
  const code = `MXE-N${m.next()}`;
  const res = await (await m.client('manager')).post('/api/energy/meters', { code, nameZh: code, carrier: 'water', kind: 'interval', uom: 'm3', unit: 'DJ1-DJ' });
  if (res.statusCode !== 201) throw new Error(`newMeter: ${res.statusCode} ${res.body}`);
  return json<Meter>(res);
}

/** A time no other case uses (a minute of its own). */
const freshAt = (m: MatrixContext) => new Date(Date.parse('2026-01-01T00:00:00+08:00') + m.next() * 60_000).toISOString();

/** An EN_DRIFT rule on the DJ1 and the YH1 counters, and their warnings (inactive: no data), made once. */
function anomalies(m: MatrixContext): Promise<{ dj1: string; yh1: string }> {
  return m.shared('energy-anomalies', async () => {
    const { dj1, yh1 } = await meters(m);
    const manager = await m.client('manager');
    for (const meter of [dj1, yh1]) {
      const res = await manager.post('/api/warning-rules', { indicator: 'DL_AIR_T', code: 'EN_DRIFT', params: { meter: meter.code } });
      if (res.statusCode !== 201) throw new Error(`EN_DRIFT rule ${meter.code}: ${res.statusCode} ${res.body}`);
    }
    const scan = await manager.post('/api/warnings/scan');
    if (scan.statusCode !== 200) throw new Error(`scan: ${scan.statusCode} ${scan.body}`);
    const rows = json<{ rows: { id: string; meter: string | null }[] }>(await manager.get('/api/energy/anomalies?state=inactive')).rows;
    const id = (code: string) => rows.find((r) => r.meter === code)?.id ?? '';
    return { dj1: id(dj1.code), yh1: id(yh1.code) };
  });
}

/** Matrix entries of the energy routes (appended to the matrix in route-matrix.ts). */
export const energyMatrix: RouteCase[] = [
  {
    method: 'GET',
    url: '/api/energy/meters',
    access: readers,
    build: async (m) => {
      await meters(m);
      return { url: '/api/energy/meters' };
    },
    check: (res, _m, who) => {
      const rows = json<{ rows: Meter[] }>(res).rows;
      expect(rows.some((r) => r.code === 'MXE-DJ1')).toBe(true);
      // Data scope: the clerk and the leader do not see YH1's meter.
      expect(rows.some((r) => r.code === 'MXE-YH1')).toBe(who === 'manager' || who === 'viewer');
    },
  },
  {
    method: 'GET',
    url: '/api/energy/meters/:code',
    access: readers,
    build: async (m) => ({ url: `/api/energy/meters/${(await meters(m)).dj1.code}` }),
    check: (res) => expect(json(res)).toMatchObject({ code: 'MXE-DJ1', unit: 'DJ1', kind: 'counter', replacements: expect.any(Array) }),
  },
  {
    method: 'GET',
    url: '/api/energy/meters/:code',
    label: "a meter outside the caller's scope",
    access: ['manager', 'viewer'],
    notFound: ['leader', 'clerk'],
    build: async (m) => ({ url: `/api/energy/meters/${(await meters(m)).yh1.code}` }),
    check: (res) => expect(json(res)).toMatchObject({ code: 'MXE-YH1', unit: 'YH1' }),
  },
  {
    method: 'POST',
    url: '/api/energy/meters',
    access: maintainers,
    status: 201,
    build: async (m) => ({ url: '/api/energy/meters', body: { code: `MXE-C${m.next()}`, nameZh: '矩阵表', carrier: 'air', kind: 'interval', uom: 'm3', unit: 'DJ1' } }),
    check: (res) => expect(json(res)).toMatchObject({ carrier: 'air', kind: 'interval', version: 1 }),
  },
  {
    method: 'PUT',
    url: '/api/energy/meters/:code',
    access: maintainers,
    build: async (m, _who, mode) => {
      const meter = mode === 'allowed' ? await newMeter(m) : await m.shared('energy-put-meter', () => newMeter(m));
      return { url: `/api/energy/meters/${meter.code}`, body: { nameZh: '改名', carrier: meter.carrier, kind: meter.kind, uom: meter.uom, unit: meter.unit, parent: null, multiplier: 2, version: meter.version } };
    },
    check: (res) => expect(json(res)).toMatchObject({ nameZh: '改名', multiplier: 2, version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/energy/meters/:code/replacements',
    access: maintainers,
    status: 201,
    build: async (m) => ({ url: `/api/energy/meters/${(await meters(m)).dj1.code}/replacements`, body: { at: freshAt(m), oldFinal: 5000, newInitial: 0, note: '矩阵' } }),
    check: (res) => expect(json(res)).toMatchObject({ meter: 'MXE-DJ1', oldFinal: 5000, newInitial: 0 }),
  },
  {
    method: 'POST',
    url: '/api/energy/readings',
    access: senders,
    build: async (m) => {
      const { dj1, yh1 } = await meters(m);
      const at = freshAt(m);
      return { url: '/api/energy/readings', body: { readings: [{ meter: dj1.code, at, value: 100 }, { meter: yh1.code, at, value: 1 }] } };
    },
    check: (res) => {
      // YH1's meter is outside both senders' scope: rejected like an unknown meter.
      expect(json<IngestResult>(res)).toMatchObject({ received: 2, accepted: 1, duplicates: 0, rejected: [{ index: 1, message: 'meter: no meter MXE-YH1' }] });
    },
  },
  {
    method: 'POST',
    url: '/api/energy/readings/csv',
    access: senders,
    build: async (m) => {
      const { dj1 } = await meters(m);
      return { url: '/api/energy/readings/csv', multipart: { file: { filename: 'readings.csv', content: `表计编码,时间,读数\n${dj1.code},${freshAt(m)},42\n` } } };
    },
    check: (res) => expect(json<IngestResult>(res)).toMatchObject({ received: 1, accepted: 1, rejected: [] }),
  },
  {
    method: 'GET',
    url: '/api/energy/queue',
    access: readers,
    build: async () => ({ url: '/api/energy/queue' }),
    check: (res) => expect(json<{ pendingDays: number }>(res).pendingDays).toBeGreaterThanOrEqual(0),
  },
  {
    method: 'GET',
    url: '/api/energy/readings',
    access: readers,
    build: async (m) => ({ url: `/api/energy/readings?meter=${(await meters(m)).dj1.code}&from=2025-12-31` }),
    check: (res) => expect(json(res)).toMatchObject({ meter: 'MXE-DJ1', rows: expect.any(Array), truncated: false }),
  },
  {
    method: 'GET',
    url: '/api/energy/consumption',
    access: readers,
    build: async (m) => ({ url: `/api/energy/consumption?meter=${(await meters(m)).dj1.code}&from=2026-01-01&to=2026-01-02&interval=day` }),
    check: (res) => expect(json(res)).toMatchObject({ meter: 'MXE-DJ1', unit: 'kWh', rows: expect.any(Array) }),
  },
  {
    method: 'GET',
    url: '/api/energy/units/:code/consumption',
    access: readers,
    build: async (m) => {
      await meters(m);
      return { url: '/api/energy/units/DJ1/consumption?carrier=power&from=2026-01-01&to=2026-01-31&interval=month' };
    },
    check: (res) => expect(json(res)).toMatchObject({ unit: 'DJ1', carrier: 'power', meters: expect.arrayContaining(['MXE-DJ1']), rows: expect.any(Array) }),
  },
  {
    method: 'GET',
    url: '/api/energy/overview',
    access: readers,
    build: async (m) => {
      await meters(m);
      return { url: '/api/energy/overview?from=2026-01-01&to=2026-01-31' };
    },
    check: (res, _m, who) => {
      const body = json<{ from: string; units: { unit: string; carrier: string; meters: string[]; consumption: number }[] }>(res);
      expect(body.from).toBe('2026-01-01');
      expect(body.units.find((u) => u.unit === 'DJ1' && u.carrier === 'power')?.meters).toContain('MXE-DJ1');
      // Data scope: YH1's meter only for the group-wide roles.
      expect(body.units.some((u) => u.meters.includes('MXE-YH1'))).toBe(who === 'manager' || who === 'viewer');
    },
  },
  {
    method: 'GET',
    url: '/api/energy/quality',
    access: readers,
    build: async (m) => {
      await meters(m);
      return { url: '/api/energy/quality?unit=DJ1&from=2026-01-01&to=2026-01-02' };
    },
    check: (res) => expect(json(res)).toMatchObject({ unit: 'DJ1', days: ['2026-01-01', '2026-01-02'], meters: expect.any(Array) }),
  },
  {
    method: 'POST',
    url: '/api/energy/daily/:meter/:day/confirm',
    access: senders,
    build: async (m, _who, mode) => {
      const make = async () => {
        const code = `MXE-Q${m.next()}`;
        const res = await (await m.client('manager')).post('/api/energy/meters', { code, nameZh: code, carrier: 'water', kind: 'interval', uom: 'm3', unit: 'DJ1' });
        if (res.statusCode !== 201) throw new Error(`confirm meter: ${res.statusCode} ${res.body}`);
        return json<Meter>(res);
      };
      // A day with one reading of 96 is poor (suspect); clerk's scope is DJ1 itself.
      const meter = mode === 'allowed' ? await make() : await m.shared('energy-confirm-meter', make);
      const leader = await m.client('leader');
      await leader.post('/api/energy/readings', { readings: [{ meter: meter.code, at: '2026-01-10T08:00:00+08:00', value: 3 }] });
      return { url: `/api/energy/daily/${meter.code}/2026-01-10/confirm`, body: { reason: '矩阵确认' } };
    },
    check: (res) => expect(json(res)).toMatchObject({ day: '2026-01-10', suspect: false, confirmed: true }),
  },
  {
    method: 'PUT',
    url: '/api/energy/production',
    access: senders,
    build: async () => ({ url: '/api/energy/production', body: { unit: 'DJ1', day: '2026-01-05', product: 'aluminium', quantity: 680, uom: 't' } }),
    check: (res) => expect(json(res)).toMatchObject({ unit: 'DJ1', day: '2026-01-05', quantity: 680 }),
  },
  {
    method: 'GET',
    url: '/api/energy/production',
    access: readers,
    build: async () => ({ url: '/api/energy/production?unit=DJ1&from=2026-01-01&to=2026-01-31' }),
    check: (res) => expect(json(res)).toMatchObject({ unit: 'DJ1', rows: expect.any(Array) }),
  },
  {
    method: 'GET',
    url: '/api/energy/feeds',
    access: readers,
    build: async () => ({ url: '/api/energy/feeds' }),
    check: (res) => expect(json(res)).toMatchObject({ rows: expect.any(Array) }),
  },
  {
    method: 'PUT',
    url: '/api/energy/feeds',
    access: maintainers,
    build: async (m) => ({ url: '/api/energy/feeds', body: { indicator: 'DJ_AC_KWH', unit: 'DJ1', meter: (await meters(m)).dj1.code } }),
    check: (res) => expect(json(res)).toMatchObject({ indicator: 'DJ_AC_KWH', unit: 'DJ1', meter: 'MXE-DJ1' }),
  },
  {
    method: 'GET',
    url: '/api/energy/anomalies',
    access: readers,
    build: async (m) => {
      await anomalies(m);
      return { url: '/api/energy/anomalies?state=inactive' };
    },
    check: (res, _m, who) => {
      const rows = json<{ rows: { meter: string | null; rule: string; state: string }[] }>(res).rows;
      expect(rows.find((r) => r.meter === 'MXE-DJ1')).toMatchObject({ rule: 'EN_DRIFT', state: 'inactive' });
      expect(rows.some((r) => r.meter === 'MXE-YH1')).toBe(who === 'manager' || who === 'viewer');
    },
  },
  {
    method: 'GET',
    url: '/api/energy/anomalies/:id',
    access: readers,
    build: async (m) => ({ url: `/api/energy/anomalies/${(await anomalies(m)).dj1}` }),
    check: (res) => expect(json(res)).toMatchObject({ meter: 'MXE-DJ1', unit: 'DJ1', rule: 'EN_DRIFT', evidence: { baseline: null, points: [] } }),
  },
  {
    method: 'GET',
    url: '/api/energy/anomalies/:id',
    label: "an anomaly outside the caller's scope",
    access: ['manager', 'viewer'],
    notFound: ['leader', 'clerk'],
    build: async (m) => ({ url: `/api/energy/anomalies/${(await anomalies(m)).yh1}` }),
    check: (res) => expect(json(res)).toMatchObject({ meter: 'MXE-YH1', unit: 'YH1' }),
  },
];
