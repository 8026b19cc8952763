import iconv from 'iconv-lite';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/database';
import { fromMigratedPglite, runCli } from '../helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'ps-energy-cli-'));
const env = { DATA_DIR: path.join(dir, 'data') };
fromMigratedPglite(env.DATA_DIR);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pacesetter import readings', { timeout: 240_000 }, () => {
  it('stores a file of readings without the server, prints the counts, exits 1 when some are rejected', async () => {
    const seeded = await runCli(['seed', 'demo'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    // A meter of the test's own, written straight into the embedded database (no server is running).
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'data', 'pglite') });
    try {
      const unit = await database.db.selectFrom('units').select('id').where('code', '=', 'DJ1').executeTakeFirstOrThrow();
      await database.db.insertInto('meters').values({ code: 'TC-DJ1-P', name_zh: '测试表', carrier: 'power', kind: 'counter', uom: 'kWh', unit_id: unit.id }).execute();
    } finally {
      await database.close();
    }

    const good = path.join(dir, 'good.csv');
    writeFileSync(good, iconv.encode('表计编码,时间,读数\nTC-DJ1-P,2026-02-01 00:00,100\nTC-DJ1-P,2026-02-01 00:15,101.5\n', 'gbk'));
    const first = await runCli(['import', 'readings', good], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Readings from good.csv: 2 received, 2 accepted, 0 duplicate(s), 0 rejected');
    const again = await runCli(['import', 'readings', good], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 accepted, 2 duplicate(s), 0 rejected');

    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'meter_code,timestamp,value\nTC-DJ1-P,2026-02-01T00:30:00+08:00,103\nTC-DJ1-P,2026-02-01 00:15,999\nNOPE,2026-02-01 00:15,1\n');
    const mixed = await runCli(['import', 'readings', bad], env);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toContain('3 received, 1 accepted, 0 duplicate(s), 2 rejected');
    expect(mixed.stderr).toContain('row 3: conflict: stored 101.5, sent 999');
    expect(mixed.stderr).toContain('row 4: meter: no meter NOPE');

    const missing = await runCli(['import', 'readings', path.join(dir, 'nope.csv')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Cannot read');
    expect((await runCli(['import', 'readings'], env)).code).toBe(2);

    const check = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'data', 'pglite') });
    try {
      const batches = await check.db.selectFrom('reading_batches').select(['source', 'accepted', 'duplicates', 'rejected']).orderBy('created_at').execute();
      expect(batches).toEqual([
        { source: 'cli', accepted: 2, duplicates: 0, rejected: 0 },
        { source: 'cli', accepted: 0, duplicates: 2, rejected: 0 },
        { source: 'cli', accepted: 1, duplicates: 0, rejected: 2 },
      ]);
    } finally {
      await check.close();
    }
  });
});
