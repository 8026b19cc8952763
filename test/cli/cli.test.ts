import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/database';
import { runCli, startServer } from '../helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'ps-cli-'));
const env = { DATA_DIR: path.join(dir, 'data') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each command is a process of its own (tsx, PGlite, argon2): generous timeouts for a busy machine.
describe('pacesetter command line', { timeout: 180_000 }, () => {
  it('--help everywhere, exit 0; unknown commands and bad options exit 2', async () => {
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'seed', 'user', 'token', 'audit', 'backup', 'restore', 'jobs']) expect(help.stdout).toContain(cmd);
    const sub = await runCli(['user', 'add', '--help'], env);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--role');
    expect((await runCli(['frobnicate'], env)).code).toBe(2);
    expect((await runCli(['serve', '--port', 'abc'], env)).code).toBe(2);
    expect((await runCli(['seed', 'everything'], env)).code).toBe(2);
  });

  it('invalid configuration is refused at start with a clear message and exit 2', async () => {
    const bad = await runCli(['migrate'], { ...env, PORT: 'abc', DATABASE_URL: 'mysql://x' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PORT');
    expect(bad.stderr).toContain('DATABASE_URL');
    const prod = await runCli(['migrate'], { DATA_DIR: env.DATA_DIR, NODE_ENV: 'production', PACESETTER_KEY: '' });
    expect(prod.code).toBe(2);
    expect(prod.stderr).toContain('PACESETTER_KEY is required');
  });

  it('migrate, seed demo (idempotent), user add with the password policy, token create', async () => {
    const m = await runCli(['migrate'], env);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/Applied \d+ migration|up to date/);
    const s1 = await runCli(['seed', 'demo'], env);
    expect(s1.stdout).toContain('36 new unit(s), 11 new account(s), 67 new indicator(s)');
    const s2 = await runCli(['seed', 'demo'], env);
    expect(s2.stdout).toContain('0 new unit(s), 0 new account(s), 0 new indicator(s)');

    const weak = await runCli(['user', 'add', 'ops', '--role', 'system-admin', '--unit', 'GRP'], env, 'password\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password policy');
    const noUnit = await runCli(['user', 'add', 'ops', '--role', 'system-admin', '--unit', 'NOPE'], env, 'Strong#Pass2026\n');
    expect(noUnit.code).toBe(1);
    expect(noUnit.stderr).toContain('No unit with code NOPE');
    const ok = await runCli(['user', 'add', 'ops', '--role', 'group-manager', '--unit', 'GRP'], env, 'Strong#Pass2026\n');
    expect(ok.code, ok.stderr).toBe(0);
    const dup = await runCli(['user', 'add', 'OPS', '--role', 'viewer'], env, 'Strong#Pass2026\n');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already used');

    const token = await runCli(['token', 'create', 'ops', '--name', 'erp', '--expires-days', '30'], env);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout.trim()).toMatch(/^pst_[\w-]{40,}$/);
    process.env.PS_TEST_TOKEN = token.stdout.trim();
  });

  it('serve answers with the token; a second process on the same data directory refuses and says why', async () => {
    const server = startServer(env);
    try {
      const url = await server.url;
      const health = await (await fetch(`${url}/api/health`)).json();
      expect(health).toMatchObject({ status: 'ok', database: 'pglite' });
      const units = await fetch(`${url}/api/units`, { headers: { authorization: `Bearer ${process.env.PS_TEST_TOKEN}` } });
      expect(units.status).toBe(200);
      expect(((await units.json()) as { items: unknown[] }).items).toHaveLength(36);
      const bad = await fetch(`${url}/api/units`, { headers: { authorization: 'Bearer pst_nope' } });
      expect(bad.status).toBe(401);
      // A token acts without CSRF (no cookie), with its user's permissions: group-manager cannot create units.
      const create = await fetch(`${url}/api/units`, {
        method: 'POST',
        headers: { authorization: `Bearer ${process.env.PS_TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'Z9', nameZh: '测', nameEn: 'T', kind: 'team', parentId: null }),
      });
      expect(create.status).toBe(403);
      const second = await runCli(['migrate'], env);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/in use by another Pacesetter process \(pid \d+/);
      expect(server.output()).toContain('for a single server only');
      expect(server.output()).toContain('Demo mode. Sign in with password Demo#2020');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('audit verify: exit 0 with the count, exit 1 naming the first broken entry', async () => {
    const ok = await runCli(['audit', 'verify'], env);
    expect(ok.code, ok.stderr).toBe(0);
    const checked = Number(/(\d+) entries checked/.exec(ok.stdout)?.[1]);
    expect(checked).toBeGreaterThan(40);
    const tamper = async (objectId: string | null) => {
      const database = await openDatabase({ kind: 'pglite', dataDir: path.join(env.DATA_DIR, 'pglite') });
      try {
        const [row] = await database.raw<{ object_id: string | null }>('SELECT object_id FROM audit_log WHERE seq = 7');
        const value = objectId === null ? 'NULL' : `'${objectId.replace(/'/g, "''")}'`;
        await database.execScript(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; UPDATE audit_log SET object_id = ${value} WHERE seq = 7; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
        return row!.object_id;
      } finally {
        await database.close();
      }
    };
    const original = await tamper('forged');
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('broken at entry 7');
    // A backup of the tampered database restores, but the restore says the chain is broken.
    const file = path.join(dir, 'tampered.backup');
    expect((await runCli(['backup', file], env)).code).toBe(0);
    const restored = await runCli(['restore', file], { DATA_DIR: path.join(dir, 'restored-tampered') });
    expect([restored.code, restored.stderr]).toEqual([1, expect.stringContaining('the audit chain is broken at entry 7')]);
    // Put the row back: the chain verifies again (the later tests back up this database).
    await tamper(original);
    expect((await runCli(['audit', 'verify'], env)).code).toBe(0);
  });

  it('jobs list and jobs run --at; bad job names and times are usage errors', async () => {
    const list = await runCli(['jobs', 'list'], env);
    expect(list.stdout).toContain('sessions-expire');
    // A reader that stops early (`| head -1`) closes the pipe: the command ends quietly.
    const early = await runCli(['jobs', 'list'], env, undefined, { closeStdout: true });
    expect([early.code, early.stderr]).toEqual([0, '']);
    const run = await runCli(['jobs', 'run', 'sessions-expire', '--at', '2030-01-01T00:00:00Z'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('sessions-expire done at 2030-01-01T00:00:00.000Z');
    const again = await runCli(['jobs', 'run', 'sessions-expire', '--at', '2030-01-01T00:00:00Z'], env);
    expect(again.stdout).toContain('{"ended":0}');
    expect((await runCli(['jobs', 'run', 'nope'], env)).code).toBe(2);
    expect((await runCli(['jobs', 'run', 'sessions-expire', '--at', 'tomorrow'], env)).code).toBe(2);
    // The purge jobs count what they would delete; a job that deletes nothing has no dry run.
    const dry = await runCli(['jobs', 'run', 'access-purge', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/access-purge dry run \(nothing deleted\) at .*"dryRun":true/);
    const healthDry = await runCli(['jobs', 'run', 'health-purge', '--dry-run'], env);
    expect(healthDry.stdout).toContain('"dryRun":true,"due":0');
    const none = await runCli(['jobs', 'run', 'sessions-expire', '--dry-run'], env);
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('has no --dry-run')]);
  });

  it('backup and restore through the CLI; restore refuses a non-empty database without --force', async () => {
    const file = path.join(dir, 'cli.backup');
    const b = await runCli(['backup', file], env);
    expect(b.code, b.stderr).toBe(0);
    const target = { DATA_DIR: path.join(dir, 'restored') };
    const r = await runCli(['restore', file], target);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Restored \d+ tables/);
    expect(r.stdout).toMatch(/Audit chain intact: [1-9]\d* entries checked/);
    const again = await runCli(['restore', file], target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not empty');
    expect((await runCli(['restore', file, '--force'], target)).code).toBe(0);
  });
});
