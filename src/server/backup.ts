import { execFile } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';

const run = promisify(execFile);

/** Tables of the application in the public schema (empty = nothing to lose). */
export async function userTables(database: Database): Promise<string[]> {
  const rows = await database.raw<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  return rows.map((r) => r.table_name);
}

/** A checksum per table over every row, to prove a restore gives back the same data. */
export async function tableChecksums(database: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await userTables(database)) {
    const [row] = await database.raw<{ n: number; sum: string | null }>(
      `SELECT count(*)::int8 AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS sum FROM "${t}" x`,
    );
    out[t] = `${row?.n ?? 0}:${row?.sum ?? ''}`;
  }
  return out;
}

function writeAtomically(file: string, data: Buffer | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function startsWith(file: string, magic: Buffer): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(magic.length);
    readSync(fd, head, 0, magic.length, 0);
    return head.equals(magic);
  } finally {
    closeSync(fd);
  }
}

/** Writes a backup: pg_dump custom format on PostgreSQL, PGlite's own data-directory dump when embedded. */
export async function backup(config: Config, file: string): Promise<{ bytes: number; format: string }> {
  const target = path.resolve(file);
  if (config.database.kind === 'postgres') {
    const tmp = `${target}.tmp-${process.pid}`;
    try {
      await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${tmp}`, `--dbname=${config.database.url}`]);
      await run('pg_restore', ['--list', tmp]); // a dump that cannot be listed is no backup
      renameSync(tmp, target);
    } finally {
      rmSync(tmp, { force: true });
    }
    return { bytes: readFileSync(target).length, format: 'pg_dump custom' };
  }
  const database = await openDatabase({ kind: 'pglite', dataDir: config.database.dataDir });
  try {
    const dump = await database.pglite!.dumpDataDir('gzip');
    const bytes = Buffer.from(await dump.arrayBuffer());
    writeAtomically(target, bytes);
    return { bytes: bytes.length, format: 'PGlite data directory (tar.gz)' };
  } finally {
    await database.close();
  }
}

export class RestoreRefused extends Error {}

/** Restores a backup; refuses a database that holds tables unless forced. All or nothing. */
export async function restore(config: Config, file: string, force: boolean): Promise<{ tables: number }> {
  const source = path.resolve(file);
  if (!existsSync(source)) throw new RestoreRefused(`No such file: ${source}`);
  if (config.database.kind === 'postgres') {
    if (!startsWith(source, Buffer.from('PGDMP'))) throw new RestoreRefused('This is not a PostgreSQL custom-format dump (made by pacesetter backup on PostgreSQL)');
    const database = await openDatabase(config.database);
    try {
      const tables = await userTables(database);
      if (tables.length > 0 && !force) throw new RestoreRefused(`The database is not empty (${tables.length} tables); add --force to replace it`);
      if (tables.length > 0) {
        // Dropped in the same transaction as pg_restore would need a single session; instead the
        // schema is replaced and pg_restore runs in one transaction, so a failure leaves an empty
        // schema that a second restore can fill. A safety dump is taken first.
        await run('pg_dump', ['--format=custom', '--no-owner', `--file=${source}.before-restore`, `--dbname=${config.database.url}`]);
      }
      await run('pg_restore', ['--list', source]);
      await run('pg_restore', [
        '--single-transaction',
        '--exit-on-error',
        '--no-owner',
        '--no-privileges',
        ...(tables.length > 0 ? ['--clean', '--if-exists'] : []),
        `--dbname=${config.database.url}`,
        source,
      ]);
      return { tables: (await userTables(database)).length };
    } finally {
      await database.close();
    }
  }
  if (!startsWith(source, Buffer.from([0x1f, 0x8b]))) throw new RestoreRefused('This is not a PGlite backup (made by pacesetter backup in embedded mode)');
  const dataDir = config.database.dataDir;
  if (existsSync(dataDir)) {
    const current = await openDatabase({ kind: 'pglite', dataDir });
    let tables: string[];
    try {
      tables = await userTables(current);
    } finally {
      await current.close();
    }
    if (tables.length > 0 && !force) throw new RestoreRefused(`The database is not empty (${tables.length} tables); add --force to replace it`);
  }
  const aside = `${dataDir}.before-restore-${Date.now()}`;
  if (existsSync(dataDir)) renameSync(dataDir, aside);
  try {
    const restored = await openDatabase({ kind: 'pglite', dataDir }, { loadDataDir: new Blob([readFileSync(source)]) });
    try {
      return { tables: (await userTables(restored)).length };
    } finally {
      await restored.close();
    }
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    if (existsSync(aside)) renameSync(aside, dataDir);
    throw e;
  }
}
