import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { BlockEntry } from '../../src/server/modules/block-list/block-list.schemas';
import type { Vehicle } from '../../src/server/modules/vehicles/vehicles.schemas';
import type { Visit } from '../../src/server/modules/visitors/visitors.schemas';
import { accessFixtures, type CheckpointFixture, type SiteFixture } from '../helpers/access-fixtures';
import type { DemoUser, MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** access.read: the group manager (all units), the DJ1 leader (DJ1's subtree), the access administrator (WZBW's subtree), the guard (WZBW). */
const readers = ['manager', 'leader', 'access', 'guard', 'health', 'grid'] as const;
/** Readers whose scope covers a WZBW site; the DJ1 leader gets 404 for it. */
const wzbwReaders = ['manager', 'access', 'guard', 'health', 'grid'] as const;
const outOfScope = ['leader'] as const;
/** access.write: the access administrator only. */
const maintainers = ['access'] as const;
/** Demo users who are nobody's host and read no site: a visit does not exist for them. */
const strangers = ['admin', 'security', 'auditor', 'viewer'] as const;
/** The demo accounts' own person records (demo-company.ts): who may host a visit. */
const hostOf: Partial<Record<DemoUser, string>> = { leader: 'E0001', clerk: 'E0002', manager: 'E0003', access: 'E0001' };

const visitWindow = { startsAt: '2026-03-02T10:00:00+08:00', endsAt: '2026-03-02T16:00:00+08:00' };

interface Fixture {
  site: SiteFixture;
  gate1: CheckpointFixture;
  gate2: CheckpointFixture;
  guards: string[];
  visitId: string;
  blockId: string;
}

/**
 * A WZBW plant (the access administrator's) with two gates, day and night shifts, four guards, a
 * visit hosted by the clerk (E0002), a block-list entry for every site, a vehicle and a few gate
 * events; made once.
 */
function fixture(m: MatrixContext): Promise<Fixture> {
  return m.shared('access-c', async () => {
    const f = accessFixtures(m.t.deps);
    const db = m.t.deps.database.db;
    const site = await f.site({ code: 'MXC-P', kind: 'plant', unitCode: 'WZBW', capacity: 100 });
    const gate1 = await f.checkpoint({ code: 'MXC-P-1', siteId: site.id });
    const gate2 = await f.checkpoint({ code: 'MXC-P-2', siteId: site.id });
    const access = await m.client('access');
    for (const shift of [{ code: 'D', name: '白班', starts: '08:00', ends: '20:00' }, { code: 'N', name: '夜班', starts: '20:00', ends: '08:00' }]) {
      const res = await access.post('/api/sites/MXC-P/shifts', shift);
      if (res.statusCode !== 201) throw new Error(`shift: ${res.statusCode} ${res.body}`);
    }
    const wzbw = (await db.selectFrom('units').select('id').where('code', '=', 'WZBW').executeTakeFirstOrThrow()).id;
    const guards: string[] = [];
    for (let i = 1; i <= 4; i++) guards.push((await f.person({ code: `MXC-G${i}`, name: `矩阵门卫${i}`, unitId: wzbw, category: 'employee' })).code);
    const visit = await access.post('/api/visits', { site: 'MXC-P', host: 'E0002', visitor: { name: '矩阵访客' }, ...visitWindow });
    if (visit.statusCode !== 201) throw new Error(`visit: ${visit.statusCode} ${visit.body}`);
    const block = await access.post('/api/block-list', { phone: '13600000001', reason: '矩阵' });
    if (block.statusCode !== 201) throw new Error(`block: ${block.statusCode} ${block.body}`);
    const vehicle = await access.post('/api/vehicles', { plate: '晋M00001', sites: [{ site: 'MXC-P' }] });
    if (vehicle.statusCode !== 201) throw new Error(`vehicle: ${vehicle.statusCode} ${vehicle.body}`);
    const person = await f.person({ code: 'MXC-IN', name: '矩阵在场', unitId: wzbw, category: 'employee' });
    const at = m.t.clock.now().getTime();
    for (const e of [
      { checkpoint: gate1, person: person.id, decision: 'allow', reason: null, at: at - 3_600_000, plate: '晋M00001' },
      { checkpoint: gate2, person: null, decision: 'deny', reason: 'NO_PASS', at: at - 1_800_000, plate: null },
    ]) {
      await db
        .insertInto('gate_events')
        .values({ idempotency_key: `mxc-${randomUUID()}`, checkpoint_id: e.checkpoint.id, site_id: site.id, person_id: e.person, credential: e.person ? 'person' : 'none', direction: 'in', decision: e.decision, reason: e.reason, plate: e.plate, at: new Date(e.at) })
        .execute();
    }
    return { site, gate1, gate2, guards, visitId: json<Visit>(visit).id, blockId: json<BlockEntry>(block).id };
  });
}

/** A pending visit to the plant hosted by the clerk (made by the access administrator). */
async function pendingVisit(m: MatrixContext): Promise<string> {
  await fixture(m);
  const res = await (await m.client('access')).post('/api/visits', { site: 'MXC-P', host: 'E0002', visitor: { name: `矩阵访客${m.next()}` }, ...visitWindow });
  if (res.statusCode !== 201) throw new Error(`pendingVisit: ${res.statusCode} ${res.body}`);
  return json<Visit>(res).id;
}

/** A visit decision: the host (the clerk) or the administrator decides; readers in scope get 403, the rest 404. */
const decideCase = (action: 'approve' | 'reject'): RouteCase => ({
  method: 'POST',
  url: `/api/visits/:id/${action}`,
  access: ['access', 'clerk'],
  notFound: [...strangers, 'leader'],
  build: async (m, _who, mode) => {
    const id = mode === 'allowed' ? await pendingVisit(m) : await m.shared(`access-c-${action}`, () => pendingVisit(m));
    return { url: `/api/visits/${id}/${action}`, body: { note: '矩阵' } };
  },
  check: (res) => {
    const visit = json<Visit>(res);
    expect(visit).toMatchObject({ status: action === 'approve' ? 'approved' : 'rejected', decisionNote: '矩阵', version: 2 });
    expect(visit.passId === null).toBe(action === 'reject');
  },
});

const plateOf = (n: number) => `晋M${String(10000 + n).slice(-5)}`;

/** Matrix entries of the visitor, block-list, vehicle, duty and live-view routes (appended to the matrix in route-matrix.ts). */
export const accessMatrix: RouteCase[] = [
  // ---- visitors ----------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/visits',
    access: 'authenticated',
    build: async (m) => {
      await fixture(m);
      return { url: '/api/visits?site=MXC-P' };
    },
    check: async (res, m, who) => {
      const ids = json<{ rows: Visit[] }>(res).rows.map((v) => v.id);
      // Readers of the WZBW plant and the host (the clerk) see the visit; nobody else does.
      expect(ids.includes((await fixture(m)).visitId)).toBe(who === 'manager' || who === 'access' || who === 'guard' || who === 'health' || who === 'grid' || who === 'clerk');
    },
  },
  {
    method: 'GET',
    url: '/api/visits/:id',
    access: ['manager', 'access', 'guard', 'health', 'grid', 'clerk'],
    notFound: [...strangers, 'leader'],
    build: async (m) => ({ url: `/api/visits/${(await fixture(m)).visitId}` }),
    check: (res) => expect(json(res)).toMatchObject({ host: { code: 'E0002' }, site: { code: 'MXC-P' }, visitor: { name: '矩阵访客', category: 'visitor' } }),
  },
  {
    method: 'POST',
    url: '/api/visits',
    // The administrator for any host at the plant; anyone with a person record as the host.
    access: ['access', 'manager', 'leader', 'clerk'],
    status: 201,
    build: async (m, who) => {
      await fixture(m);
      return { url: '/api/visits', body: { site: 'MXC-P', host: (who && hostOf[who]) ?? 'E0001', visitor: { name: `矩阵来客${m.next()}` }, ...visitWindow } };
    },
    check: (res, _m, who) => expect(json(res)).toMatchObject({ status: 'pending', host: { code: who ? hostOf[who] : '' }, passId: null, version: 1 }),
  },
  decideCase('approve'),
  decideCase('reject'),

  // ---- block list --------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/block-list',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/block-list' };
    },
    // The entry for every site is seen by every reader.
    check: async (res, m) => expect(json<{ rows: BlockEntry[] }>(res).rows.map((e) => e.id)).toContain((await fixture(m)).blockId),
  },
  {
    method: 'POST',
    url: '/api/block-list',
    access: maintainers,
    status: 201,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/block-list', body: { phone: `136${String(m.next()).padStart(8, '0')}`, site: 'MXC-P', reason: '矩阵拉黑' } };
    },
    check: (res) => expect(json(res)).toMatchObject({ byPhone: true, byIdNumber: false, person: null, site: { code: 'MXC-P' }, active: true, createdBy: 'access' }),
  },
  {
    method: 'POST',
    url: '/api/block-list/:id/remove',
    access: maintainers,
    build: async (m, _who, mode) => {
      const make = async () => {
        await fixture(m);
        const res = await (await m.client('access')).post('/api/block-list', { phone: `135${String(m.next()).padStart(8, '0')}`, site: 'MXC-P', reason: '待解除' });
        if (res.statusCode !== 201) throw new Error(`block: ${res.statusCode} ${res.body}`);
        return json<BlockEntry>(res).id;
      };
      const id = mode === 'allowed' ? await make() : await m.shared('access-c-unblock', make);
      return { url: `/api/block-list/${id}/remove`, body: { reason: '矩阵解除' } };
    },
    check: (res) => expect(json(res)).toMatchObject({ active: false, removedBy: 'access' }),
  },

  // ---- vehicles ----------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/vehicles',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/vehicles' };
    },
    check: (res, _m, who) => {
      const plates = json<{ rows: Vehicle[] }>(res).rows.map((v) => v.plate);
      // The plant's vehicle for the readers of the plant: plain for the writer, masked for the rest; not for the DJ1 leader.
      if (who === 'leader') expect(plates.some((p) => p.startsWith('晋M'))).toBe(false);
      else expect(plates).toContain(who === 'access' ? '晋M00001' : '晋M0***1');
    },
  },
  {
    method: 'POST',
    url: '/api/vehicles',
    access: maintainers,
    status: 201,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/vehicles', body: { plate: plateOf(m.next()), kind: 'truck', sites: [{ site: 'MXC-P', validTo: '2026-12-31' }] } };
    },
    check: (res, _m, _who, call) => expect(json(res)).toMatchObject({ plate: (call.body as { plate: string }).plate, kind: 'truck', sites: [{ site: 'MXC-P', validTo: '2026-12-31', active: true }], version: 1 }),
  },
  {
    method: 'PATCH',
    url: '/api/vehicles/:plate',
    access: maintainers,
    build: async (m, _who, mode) => {
      const make = async () => {
        await fixture(m);
        const plate = plateOf(m.next());
        const res = await (await m.client('access')).post('/api/vehicles', { plate, sites: [{ site: 'MXC-P' }] });
        if (res.statusCode !== 201) throw new Error(`vehicle: ${res.statusCode} ${res.body}`);
        return plate;
      };
      const plate = mode === 'allowed' ? await make() : await m.shared('access-c-vehicle', make);
      return { url: `/api/vehicles/${encodeURIComponent(plate)}`, body: { version: 1, note: '矩阵改', kind: 'bus' } };
    },
    check: (res) => expect(json(res)).toMatchObject({ note: '矩阵改', kind: 'bus', version: 2 }),
  },

  // ---- duty --------------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/sites/:code/shifts',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => ({ url: `/api/sites/${(await fixture(m)).site.code}/shifts` }),
    check: (res) => expect(json<{ rows: { code: string }[] }>(res).rows.map((s) => s.code)).toEqual(expect.arrayContaining(['D', 'N'])),
  },
  {
    method: 'POST',
    url: '/api/sites/:code/shifts',
    access: maintainers,
    status: 201,
    build: async (m) => ({ url: `/api/sites/${(await fixture(m)).site.code}/shifts`, body: { code: `S${m.next()}`, name: '矩阵班', starts: '06:00', ends: '14:00' } }),
    check: (res) => expect(json(res)).toMatchObject({ site: 'MXC-P', name: '矩阵班', starts: '06:00', ends: '14:00', overnight: false }),
  },
  {
    method: 'POST',
    url: '/api/duty/roster/generate',
    access: maintainers,
    build: async (m) => {
      const fx = await fixture(m);
      return { url: '/api/duty/roster/generate', body: { site: 'MXC-P', checkpoints: [fx.gate1.code, fx.gate2.code], guards: fx.guards, shifts: ['D', 'N'], from: '2026-03-02', days: 2, perPost: 1 } };
    },
    check: (res) => {
      const body = json<{ assignments: number; loads: { shifts: number }[] }>(res);
      expect(body.assignments).toBe(8);
      expect(body.loads.map((l) => l.shifts)).toEqual([2, 2, 2, 2]);
    },
  },
  {
    method: 'GET',
    url: '/api/duty/roster',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/duty/roster?site=MXC-P&date=2026-03-02' };
    },
    check: (res) => expect(json(res)).toMatchObject({ site: 'MXC-P', date: '2026-03-02', rows: expect.any(Array) }),
  },
  {
    method: 'GET',
    url: '/api/duty/now',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/duty/now?site=MXC-P' };
    },
    check: (res) => {
      const body = json<{ localTime: string; rows: { checkpoint: string }[] }>(res);
      expect(body.localTime).toMatch(/^\d\d:\d\d$/);
      expect(body.rows.map((r) => r.checkpoint)).toEqual(['MXC-P-1', 'MXC-P-2']);
    },
  },
  {
    method: 'GET',
    url: '/api/duty/handovers',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/duty/handovers?site=MXC-P' };
    },
    check: (res) => expect(json(res)).toMatchObject({ rows: expect.any(Array) }),
  },
  {
    method: 'POST',
    url: '/api/duty/handovers',
    // Guards (gate.operate) and the administrator; other readers are refused by the service.
    access: ['access', 'guard'],
    status: 201,
    build: async (m) => ({ url: '/api/duty/handovers', body: { checkpoint: (await fixture(m)).gate1.code, date: '2026-03-02', shift: 'D', note: '矩阵交接' } }),
    check: (res) => expect(json(res)).toMatchObject({ checkpoint: 'MXC-P-1', shift: 'D', note: '矩阵交接' }),
  },

  // ---- live views --------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/access/live',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/access/live' };
    },
    check: (res, _m, who) => {
      const site = json<{ sites: { site: string; inside: number; deniedToday: number }[] }>(res).sites.find((s) => s.site === 'MXC-P');
      if (who === 'leader') expect(site).toBeUndefined();
      else expect(site).toMatchObject({ inside: 1, deniedToday: 1 });
    },
  },
  {
    method: 'GET',
    url: '/api/access/traffic',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/access/traffic?site=MXC-P' };
    },
    check: (res) => {
      const body = json<{ rows: { checkpoint: string; in: number[]; denied: number[] }[] }>(res);
      expect(body.rows.map((r) => r.checkpoint)).toEqual(['MXC-P-1', 'MXC-P-2']);
      expect(body.rows[0]!.in.reduce((a, b) => a + b, 0)).toBe(1);
      expect(body.rows[1]!.denied.reduce((a, b) => a + b, 0)).toBe(1);
    },
  },
  {
    method: 'GET',
    url: '/api/access/denials',
    access: readers,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/access/denials' };
    },
    check: (res, _m, who) => {
      const sites = json<{ rows: { site: string; reason: string }[] }>(res).rows.filter((r) => r.site === 'MXC-P');
      expect(sites.map((r) => r.reason)).toEqual(who === 'leader' ? [] : ['NO_PASS']);
    },
  },
  {
    method: 'GET',
    url: '/api/access/vehicles',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/access/vehicles?site=MXC-P' };
    },
    check: (res, _m, who) => {
      const body = json<{ summary: { total: number }; rows: { plate: string; permitted: boolean }[] }>(res);
      expect(body.summary.total).toBe(1);
      expect(body.rows).toEqual([expect.objectContaining({ plate: who === 'access' ? '晋M00001' : '晋M0***1', permitted: true })]);
    },
  },
  {
    method: 'GET',
    url: '/api/access/roll-call',
    access: wzbwReaders,
    notFound: outOfScope,
    build: async (m) => {
      await fixture(m);
      return { url: '/api/access/roll-call?site=MXC-P' };
    },
    check: (res, _m, who) => {
      const body = json<{ count: number; namesMasked: boolean; rows: { person: string; name: string }[] }>(res);
      expect(body).toMatchObject({ count: 1, namesMasked: who !== 'access' });
      expect(body.rows).toEqual([expect.objectContaining({ person: 'MXC-IN', name: who === 'access' ? '矩阵在场' : '矩***' })]);
    },
  },
];
