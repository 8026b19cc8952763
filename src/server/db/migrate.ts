import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The migration files, `<timestamp>-<name>.sql`, in the order they apply. */
export function listMigrations(): string[] {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d{8}T?\d{4,6}-[a-z0-9-]+\.sql$/.test(f))
    .sort();
}

async function applied(database: Database): Promise<Set<string>> {
  // Checked first: the application's role may read the table but has no right to create tables.
  const [exists] = await database.raw<{ t: string | null }>("SELECT to_regclass('public.schema_migrations')::text AS t");
  if (!exists?.t) await database.raw('CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  const rows = await database.raw<{ name: string }>('SELECT name FROM schema_migrations');
  return new Set(rows.map((r) => r.name));
}

/**
 * Applies pending migrations, each in its own transaction with its bookkeeping row. Forward-only.
 * On PostgreSQL an advisory lock keeps two servers starting at once from racing.
 */
export async function migrate(database: Database): Promise<string[]> {
  const done = await applied(database);
  const ran: string[] = [];
  for (const file of listMigrations()) {
    if (done.has(file)) continue;
    const body = readFileSync(path.join(migrationsDir, file), 'utf8');
    const script = `SELECT pg_advisory_xact_lock(7262001);\n${body}\n;INSERT INTO schema_migrations (name) VALUES ('${file.replace(/'/g, "''")}')`;
    try {
      await database.execScript(script);
      ran.push(file);
    } catch (e) {
      // Another instance applied it while we waited for the lock.
      if ((await applied(database)).has(file)) continue;
      throw new Error(`Migration ${file} failed: ${(e as Error).message}`, { cause: e });
    }
  }
  return ran;
}
