import type { LightMyRequestResponse } from 'fastify';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import { maskPhone } from '../../src/domain/access/mask';
import { personalDataOf } from '../../src/server/crypto/personal-data';
import type { Person } from '../../src/server/modules/people/people.schemas';
import type { MyPasses, Pass, PassPage } from '../../src/server/modules/passes/passes.schemas';
import { accessFixtures, tokenHash, type PersonFixture } from '../helpers/access-fixtures';
import type { MatrixContext, RouteCase } from './route-matrix';

const json = <T>(res: LightMyRequestResponse) => res.json() as T;
/** person.read: the system administrator, the group manager, the DJ1 leader and clerk, the access administrator. */
const personReaders = ['admin', 'manager', 'leader', 'clerk', 'access', 'health', 'grid'] as const;
/** person.read users whose scope covers a WZBW site's resident (DJ1's leader and clerk get 404). */
const wzbwPersonReaders = ['admin', 'manager', 'access', 'health', 'grid'] as const;
/** access.read: the group manager (all units), the DJ1 leader (DJ1's subtree), the access administrator (WZBW's subtree), the guard (WZBW). */
const readers = ['manager', 'leader', 'access', 'guard', 'health', 'grid'] as const;
const wzbwReaders = ['manager', 'access', 'guard', 'health', 'grid'] as const;
/** access.write and personal.unmask: the access administrator only. */
const maintainers = ['access'] as const;
const photo = PNG.sync.write(new PNG({ width: 4, height: 4 }));

interface Registry {
  site: string;
  resident: PersonFixture;
}

/** A WZBW site with a resident (ID number, phone and photo), made once. */
function registry(m: MatrixContext): Promise<Registry> {
  return m.shared('passes-registry', async () => {
    const f = accessFixtures(m.t.deps);
    const site = await f.site({ code: 'MXP-WZBW', unitCode: 'WZBW' });
    const resident = await newResident(m, site.id);
    return { site: site.code, resident };
  });
}

async function newResident(m: MatrixContext, siteId?: string): Promise<PersonFixture> {
  const f = accessFixtures(m.t.deps);
  const person = await f.person({ code: `MXPP${m.next()}`, name: '矩阵居民', category: 'resident', siteId: siteId ?? (await m.t.deps.database.db.selectFrom('sites').select('id').where('code', '=', 'MXP-WZBW').executeTakeFirstOrThrow()).id });
  await m.t.deps.database.db.updateTable('people').set({ photo_enc: personalDataOf(m.t.deps.config).encrypt('people.photo', photo) }).where('id', '=', person.id).execute();
  return person;
}

/** A pass of the shared resident for the shared site, issued through the API. */
async function newPass(m: MatrixContext, status: 'active' | 'suspended' = 'active'): Promise<Pass> {
  const { site, resident } = await registry(m);
  const access = await m.client('access');
  const res = await access.post('/api/passes', { person: resident.code, sites: [site], validFrom: '2026-01-01', validTo: '2026-12-31' });
  if (res.statusCode !== 201) throw new Error(`newPass: ${res.statusCode} ${res.body}`);
  const pass = json<Pass>(res);
  if (status === 'active') return pass;
  const suspended = await access.post(`/api/passes/${pass.id}/suspend`, { reason: '矩阵暂停' });
  if (suspended.statusCode !== 200) throw new Error(`suspend: ${suspended.statusCode} ${suspended.body}`);
  return json<Pass>(suspended);
}
const sharedPass = (m: MatrixContext) => m.shared('passes-pass', () => newPass(m));

