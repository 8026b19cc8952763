import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { BatchResult, CreatedDevice, DeviceInfo, DeviceRow, GateEventRow, LookupResult, ScanResult, SnapshotResponse } from '../../src/server/modules/gate/gate.schemas';
import { accessFixtures } from '../helpers/access-fixtures';
import type { Call, MatrixContext, RouteCase } from './route-matrix';

/**
 * Matrix entries of the gate routes (issue 6): device binding (access.write / access.read with the
 * site's scope), the gate's device routes, and the event list.
 *
 * The gate's own routes declare access 'device': the caller is a device's bearer token, not a user.
 * The runner knows users only, so these entries state them as 'public' (no sign-in needed) and put
 * the device token on every call, anonymous or not; the labelled "without a device token" cases
 * check that nobody, signed in or not, gets through without one (401 DEVICE_TOKEN_INVALID).
 */

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
const writers = ['access'] as const;
/** access.read, for a site of WZBW (the access administrator's and the guard's unit). */
const wzbwReaders = ['manager', 'access', 'guard', 'health', 'grid'] as const;
/** access.read, for a site of DJ1 (the leader's unit). */
/** The group manager and the health administrator (all units), the DJ1 leader. */
const dj1Readers = ['manager', 'leader', 'health'] as const;
const today = '2026-03-02';

/** A WZBW site and a DJ1 site, each with a checkpoint, a live device and a resident with a pass; made once. */
function gates(m: MatrixContext) {
  return m.shared('gate-sites', async () => {
    const f = accessFixtures(m.t.deps);
    const make = async (unitCode: string) => {
      const g = await f.gate({ unitCode, accessLevel: 'restricted' });
      const person = await f.person({ name: '矩阵门卫测试', siteId: g.site.id, phone: '13900007777' });
      const pass = await f.pass({ personId: person.id, siteIds: [g.site.id] });
      return { ...g, person, pass };
    };
    return { wzbw: await make('WZBW'), dj1: await make('DJ1') };
  });
}

