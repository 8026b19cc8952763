import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantAppScript } from '../../src/cli/main';
import { openDatabase, type Database } from '../../src/server/db/database';
import { LockedError } from '../../src/server/db/lock';
import { listMigrations, migrate } from '../../src/server/db/migrate';
import { userTables } from '../../src/server/backup';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/db';
import { FakeClock } from '../../src/server/clock';
import { testConfig } from '../helpers/app';
import { createLogger } from '../../src/server/runtime';
import { seedDemo } from '../../src/server/demo/seed';
import { verifyAuditChain } from '../../src/server/modules/audit/audit.service';

describe.each(engines)('migrations and the audit table on %s', (engine) => {
  let testDb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await openDatabase(testDb.target);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('migrates an empty database, and a second run does nothing', async () => {
    expect(await userTables(database)).toEqual([]);
    expect(await migrate(database)).toEqual(listMigrations());
    expect(await migrate(database)).toEqual([]);
    expect(await userTables(database)).toEqual(
      expect.arrayContaining(['api_tokens', 'audit_log', 'login_failures', 'people', 'roles', 'schema_migrations', 'sessions', 'settings', 'units', 'user_roles', 'users']),
    );
  });

  it('the demo seed is idempotent and leaves an intact audit chain', async () => {
    const deps = { database, config: testConfig(), clock: new FakeClock(), log: createLogger({ logLevel: 'silent' }) };
    const first = await seedDemo(deps);
    const second = await seedDemo(deps);
    expect(first).toMatchObject({ units: 36, users: 11, indicators: 67 });
    expect(first.measurements).toBe(2761);
    expect(second).toEqual({ units: 0, users: 0, indicators: 0, measurements: 0 });
    const check = await verifyAuditChain(deps);
    expect(check.ok).toBe(true);
    expect(check.checked).toBeGreaterThan(40);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows', async () => {
    await expect(database.raw("UPDATE audit_log SET action = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(database.raw('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(database.raw('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('a tampered row is found by the verifier, named by its seq', async () => {
    const deps = { database };
    await database.execScript("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; UPDATE audit_log SET ip = '10.0.0.9' WHERE seq = 5; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
    const check = await verifyAuditChain(deps);
    expect(check).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 5, reason: 'row content does not match its hash' } });
  });
});

describe.skipIf(!engines.includes('postgres'))('the application role on PostgreSQL', () => {
  let testDb: TestDatabase;
  let database: Database;
  const role = `ps_app_${process.pid}`;
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    database = await openDatabase(testDb.target);
    await migrate(database);
    await database.raw(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN; END IF; END $$`);
    await database.execScript(grantAppScript(role));
    await database.raw("INSERT INTO audit_log (seq, at, action, result, prev_hash, hash) VALUES (1, now(), 'test', 'success', 'x', 'y')");
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('can insert and read audit rows but not update or delete them, even with the trigger off', async () => {
    const url = new URL(testDb.url!);
    url.username = role;
    const app = new pg.Client({ connectionString: url.toString() });
    await app.connect();
    try {
      expect((await app.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(1);
      await expect(app.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/permission denied/);
      await expect(app.query('DELETE FROM audit_log')).rejects.toThrow(/permission denied/);
      await expect(app.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update')).rejects.toThrow(/must be owner/);
      await app.query("INSERT INTO units (code, name_zh, name_en, kind) VALUES ('T1', '测', 'T', 'team')");
      // The app starts with nothing to migrate, which it must be able to see without CREATE rights.
      const asApp = await openDatabase({ kind: 'postgres', url: url.toString() });
      try {
        expect(await migrate(asApp)).toEqual([]);
      } finally {
        await asApp.close();
      }
      await app.query("UPDATE units SET name_en = 'T2' WHERE code = 'T1'");
    } finally {
      await app.end();
    }
  });
});

describe('the embedded database lock', () => {
  it('a second open of the same data directory refuses and says why; after close it opens', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ps-lock-'));
    try {
      const first = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
      await expect(openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') })).rejects.toThrow(LockedError);
      await first.close();
      const again = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
