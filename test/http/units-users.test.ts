import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';
import type { Unit } from '../../src/server/modules/units/units.schemas';
import type { User } from '../../src/server/modules/users/users.schemas';
import type { AuditEntry } from '../../src/server/modules/audit/audit.schemas';

const startPassword = 'Start#2026x';
const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string; details?: unknown } }).error;

/** RFC 4180 reader: quoted cells, doubled quotes, commas and line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe.each(engines)('units, accounts, roles and audit over HTTP on %s', (engine) => {
  let t: TestApp;
  let admin: Client;
  let security: Client;
  let auditor: Client;
  const ids = new Map<string, string>();
  let n = 0;
  const code = (prefix: string) => `${prefix}${++n}`;

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await t.login('admin');
    security = await t.login('security');
    auditor = await t.login('auditor');
    for (const u of ((await admin.get('/api/units')).json() as { items: Unit[] }).items) ids.set(u.code, u.id);
  });
  afterAll(() => t?.close());

  const unitId = (c: string) => {
    const id = ids.get(c);
    if (!id) throw new Error(`no unit ${c}`);
    return id;
  };

  async function auditRows(objectId: string, action?: string) {
    let q = t.deps.database.db.selectFrom('audit_log').select(['seq', 'action', 'result', 'actor_username', 'changes', 'details']).where('object_id', '=', objectId);
    if (action) q = q.where('action', '=', action);
    return q.orderBy('seq').execute();
  }

  async function createUnit(body: Partial<Unit> & { parent?: string } = {}): Promise<Unit> {
    const { parent, ...rest } = body;
    const c = rest.code ?? code('UU');
    const res = await admin.post('/api/units', { code: c, nameZh: `单位${c}`, nameEn: `Unit ${c}`, kind: 'workshop', parentId: unitId(parent ?? 'SJY'), validFrom: '2024-01-01', ...rest });
    expect(res.statusCode, res.body).toBe(201);
    const u = res.json() as Unit;
    ids.set(u.code, u.id);
    return u;
  }

  async function createUser(roleCodes: string[] = ['viewer'], unit = 'SJY'): Promise<User> {
    const res = await admin.post('/api/users', { username: `uu${++n}.acct`, displayName: `Account ${n}`, unitId: unitId(unit), roleCodes, password: startPassword });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as User;
  }

  async function userById(id: string): Promise<User> {
    const list = (await security.get('/api/users')).json() as { items: User[] };
    return list.items.find((u) => u.id === id)!;
  }

  describe('units', () => {
    it('creates a unit: 201 with its fields, and an audit row with the new values', async () => {
      const res = await admin.post('/api/units', { code: 'DJ1-JX', nameZh: '检修车间', nameEn: 'Maintenance Workshop', kind: 'workshop', parentId: unitId('DJ1'), sortOrder: 35, peerClass: ' 400kA ' });
      expect(res.statusCode).toBe(201);
      const u = res.json() as Unit;
      expect(u).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        code: 'DJ1-JX',
        nameZh: '检修车间',
        nameEn: 'Maintenance Workshop',
        kind: 'workshop',
        parentId: unitId('DJ1'),
        peerClass: '400kA',
        // No validFrom given: today in Shanghai (the clock is 2026-03-02T01:00Z, 09:00 in Shanghai).
        validFrom: '2026-03-02',
        validTo: null,
        sortOrder: 35,
        active: true,
        version: 1,
      });
      ids.set(u.code, u.id);
      const listed = ((await admin.get('/api/units')).json() as { items: Unit[] }).items.find((x) => x.id === u.id);
      expect(listed).toEqual(u);

      const rows = await auditRows(u.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'unit.create', result: 'success', actor_username: 'admin' });
      expect(rows[0]!.changes).toEqual({
        code: { new: 'DJ1-JX' },
        name_zh: { new: '检修车间' },
        name_en: { new: 'Maintenance Workshop' },
        kind: { new: 'workshop' },
        parent_id: { new: unitId('DJ1') },
        peer_class: { new: '400kA' },
        valid_from: { new: '2026-03-02' },
      });
    });

    it('a new unit starts today in Shanghai, not today in UTC', async () => {
      const saved = t.clock.now();
      t.clock.set(new Date('2026-03-01T16:30:00Z')); // 00:30 on 2 March in Shanghai
      try {
        const res = await admin.post('/api/units', { code: code('TZ'), nameZh: '时区', nameEn: 'Time zone', kind: 'team', parentId: unitId('SJY') });
        expect(res.statusCode).toBe(201);
        expect(res.json().validFrom).toBe('2026-03-02');
      } finally {
        t.clock.set(saved);
      }
    });

    it('a duplicate code gives 409 UNIT_CODE_TAKEN and writes nothing', async () => {
      const before = await t.deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'unit.create').executeTakeFirstOrThrow();
      const res = await admin.post('/api/units', { code: 'DJ1', nameZh: '重复', nameEn: 'Duplicate', kind: 'plant', parentId: unitId('XCL') });
      expect(res.statusCode).toBe(409);
      expect(errorOf(res)).toMatchObject({ code: 'UNIT_CODE_TAKEN', message: expect.stringContaining('DJ1') });
      const after = await t.deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'unit.create').executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const units = ((await admin.get('/api/units')).json() as { items: Unit[] }).items;
      expect(units.filter((u) => u.code === 'DJ1')).toHaveLength(1);
    });

    it('renames with the current version (audited old → new); the old version then gives 409 STALE_VERSION', async () => {
      const u = await createUnit();
      const renamed = await admin.patch(`/api/units/${u.id}`, { version: 1, nameEn: 'Renamed Workshop', sortOrder: 7 });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({ nameEn: 'Renamed Workshop', nameZh: u.nameZh, sortOrder: 7, version: 2 });
      const [row] = await auditRows(u.id, 'unit.update');
      expect(row!.changes).toEqual({ name_en: { old: u.nameEn, new: 'Renamed Workshop' }, sort_order: { old: 0, new: 7 } });

      const stale = await admin.patch(`/api/units/${u.id}`, { version: 1, nameEn: 'Lost update' });
      expect(stale.statusCode).toBe(409);
      expect(errorOf(stale).code).toBe('STALE_VERSION');
      const now = ((await admin.get('/api/units')).json() as { items: Unit[] }).items.find((x) => x.id === u.id);
      expect(now).toMatchObject({ nameEn: 'Renamed Workshop', version: 2 });
      expect(await auditRows(u.id, 'unit.update')).toHaveLength(1);
    });

    it('optimistic locking: parallel PATCHes with the same version → exactly one 200, the others 409', async () => {
      const u = await createUnit();
      let version = u.version;
      for (let round = 0; round < 3; round++) {
        const names = ['A', 'B', 'C', 'D'].map((x) => `Parallel ${round}${x}`);
        const results = await Promise.all(names.map((nameEn) => admin.patch(`/api/units/${u.id}`, { version, nameEn })));
        const ok = results.filter((r) => r.statusCode === 200);
        const stale = results.filter((r) => r.statusCode === 409);
        expect(ok, results.map((r) => `${r.statusCode} ${r.body}`).join('\n')).toHaveLength(1);
        expect(stale).toHaveLength(names.length - 1);
        for (const r of stale) expect(errorOf(r).code).toBe('STALE_VERSION');
        const winner = ok[0]!.json() as Unit;
        expect(winner.version).toBe(version + 1);
        const stored = ((await admin.get('/api/units')).json() as { items: Unit[] }).items.find((x) => x.id === u.id)!;
        expect(stored).toMatchObject({ nameEn: winner.nameEn, version: version + 1 });
        version = winner.version;
      }
      expect(await auditRows(u.id, 'unit.update')).toHaveLength(3);
    });

    it('moving a unit under itself or its own descendant gives 422 UNIT_CYCLE; a valid move keeps the subtree', async () => {
      const a = await createUnit({ kind: 'division' });
      const b = await createUnit({ parent: a.code });
      const c = await createUnit({ parent: b.code, kind: 'team' });
      for (const target of [c.id, b.id, a.id]) {
        const res = await admin.post(`/api/units/${a.id}/move`, { version: a.version, parentId: target });
        expect(res.statusCode).toBe(422);
        expect(errorOf(res).code).toBe('UNIT_CYCLE');
      }
      const moved = await admin.post(`/api/units/${a.id}/move`, { version: a.version, parentId: unitId('XCL') });
      expect(moved.statusCode).toBe(200);
      expect(moved.json()).toMatchObject({ id: a.id, parentId: unitId('XCL'), version: a.version + 1 });
      const units = ((await admin.get('/api/units')).json() as { items: Unit[] }).items;
      expect(units.find((x) => x.id === b.id)).toMatchObject({ parentId: a.id, version: b.version });
      expect(units.find((x) => x.id === c.id)).toMatchObject({ parentId: b.id, version: c.version });
      const [row] = await auditRows(a.id, 'unit.move');
      expect(row!.changes).toEqual({ parent_id: { old: unitId('SJY'), new: unitId('XCL') } });
      // The moved subtree is now visible to the manager under XCL, and c is a descendant of XCL.
      const byId = new Map(units.map((x) => [x.id, x]));
      const chain: string[] = [];
      for (let cur: Unit | undefined = byId.get(c.id); cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) chain.push(cur.code);
      expect(chain).toEqual([c.code, b.code, a.code, 'XCL', 'GRP']);
    });

    it('a unit with active children cannot be deactivated (422); a leaf can, and can be activated again', async () => {
      const parent = await createUnit();
      const leaf = await createUnit({ parent: parent.code, kind: 'team' });
      const refused = await admin.post(`/api/units/${parent.id}/deactivate`, { version: parent.version });
      expect(refused.statusCode).toBe(422);
      expect(errorOf(refused).code).toBe('UNIT_HAS_ACTIVE_CHILDREN');

      const tooEarly = await admin.post(`/api/units/${leaf.id}/deactivate`, { version: leaf.version, validTo: '2023-12-31' });
      expect(tooEarly.statusCode).toBe(422);
      expect(errorOf(tooEarly).code).toBe('UNIT_VALIDITY');

      const off = await admin.post(`/api/units/${leaf.id}/deactivate`, { version: leaf.version });
      expect(off.statusCode).toBe(200);
      expect(off.json()).toMatchObject({ active: false, validTo: '2026-03-02', version: leaf.version + 1 });
      const again = await admin.post(`/api/units/${leaf.id}/deactivate`, { version: leaf.version + 1 });
      expect(again.statusCode).toBe(422);
      expect(errorOf(again).code).toBe('UNIT_INACTIVE');
      // A deactivated unit takes no new children.
      const child = await admin.post('/api/units', { code: code('UU'), nameZh: 'x', nameEn: 'x', kind: 'team', parentId: leaf.id });
      expect(child.statusCode).toBe(422);
      expect(errorOf(child).code).toBe('UNIT_INACTIVE');

      // With its only child inactive, the parent can go; the child cannot come back before it.
      const parentOff = await admin.post(`/api/units/${parent.id}/deactivate`, { version: parent.version });
      expect(parentOff.statusCode).toBe(200);
      const orphan = await admin.post(`/api/units/${leaf.id}/activate`, { version: leaf.version + 1 });
      expect(orphan.statusCode).toBe(422);
      expect(errorOf(orphan).code).toBe('UNIT_INACTIVE');
      expect((await admin.post(`/api/units/${parent.id}/activate`, { version: parent.version + 1 })).statusCode).toBe(200);

      const on = await admin.post(`/api/units/${leaf.id}/activate`, { version: leaf.version + 1 });
      expect(on.statusCode).toBe(200);
      expect(on.json()).toMatchObject({ active: true, validTo: null, version: leaf.version + 2 });
      expect((await auditRows(leaf.id)).map((r) => r.action)).toEqual(['unit.create', 'unit.deactivate', 'unit.activate']);
      const [deact] = await auditRows(leaf.id, 'unit.deactivate');
      expect(deact!.changes).toEqual({ active: { old: true, new: false }, valid_to: { old: null, new: '2026-03-02' } });
    });
  });

  describe('accounts', () => {
    it('a weak password gives 422 PASSWORD_POLICY with the violations, and creates nothing', async () => {
      const cases: [string, string[]][] = [
        ['abc', ['too_short', 'too_few_classes']],
        ['alllowercase', ['too_few_classes']],
        ['weak.user#2026X', ['contains_username']],
        ['Password1!', ['common']],
      ];
      for (const [password, violations] of cases) {
        const res = await admin.post('/api/users', { username: 'weak.user', displayName: 'Weak', unitId: unitId('SJY'), roleCodes: [], password });
        expect(res.statusCode, password).toBe(422);
        expect(errorOf(res)).toMatchObject({ code: 'PASSWORD_POLICY', details: { violations } });
      }
      expect(JSON.stringify(await t.deps.database.db.selectFrom('audit_log').selectAll().execute())).not.toContain('alllowercase');
      const ok = await admin.post('/api/users', { username: 'weak.user', displayName: 'Weak', unitId: unitId('SJY'), roleCodes: [], password: startPassword });
      expect(ok.statusCode).toBe(201);
    });

    it('a taken user name gives 409 USERNAME_TAKEN; user names are lower-case, so "Admin" is refused by validation', async () => {
      const taken = await admin.post('/api/users', { username: 'admin', displayName: 'Another admin', unitId: null, roleCodes: [], password: startPassword });
      expect(taken.statusCode).toBe(409);
      expect(errorOf(taken).code).toBe('USERNAME_TAKEN');
      // Contract note: the brief expected 'Admin' → 409 (case-insensitive clash). The API only
      // accepts lower-case user names (/^[a-z][a-z0-9._-]{1,31}$/), so it never reaches the
      // uniqueness check; the database's unique index on lower(username) backs it up anyway.
      const upper = await admin.post('/api/users', { username: 'Admin', displayName: 'Another admin', unitId: null, roleCodes: [], password: startPassword });
      expect(upper.statusCode).toBe(400);
      expect(errorOf(upper).code).toBe('VALIDATION_FAILED');
      const users = ((await admin.get('/api/users')).json() as { items: User[] }).items;
      expect(users.filter((u) => u.username.toLowerCase() === 'admin')).toHaveLength(1);
    });

    it('the system administrator cannot grant administrator roles: 422 ROLE_NEEDS_SECURITY_ADMIN', async () => {
      for (const role of ['audit-admin', 'security-admin', 'system-admin']) {
        const res = await admin.post('/api/users', { username: `grant.${role.split('-')[0]}`, displayName: 'x', unitId: unitId('SJ'), roleCodes: [role], password: startPassword });
        expect(res.statusCode, role).toBe(422);
        expect(errorOf(res)).toMatchObject({ code: 'ROLE_NEEDS_SECURITY_ADMIN', details: { roles: [role] } });
      }
      const users = ((await admin.get('/api/users')).json() as { items: User[] }).items;
      expect(users.filter((u) => u.username.startsWith('grant.'))).toEqual([]);
    });

    it('the security administrator cannot combine administrator roles: 422 SEPARATION_OF_DUTIES', async () => {
      const u = await createUser();
      const res = await security.put(`/api/users/${u.id}/roles`, { version: u.version, roleCodes: ['system-admin', 'audit-admin'] });
      expect(res.statusCode).toBe(422);
      expect(errorOf(res)).toMatchObject({ code: 'SEPARATION_OF_DUTIES', details: { roles: ['system-admin', 'audit-admin'] } });
      const unknown = await security.put(`/api/users/${u.id}/roles`, { version: u.version, roleCodes: ['no-such-role'] });
      expect(unknown.statusCode).toBe(422);
      expect(errorOf(unknown)).toMatchObject({ code: 'ROLE_NOT_FOUND', details: { roles: ['no-such-role'] } });
      expect(await userById(u.id)).toMatchObject({ roleCodes: ['viewer'], version: u.version });

      const ok = await security.put(`/api/users/${u.id}/roles`, { version: u.version, roleCodes: ['audit-admin'] });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ roleCodes: ['audit-admin'], version: u.version + 1 });
      const [row] = await auditRows(u.id, 'user.roles');
      expect(row).toMatchObject({ actor_username: 'security', changes: { roles: { old: ['viewer'], new: ['audit-admin'] } } });
    });

    it('unlocks an account locked by failed sign-ins', async () => {
      const u = await createUser();
      for (let i = 1; i <= 5; i++) await t.anonymous().post('/api/auth/login', { username: u.username, password: `Wrong#${i}abc` });
      const locked = await t.anonymous().post('/api/auth/login', { username: u.username, password: startPassword });
      expect(locked.statusCode).toBe(423);
      const before = await userById(u.id);
      expect(before.locked).toBe(true);
      expect(before.lockedUntil).toBe('2026-03-02T01:15:00.000Z');

      const res = await security.post(`/api/users/${u.id}/unlock`, { version: before.version });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: u.id, locked: false, lockedUntil: null, version: before.version + 1 });
      expect((await t.anonymous().post('/api/auth/login', { username: u.username, password: startPassword })).statusCode).toBe(200);
      const [row] = await auditRows(u.id, 'user.unlock');
      expect(row).toMatchObject({ actor_username: 'security', changes: { lockedUntil: { old: '2026-03-02T01:15:00.000Z', new: null } } });
    });

    it('reset-password sets must-change, ends the sessions, and never writes the password to the audit log', async () => {
      const u = await createUser();
      const s1 = await t.login(u.username, startPassword);
      const s2 = await t.login(u.username, startPassword);
      expect((await s1.put('/api/auth/password', { currentPassword: startPassword, newPassword: 'Mine#2026abc' })).statusCode).toBe(204);
      expect((await s1.get('/api/auth/me')).json().user.mustChangePassword).toBe(false);
      expect((await s2.get('/api/auth/me')).statusCode).toBe(401); // the change ended s2
      const s3 = await t.login(u.username, 'Mine#2026abc');

      const current = await userById(u.id);
      expect(current.mustChangePassword).toBe(false);
      const reset = await security.post(`/api/users/${u.id}/reset-password`, { version: current.version, password: 'Reset#2026xyz' });
      expect(reset.statusCode).toBe(200);
      expect(reset.json()).toMatchObject({ mustChangePassword: true, version: current.version + 1 });
      for (const s of [s1, s3]) expect((await s.get('/api/auth/me')).statusCode).toBe(401);
      expect((await t.anonymous().post('/api/auth/login', { username: u.username, password: 'Mine#2026abc' })).statusCode).toBe(401);
      const fresh = await t.login(u.username, 'Reset#2026xyz');
      expect((await fresh.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
      const blocked = await fresh.get('/api/units');
      expect(blocked.statusCode).toBe(403);
      expect(errorOf(blocked).code).toBe('PASSWORD_CHANGE_REQUIRED');

      const [row] = await auditRows(u.id, 'user.password_reset');
      expect(row).toMatchObject({ actor_username: 'security', details: { sessionsEnded: 2 } });
      const everything = JSON.stringify(await t.deps.database.db.selectFrom('audit_log').selectAll().execute());
      expect(everything).not.toContain('Reset#2026xyz');
      expect(everything).not.toContain('Mine#2026abc');

      const stale = await security.post(`/api/users/${u.id}/reset-password`, { version: current.version, password: 'Again#2026xyz' });
      expect(stale.statusCode).toBe(409);
      expect(errorOf(stale).code).toBe('STALE_VERSION');
    });

    // SERVER BUG (contract, docs/decisions/0002): "Passwords, tokens and personal names never enter
    // `changes`; a changed name is recorded as "(changed)"". people.service.ts does this, but
    // users.service.ts writes the account's display name (a person's name, e.g. '王力' in
    // auth.test.ts) into user.create `changes.display_name.new` and user.update
    // `changes.display_name.old/new`. The audit log is append-only, so a name can never be erased.
    it('[SERVER BUG] an account holder’s personal name never enters the audit changes', async () => {
      const created = await admin.post('/api/users', { username: 'li.lei', displayName: '李雷', unitId: unitId('DJ1'), roleCodes: ['unit-clerk'], password: startPassword });
      expect(created.statusCode).toBe(201);
      const u = created.json() as User;
      const renamed = await admin.patch(`/api/users/${u.id}`, { version: u.version, displayName: '韩梅梅' });
      expect(renamed.statusCode).toBe(200);
      const rows = await auditRows(u.id);
      expect(rows.map((r) => r.action)).toEqual(['user.create', 'user.update']);
      const text = JSON.stringify(rows);
      expect(text).not.toContain('李雷');
      expect(text).not.toContain('韩梅梅');
    });

    it('the security administrator cannot reset its own password or disable itself', async () => {
      const me = ((await security.get('/api/auth/me')).json() as { user: { id: string } }).user;
      const self = await userById(me.id);
      const reset = await security.post(`/api/users/${me.id}/reset-password`, { version: self.version, password: 'Reset#2026xyz' });
      const disable = await security.post(`/api/users/${me.id}/disable`, { version: self.version });
      for (const res of [reset, disable]) {
        expect(res.statusCode).toBe(422);
        expect(errorOf(res).code).toBe('CANNOT_CHANGE_SELF');
      }
      expect((await security.get('/api/auth/me')).statusCode).toBe(200);
    });
  });

  describe('roles', () => {
    it('built-in roles cannot be edited: 422 ROLE_BUILT_IN; an unknown role is 404', async () => {
      const roles = ((await security.get('/api/roles')).json() as { items: { code: string; version: number; builtIn: boolean; permissions: string[] }[] }).items;
      const viewer = roles.find((r) => r.code === 'viewer')!;
      expect(viewer.builtIn).toBe(true);
      const res = await security.patch('/api/roles/viewer', { version: viewer.version, permissions: ['unit.read', 'user.read'] });
      expect(res.statusCode).toBe(422);
      expect(errorOf(res).code).toBe('ROLE_BUILT_IN');
      const after = ((await security.get('/api/roles')).json() as { items: typeof roles }).items.find((r) => r.code === 'viewer')!;
      expect(after).toEqual(viewer);
      const unknown = await security.patch('/api/roles/no-such-role', { version: 1, nameEn: 'x' });
      expect(unknown.statusCode).toBe(404);
      expect(errorOf(unknown).code).toBe('ROLE_NOT_FOUND');
    });

    it('creates and edits a custom role, whose permissions reach the accounts that hold it', async () => {
      const created = await security.post('/api/roles', { code: 'shift-lead', nameZh: '值班长', nameEn: 'Shift lead', scope: 'subtree', permissions: ['unit.read', 'person.read', 'unit.read'] });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toEqual({ code: 'shift-lead', nameZh: '值班长', nameEn: 'Shift lead', scope: 'subtree', permissions: ['person.read', 'unit.read'], builtIn: false, version: 1 });
      const again = await security.post('/api/roles', { code: 'shift-lead', nameZh: 'x', nameEn: 'x', scope: 'own', permissions: [] });
      expect(again.statusCode).toBe(409);
      expect(errorOf(again).code).toBe('ROLE_CODE_TAKEN');
      const builtInCode = await security.post('/api/roles', { code: 'viewer', nameZh: 'x', nameEn: 'x', scope: 'own', permissions: [] });
      expect(builtInCode.statusCode).toBe(409);
      const unknownPermission = await security.post('/api/roles', { code: 'bad-perm', nameZh: 'x', nameEn: 'x', scope: 'own', permissions: ['unit.delete'] });
      expect(unknownPermission.statusCode).toBe(422);
      expect(errorOf(unknownPermission)).toMatchObject({ code: 'PERMISSION_NOT_FOUND', details: { permissions: ['unit.delete'] } });

      const edited = await security.patch('/api/roles/shift-lead', { version: 1, nameEn: 'Shift leader', scope: 'own', permissions: ['unit.read', 'user.read'] });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ nameEn: 'Shift leader', scope: 'own', permissions: ['unit.read', 'user.read'], version: 2 });
      const stale = await security.patch('/api/roles/shift-lead', { version: 1, nameEn: 'Lost' });
      expect(stale.statusCode).toBe(409);
      expect(errorOf(stale).code).toBe('STALE_VERSION');
      const [row] = await auditRows('shift-lead', 'role.update');
      expect(row!.changes).toEqual({ name_en: { old: 'Shift lead', new: 'Shift leader' }, scope: { old: 'subtree', new: 'own' }, permissions: { old: ['person.read', 'unit.read'], new: ['unit.read', 'user.read'] } });

      const holder = await createUser(['shift-lead'], 'DJ1');
      const s = await t.login(holder.username, startPassword);
      expect((await s.put('/api/auth/password', { currentPassword: startPassword, newPassword: 'Shift#2026abc' })).statusCode).toBe(204);
      const me = (await s.get('/api/auth/me')).json() as { user: { roles: unknown[]; permissions: string[] } };
      expect(me.user).toMatchObject({ roles: [{ code: 'shift-lead', scope: 'own' }], permissions: ['unit.read', 'user.read'] });
      expect(((await s.get('/api/units')).json() as { items: Unit[] }).items.map((u) => u.code)).toEqual(['DJ1']);
      expect((await s.get('/api/people')).statusCode).toBe(403);
    });

    it('a custom role cannot carry audit permissions: 422 SEPARATION_OF_DUTIES', async () => {
      for (const permissions of [['audit.read'], ['unit.read', 'audit.export']]) {
        const res = await security.post('/api/roles', { code: 'sneaky-auditor', nameZh: 'x', nameEn: 'x', scope: 'all', permissions });
        expect(res.statusCode).toBe(422);
        expect(errorOf(res).code).toBe('SEPARATION_OF_DUTIES');
      }
      await security.post('/api/roles', { code: 'plain-role', nameZh: '普通', nameEn: 'Plain', scope: 'own', permissions: ['unit.read'] });
      const patch = await security.patch('/api/roles/plain-role', { version: 1, permissions: ['unit.read', 'audit.read'] });
      expect(patch.statusCode).toBe(422);
      expect(errorOf(patch).code).toBe('SEPARATION_OF_DUTIES');
      const roles = ((await security.get('/api/roles')).json() as { items: { code: string; permissions: string[]; version: number }[] }).items;
      expect(roles.find((r) => r.code === 'sneaky-auditor')).toBeUndefined();
      expect(roles.find((r) => r.code === 'plain-role')).toMatchObject({ permissions: ['unit.read'], version: 1 });
    });
  });

  describe('audit', () => {
    it('the auditor finds a unit creation by its object id', async () => {
      const u = await createUnit({ nameEn: 'Audited Workshop' });
      const res = await auditor.get(`/api/audit?objectId=${u.id}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: AuditEntry[]; total: number };
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({ action: 'unit.create', objectType: 'unit', objectId: u.id, actorUsername: 'admin', result: 'success' });
      expect(page.items[0]!.changes).toMatchObject({ code: { new: u.code }, name_en: { new: 'Audited Workshop' } });
      const byType = (await auditor.get(`/api/audit?objectType=unit&action=unit.create&actor=admin&pageSize=500`)).json() as { items: AuditEntry[] };
      expect(byType.items.map((e) => e.objectId)).toContain(u.id);
      const seqs = byType.items.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a)); // newest first
    });

    it('POST /api/audit/verify checks the whole chain and records that it did', async () => {
      const res = await auditor.post('/api/audit/verify');
      expect(res.statusCode).toBe(200);
      const body = res.json() as { ok: boolean; checked: number; firstBroken: unknown };
      expect(body.ok).toBe(true);
      expect(body.firstBroken).toBeNull();
      const count = await t.deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(body.checked).toBe(Number(count.n) - 1); // everything before its own row
      const last = (await auditor.get('/api/audit?pageSize=1')).json() as { items: AuditEntry[] };
      expect(last.items[0]).toMatchObject({ action: 'audit.verify', actorUsername: 'auditor', details: { checked: body.checked, firstBroken: null } });
    });

    it('GET /api/audit/export is a CSV with a BOM and a header, and no cell can start a formula', async () => {
      const formula = '=HYPERLINK("x")';
      const u = await createUnit({ nameZh: formula, nameEn: formula });
      // A client address that starts a formula (as X-Forwarded-For could, behind a proxy).
      await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '=1+2', payload: { username: 'nobody', password: 'x' } });
      await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '@SUM(A1)', payload: { username: 'nobody', password: 'x' } });

      const res = await auditor.get('/api/audit/export');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="audit-20260302010000.csv"');
      expect(res.body.charCodeAt(0)).toBe(0xfeff);
      const rows = parseCsv(res.body.slice(1));
      expect(rows[0]).toEqual(['seq', 'at', 'actor', 'role', 'ip', 'action', 'object_type', 'object_id', 'result', 'changes', 'details', 'hash']);
      const data = rows.slice(1);
      const count = await t.deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(data).toHaveLength(Number(count.n));
      for (const row of data) {
        expect(row).toHaveLength(12);
        for (const cell of row) expect(cell, `cell ${JSON.stringify(cell)} of row ${row[0]}`).not.toMatch(/^[=+\-@\t\r]/);
      }
      // The export itself is the newest row; the unit's creation is there with its name intact.
      expect(data[0]![5]).toBe('audit.export');
      const created = data.find((r) => r[5] === 'unit.create' && r[7] === u.id)!;
      expect(JSON.parse(created[9]!)).toMatchObject({ name_zh: { new: formula }, name_en: { new: formula } });
      // Cells that would start a formula are neutralised with a leading apostrophe.
      const ips = data.filter((r) => r[5] === 'auth.login' && r[8] === 'failure').map((r) => r[4]);
      expect(ips).toEqual(expect.arrayContaining(["'=1+2", "'@SUM(A1)"]));
    });

    it('only the audit administrator reads the log: the system and security administrators get 403', async () => {
      for (const c of [admin, security, await t.login('manager')]) {
        for (const [method, url] of [['GET', '/api/audit'], ['GET', '/api/audit/export'], ['POST', '/api/audit/verify']] as const) {
          const res = await c.request(method, url, method === 'POST' ? {} : undefined);
          expect(res.statusCode, `${method} ${url}`).toBe(403);
          expect(errorOf(res).code).toBe('FORBIDDEN');
        }
      }
    });
  });
});