async function freshDevice(m: MatrixContext): Promise<{ id: string; token: string }> {
  const { wzbw } = await gates(m);
  return accessFixtures(m.t.deps).device({ checkpointId: wzbw.checkpoint.id, name: `矩阵设备${m.next()}` });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const deviceDenied = (res: LightMyRequestResponse) => expect(json<{ error: { code: string } }>(res).error.code).toBe('DEVICE_TOKEN_INVALID');

/** A device route, called with the device token by everybody; and the same route without a token, refused for everybody. */
function deviceCases(method: RouteCase['method'], url: string, build: (m: MatrixContext) => Promise<Call>, check: RouteCase['check']): RouteCase[] {
  return [
    {
      method,
      url,
      access: 'public',
      build: async (m) => {
        const call = await build(m);
        return { ...call, headers: { ...call.headers, ...bearer((await gates(m)).wzbw.device.token) } };
      },
      check,
    },
    { method, url, label: 'without a device token', access: 'public', status: 401, build, check: deviceDenied },
    {
      method,
      url,
      label: 'with a revoked device token',
      access: 'public',
      status: 401,
      build: async (m) => {
        const call = await build(m);
        const revoked = await m.shared('gate-revoked-device', async () => {
          const { wzbw } = await gates(m);
          return accessFixtures(m.t.deps).device({ checkpointId: wzbw.checkpoint.id, revoked: true });
        });
        return { ...call, headers: { ...call.headers, ...bearer(revoked.token) } };
      },
      check: deviceDenied,
    },
  ];
}

const scanBody = async (m: MatrixContext) => {
  const { wzbw } = await gates(m);
  return { checkpoint: wzbw.checkpoint.code, token: wzbw.pass.token, direction: 'in', idempotencyKey: randomUUID() };
};

export const gateMatrix: RouteCase[] = [
  // ---- devices ---------------------------------------------------------------------------------
  {
    method: 'POST',
    url: '/api/checkpoints/:code/devices',
    access: writers,
    status: 201,
    build: async (m) => ({ url: `/api/checkpoints/${(await gates(m)).wzbw.checkpoint.code}/devices`, body: { name: `矩阵设备${m.next()}` } }),
    check: async (res, m) => {
      const d = json<CreatedDevice>(res);
      expect(d).toMatchObject({ checkpoint: (await gates(m)).wzbw.checkpoint.code, name: expect.stringMatching(/^矩阵设备/) });
      expect(d.token).toMatch(/^dev_/);
    },
  },
  {
    method: 'GET',
    url: '/api/checkpoints/:code/devices',
    access: wzbwReaders,
    notFound: ['leader'],
    build: async (m) => ({ url: `/api/checkpoints/${(await gates(m)).wzbw.checkpoint.code}/devices` }),
    check: async (res, m) => {
      const rows = json<{ rows: DeviceRow[] }>(res).rows;
      expect(rows.map((d) => d.id)).toContain((await gates(m)).wzbw.device.id);
      expect(res.body).not.toContain('dev_');
    },
  },
  {
    method: 'GET',
    url: '/api/checkpoints/:code/devices',
    label: 'a DJ1 checkpoint',
    access: dj1Readers,
    notFound: ['access', 'guard', 'grid'],
    build: async (m) => ({ url: `/api/checkpoints/${(await gates(m)).dj1.checkpoint.code}/devices` }),
    check: async (res, m) => expect(json<{ rows: DeviceRow[] }>(res).rows.map((d) => d.id)).toEqual([(await gates(m)).dj1.device.id]),
  },
  {
    method: 'POST',
    url: '/api/devices/:id/revoke',
    access: writers,
    build: async (m, _who, mode) => {
      // Allowed callers revoke a device of their own; the others are refused before anything is read.
      const d = mode === 'allowed' ? await freshDevice(m) : (await gates(m)).wzbw.device;
      return { url: `/api/devices/${d.id}/revoke`, fixture: d };
    },
    check: (res, _m, _who, call) => expect(json<DeviceRow>(res)).toMatchObject({ id: (call.fixture as { id: string }).id, revokedAt: expect.any(String) }),
  },
  // The write routes' scope (a DJ1 checkpoint or device is 404 for the WZBW access administrator)
  // needs a writer in DJ1's scope, which the demo has not: test/http/devices.test.ts covers it.

  // ---- the gate (device token) -----------------------------------------------------------------
  ...deviceCases(
    'POST',
    '/api/gate/scans',
    async (m) => ({ url: '/api/gate/scans', body: await scanBody(m) }),
    async (res, m) => expect(json<ScanResult>(res)).toMatchObject({ decision: 'allow', reason: null, message: '准许通行', person: { code: (await gates(m)).wzbw.person.code, name: '矩*****' }, duplicate: false }),
  ),
  ...deviceCases(
    'POST',
    '/api/gate/scans/batch',
    async (m) => ({ url: '/api/gate/scans/batch', body: { events: [{ ...(await scanBody(m)), scannedAt: '2026-03-02T00:30:00Z', decision: 'allow', reason: null }] } }),
    (res) => expect(json<BatchResult>(res)).toMatchObject({ stored: 1, duplicates: 0 }),
  ),
  ...deviceCases(
    'GET',
    '/api/gate/device',
    async () => ({ url: '/api/gate/device' }),
    async (res, m) => expect(json<DeviceInfo>(res)).toMatchObject({ device: { id: (await gates(m)).wzbw.device.id }, checkpoint: { code: (await gates(m)).wzbw.checkpoint.code } }),
  ),
  ...deviceCases(
    'GET',
    '/api/gate/lookup',
    async () => ({ url: `/api/gate/lookup?name=${encodeURIComponent('矩阵门卫测试')}&last4=7777` }),
    async (res, m) => {
      const { wzbw, dj1 } = await gates(m);
      expect(json<LookupResult>(res).rows.map((r) => r.person).sort()).toEqual([wzbw.person.code, dj1.person.code].sort());
    },
  ),
  ...deviceCases(
    'GET',
    '/api/gate/snapshot',
    async () => ({ url: '/api/gate/snapshot' }),
    async (res, m) => {
      const { payload, signature } = json<SnapshotResponse>(res);
      expect(JSON.parse(payload)).toMatchObject({ version: 1, checkpoint: (await gates(m)).wzbw.checkpoint.code });
      expect(signature.length).toBeGreaterThan(80);
    },
  ),

  // ---- the event list --------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/gate/events',
    access: wzbwReaders,
    notFound: ['leader'],
    build: async (m) => ({ url: `/api/gate/events?checkpoint=${(await gates(m)).wzbw.checkpoint.code}&date=${today}` }),
    check: (res) => expect(Array.isArray(json<{ rows: GateEventRow[] }>(res).rows)).toBe(true),
  },
  {
    method: 'GET',
    url: '/api/gate/events',
    label: 'a DJ1 checkpoint',
    access: dj1Readers,
    notFound: ['access', 'guard', 'grid'],
    build: async (m) => ({ url: `/api/gate/events?checkpoint=${(await gates(m)).dj1.checkpoint.code}&date=${today}` }),
    check: (res) => expect(json<{ rows: GateEventRow[] }>(res).rows).toEqual([]),
  },
];
