import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/database';
import type { CreatedDevice, DeviceRow } from '../../src/server/modules/gate/gate.schemas';
import { accessFixtures, tokenHash, type AccessFixtures } from '../helpers/access-fixtures';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { fromMigratedPglite, runCli } from '../helpers/cli';
import { engines } from '../helpers/db';

describe.each(engines)('gate devices on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  let access: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    f = accessFixtures(t.deps);
    access = await t.login('access');
  });
  afterAll(() => t?.close());

  const errorOf = (res: LightMyRequestResponse) => [res.statusCode, (res.json() as { error: { code: string } }).error.code] as const;
  const gateInfo = (token: string) => t.app.inject({ method: 'GET', url: '/api/gate/device', headers: { authorization: `Bearer ${token}` } });
  const audits = (action: string, objectId: string) =>
    t.deps.database.db.selectFrom('audit_log').select(['action', 'actor_username', 'object_id', 'details']).where('action', '=', action).where('object_id', '=', objectId).execute();

  it('binds a device to a checkpoint (token shown once, stored hashed), lists it, revokes it; all audited without the token', async () => {
    const site = await f.site();
    const cp = await f.checkpoint({ siteId: site.id, nameZh: '东门' });
    const res = await access.post(`/api/checkpoints/${cp.code}/devices`, { name: ' 东门值班手机 ' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as CreatedDevice;
    expect(created).toMatchObject({ id: expect.any(String), name: '东门值班手机', checkpoint: cp.code });
    expect(created.token).toMatch(/^dev_[A-Za-z0-9_-]{32}$/);
    const row = await t.deps.database.db.selectFrom('devices').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(tokenHash(created.token));
    expect(row).toMatchObject({ checkpoint_id: cp.id, revoked_at: null, last_seen_at: null });
    expect(row.created_by).not.toBeNull();

    // The token works on the gate routes at once.
    const info = await gateInfo(created.token);
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json()).toMatchObject({ device: { id: created.id, name: '东门值班手机' }, checkpoint: { code: cp.code, nameZh: '东门' } });

    const list = await access.get(`/api/checkpoints/${cp.code}/devices`);
    expect(list.statusCode).toBe(200);
    const rows = (list.json() as { rows: DeviceRow[] }).rows;
    expect(rows).toEqual([{ id: created.id, name: '东门值班手机', checkpoint: cp.code, createdAt: '2026-03-02T01:00:00.000Z', lastSeenAt: '2026-03-02T01:00:00.000Z', revokedAt: null }]);
    expect(list.body).not.toContain(created.token);

    const revoked = await access.post(`/api/devices/${created.id}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: created.id, revokedAt: '2026-03-02T01:00:00.000Z' });
    expect(errorOf(await gateInfo(created.token))).toEqual([401, 'DEVICE_TOKEN_INVALID']);
    expect(errorOf(await access.post(`/api/devices/${created.id}/revoke`))).toEqual([409, 'DEVICE_ALREADY_REVOKED']);

    const made = await audits('device.create', created.id);
    expect(made).toEqual([{ action: 'device.create', actor_username: 'access', object_id: created.id, details: { checkpoint: cp.code, name: '东门值班手机' } }]);
    expect(await audits('device.revoke', created.id)).toHaveLength(1);
    const all = await t.deps.database.db.selectFrom('audit_log').select(['details', 'changes']).where('object_id', '=', created.id).execute();
    expect(JSON.stringify(all)).not.toContain(created.token);
    expect(t.logs.join('\n')).not.toContain(created.token);
  });

  it('needs access.write and the checkpoint’s site in scope; unknown checkpoints and devices are 404', async () => {
    const mine = await f.gate();
    const dj1 = await f.gate({ unitCode: 'DJ1' });
    expect(errorOf(await access.post(`/api/checkpoints/${dj1.checkpoint.code}/devices`, { name: 'x' }))).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect(errorOf(await access.get(`/api/checkpoints/${dj1.checkpoint.code}/devices`))).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect(errorOf(await access.post(`/api/devices/${dj1.device.id}/revoke`))).toEqual([404, 'DEVICE_NOT_FOUND']);
    expect(errorOf(await access.post('/api/checkpoints/NOPE/devices', { name: 'x' }))).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect(errorOf(await access.post('/api/devices/00000000-0000-4000-8000-000000000000/revoke'))).toEqual([404, 'DEVICE_NOT_FOUND']);
    expect(errorOf(await access.post(`/api/checkpoints/${mine.checkpoint.code}/devices`, { name: '  ' }))).toEqual([400, 'VALIDATION_FAILED']);
    // The DJ1 device still works: nothing was revoked.
    expect((await gateInfo(dj1.device.token)).statusCode).toBe(200);
    const guard = await t.login('guard');
    expect(errorOf(await guard.post(`/api/checkpoints/${mine.checkpoint.code}/devices`, { name: 'x' }))).toEqual([403, 'FORBIDDEN']);
    expect(errorOf(await guard.post(`/api/devices/${mine.device.id}/revoke`))).toEqual([403, 'FORBIDDEN']);
    // Reading needs access.read: the guard (own unit WZBW) may list, a clerk may not.
    expect(((await guard.get(`/api/checkpoints/${mine.checkpoint.code}/devices`)).json() as { rows: DeviceRow[] }).rows.map((d) => d.id)).toEqual([mine.device.id]);
    expect(errorOf(await (await t.login('clerk')).get(`/api/checkpoints/${mine.checkpoint.code}/devices`))).toEqual([403, 'FORBIDDEN']);
  });
});

describe('pacesetter device create | list | revoke', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ps-device-cli-'));
  const env = { DATA_DIR: path.join(dir, 'data') };
  fromMigratedPglite(env.DATA_DIR);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the token once (stored hashed), lists the device, revokes it; audited as the CLI', async () => {
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'data', 'pglite') });
    try {
      const site = await database.db.insertInto('sites').values({ code: 'CLI-SITE', name_zh: '命令行小区', kind: 'community' }).returning('id').executeTakeFirstOrThrow();
      await database.db.insertInto('checkpoints').values({ code: 'CLI-GATE', name_zh: '北门', site_id: site.id }).execute();
    } finally {
      await database.close();
    }

    const created = await runCli(['device', 'create', 'CLI-GATE', '--name', '北门终端'], env);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^dev_[A-Za-z0-9_-]{32}$/);
    expect(created.stderr).toContain('bound to checkpoint CLI-GATE');

    const listed = await runCli(['device', 'list', 'CLI-GATE'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('active');
    expect(listed.stdout).toContain('北门终端');
    expect(listed.stdout).not.toContain(token);
    const id = /^([0-9a-f-]{36})\s/.exec(listed.stdout)?.[1];
    expect(id).toBeDefined();

    expect((await runCli(['device', 'create', 'NOPE'], env)).code).toBe(1);
    expect((await runCli(['device', 'revoke', 'not-a-uuid'], env)).code).toBe(2);
    const revoked = await runCli(['device', 'revoke', id!], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked device ${id}`);
    const again = await runCli(['device', 'revoke', id!], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('revoked already');
    expect((await runCli(['device', 'list', 'CLI-GATE'], env)).stdout).toContain('revoked 20');

    const check = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'data', 'pglite') });
    try {
      const device = await check.db.selectFrom('devices').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
      expect(device.token_hash).toBe(tokenHash(token));
      expect(device.revoked_at).not.toBeNull();
      const rows = await check.db.selectFrom('audit_log').select(['action', 'actor_username', 'details']).where('object_id', '=', id!).orderBy('seq').execute();
      expect(rows.map((r) => r.action)).toEqual(['device.create', 'device.revoke']);
      expect(rows[0]).toMatchObject({ actor_username: null, details: { checkpoint: 'CLI-GATE', name: '北门终端' } });
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      await check.close();
    }
  });
});
