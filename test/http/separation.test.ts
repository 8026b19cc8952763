import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

describe.each(engines)('三员分立 and data scope holes on %s', (engine) => {
  let t: TestApp;
  let security: Client;
  let users: { id: string; username: string; version: number }[];
  beforeAll(async () => {
    t = await createTestApp(engine);
    security = await t.login('security');
    users = (await security.get('/api/users')).json().items;
  });
  afterAll(() => t?.close());

  const user = (name: string) => users.find((u) => u.username === name)!;

  it('a custom role cannot mix system and security duties', async () => {
    const res = await security.post('/api/roles', { code: 'shadow', nameZh: '影子', nameEn: 'Shadow', scope: 'all', permissions: ['unit.write', 'user.security'] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'SEPARATION_OF_DUTIES', details: { duties: ['security', 'system'] } });
  });

  it('roles that each hold one duty cannot be combined on one account', async () => {
    const created = await security.post('/api/roles', { code: 'org-editor', nameZh: '组织维护', nameEn: 'Organisation editor', scope: 'all', permissions: ['unit.read', 'unit.write'] });
    expect(created.statusCode).toBe(201);
    const admin = user('admin');
    const ok = await security.put(`/api/users/${admin.id}/roles`, { version: admin.version, roleCodes: ['system-admin', 'org-editor'] });
    expect(ok.statusCode).toBe(200);
    const clash = await security.put(`/api/users/${admin.id}/roles`, { version: ok.json().version, roleCodes: ['security-admin', 'org-editor'] });
    expect(clash.statusCode).toBe(422);
    expect(clash.json().error.code).toBe('SEPARATION_OF_DUTIES');
    // Nor can the role itself later grow a second duty while a security admin holds it.
    const viewer = user('viewer');
    const v = await security.put(`/api/users/${viewer.id}/roles`, { version: viewer.version, roleCodes: ['org-editor'] });
    expect(v.statusCode).toBe(200);
    const role = (await security.get('/api/roles')).json().items.find((r: { code: string }) => r.code === 'org-editor');
    const grow = await security.patch('/api/roles/org-editor', { version: role.version, permissions: ['unit.write', 'role.write'] });
    expect(grow.statusCode).toBe(422);
  });

  it('the security administrator cannot change its own roles', async () => {
    const me = user('security');
    const res = await security.put(`/api/users/${me.id}/roles`, { version: me.version, roleCodes: ['security-admin', 'group-manager'] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('CANNOT_CHANGE_SELF');
  });

  it('a unit leader cannot move people out of its scope nor link them to accounts outside it', async () => {
    const leader = await t.login('leader');
    const units = (await leader.get('/api/units')).json().items as { id: string; code: string }[];
    const dj1 = units.find((u) => u.code === 'DJ1')!;
    const p = await leader.post('/api/people', { code: 'P-DJ1-1', name: '张三', unitId: dj1.id });
    expect(p.statusCode).toBe(201);
    const orphan = await leader.post('/api/people', { code: 'P-X', name: '李四', unitId: null });
    expect(orphan.statusCode).toBe(422);
    expect(orphan.json().error.code).toBe('UNIT_REQUIRED');
    const out = await leader.patch(`/api/people/${p.json().id}`, { version: 1, unitId: null });
    expect(out.json().error.code).toBe('UNIT_REQUIRED');
    const link = await leader.patch(`/api/people/${p.json().id}`, { version: 1, userId: user('admin').id });
    expect(link.statusCode).toBe(404);
    expect(link.json().error.code).toBe('USER_NOT_FOUND');
    const ghost = await leader.patch(`/api/people/${p.json().id}`, { version: 1, userId: '00000000-0000-4000-8000-000000000000' });
    expect(ghost.statusCode).toBe(404);
    // An account of the leader's own unit that no person holds yet (the demo's leader and clerk
    // are the demo people E0001 and E0002).
    const admin = await t.login('admin');
    const account = await admin.post('/api/users', { username: 'dj1.worker', displayName: '电解一厂职工', unitId: dj1.id, roleCodes: ['viewer'], password: 'Start#2026x' });
    expect(account.statusCode, account.body).toBe(201);
    const taken = await leader.patch(`/api/people/${p.json().id}`, { version: 1, userId: user('clerk').id });
    expect(taken.statusCode).toBe(409);
    const own = await leader.patch(`/api/people/${p.json().id}`, { version: 1, userId: account.json().id, name: '张三丰' });
    expect(own.statusCode, own.body).toBe(200);
    const rows = await t.deps.database.db.selectFrom('audit_log').select('changes').where('object_id', '=', p.json().id).execute();
    expect(JSON.stringify(rows)).not.toContain('张三');
  });
});