/** Matrix entries of the registry routes added to /api/people and of the pass routes (appended to the matrix in route-matrix.ts). */
export const passesMatrix: RouteCase[] = [
  // ---- the people registry ----------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/people/:id',
    access: wzbwPersonReaders,
    notFound: ['leader', 'clerk'],
    build: async (m) => ({ url: `/api/people/${(await registry(m)).resident.id}` }),
    check: async (res, m) => {
      const { resident } = await registry(m);
      expect(json<Person>(res)).toMatchObject({ code: resident.code, category: 'resident', site: 'MXP-WZBW', phone: maskPhone(resident.phone!), hasPhoto: true });
      expect(res.body).not.toContain(resident.idNumber!);
    },
  },
  {
    method: 'GET',
    url: '/api/people/export.xlsx',
    access: personReaders,
    build: async (m) => {
      await registry(m);
      return { url: '/api/people/export.xlsx?category=resident' };
    },
    check: async (res, m) => {
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
      const { resident } = await registry(m);
      expect(res.rawPayload.includes(Buffer.from(resident.phone!))).toBe(false);
    },
  },
  {
    method: 'POST',
    url: '/api/people/:id/unmask',
    access: [...maintainers, 'health'],
    build: async (m) => ({ url: `/api/people/${(await registry(m)).resident.id}/unmask`, body: { field: 'phone', reason: '矩阵核对身份' } }),
    check: async (res, m) => expect(json(res)).toEqual({ value: (await registry(m)).resident.phone }),
  },
  {
    method: 'GET',
    url: '/api/people/:id/photo',
    access: wzbwReaders,
    notFound: ['leader'],
    build: async (m) => ({ url: `/api/people/${(await registry(m)).resident.id}/photo` }),
    check: (res) => {
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.rawPayload.equals(photo)).toBe(true);
    },
  },

  // ---- passes -------------------------------------------------------------------------------------
  {
    method: 'GET',
    url: '/api/passes',
    access: readers,
    build: async (m) => {
      await sharedPass(m);
      return { url: '/api/passes?pageSize=500' };
    },
    check: async (res, m, who) => {
      const pass = await sharedPass(m);
      // Data scope: the WZBW site's passes for WZBW's users and the manager, not for DJ1's leader.
      expect(json<PassPage>(res).rows.map((p) => p.id).includes(pass.id)).toBe(who !== 'leader');
    },
  },
  {
    method: 'GET',
    url: '/api/passes/:id',
    access: wzbwReaders,
    notFound: ['leader'],
    build: async (m) => ({ url: `/api/passes/${(await sharedPass(m)).id}` }),
    check: async (res, m) => expect(json<Pass>(res)).toMatchObject({ id: (await sharedPass(m)).id, personName: '矩***', sites: [{ code: 'MXP-WZBW' }] }),
  },
  {
    method: 'POST',
    url: '/api/passes',
    access: maintainers,
    status: 201,
    build: async (m) => {
      const { site } = await registry(m);
      const person = await newResident(m);
      return { url: '/api/passes', body: { person: person.code, sites: [site], validFrom: '2026-03-01', validTo: '2027-02-28', windows: [{ days: [1, 2, 3, 4, 5], from: '07:30', to: '16:00' }] }, fixture: person };
    },
    check: (res, _m, _who, call) =>
      expect(json<Pass>(res)).toMatchObject({ person: (call.fixture as PersonFixture).code, status: 'active', validTo: '2027-02-28', windows: [{ days: [1, 2, 3, 4, 5], from: '07:30', to: '16:00' }], version: 1 }),
  },
  {
    method: 'POST',
    url: '/api/passes/:id/revoke',
    access: maintainers,
    build: async (m, _who, mode) => ({ url: `/api/passes/${(mode === 'allowed' ? await newPass(m) : await sharedPass(m)).id}/revoke`, body: { reason: '矩阵注销' } }),
    check: (res) => expect(json<Pass>(res)).toMatchObject({ status: 'revoked', statusReason: '矩阵注销', version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/passes/:id/suspend',
    access: maintainers,
    build: async (m, _who, mode) => ({ url: `/api/passes/${(mode === 'allowed' ? await newPass(m) : await sharedPass(m)).id}/suspend`, body: { reason: '矩阵暂停' } }),
    check: (res) => expect(json<Pass>(res)).toMatchObject({ status: 'suspended', statusReason: '矩阵暂停', version: 2 }),
  },
  {
    method: 'POST',
    url: '/api/passes/:id/reactivate',
    access: maintainers,
    build: async (m, _who, mode) => ({ url: `/api/passes/${(mode === 'allowed' ? await newPass(m, 'suspended') : await sharedPass(m)).id}/reactivate`, body: {} }),
    check: (res) => expect(json<Pass>(res)).toMatchObject({ status: 'active', statusReason: null, version: 3 }),
  },
  {
    // The route lets every signed-in user through; the service answers access.read within the scope, or the holder.
    method: 'GET',
    url: '/api/passes/:id/qr.png',
    access: wzbwReaders,
    notFound: ['leader'],
    build: async (m) => ({ url: `/api/passes/${(await sharedPass(m)).id}/qr.png` }),
    check: async (res, m) => {
      expect(res.headers['content-type']).toBe('image/png');
      const image = PNG.sync.read(res.rawPayload);
      const token = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? '';
      const stored = await m.t.deps.database.db.selectFrom('passes').select('token_hash').where('id', '=', (await sharedPass(m)).id).executeTakeFirstOrThrow();
      expect(tokenHash(token)).toBe(stored.token_hash);
    },
  },
  {
    method: 'GET',
    url: '/api/my/passes',
    access: 'authenticated',
    build: async () => ({ url: '/api/my/passes' }),
    check: async (res, m, who) => {
      const body = json<MyPasses>(res);
      // The demo's leader, clerk and manager are people (E0001–E0003) without passes; the others have no person record.
      const person = await m.t.deps.database.db.selectFrom('people').innerJoin('users', 'users.id', 'people.user_id').select('people.code').where('users.username', '=', who!).executeTakeFirst();
      expect(body).toEqual({ person: person ? { code: person.code, name: expect.any(String) } : null, rows: [] });
    },
  },
];
