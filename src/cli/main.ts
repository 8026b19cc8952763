import { Command, CommanderError, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Config } from '../server/config';
import { systemContext } from '../server/context';
import type { openRuntime } from '../server/runtime';
import { version } from '../server/version';

// Each command imports the server modules it needs when it runs (below): `--help` and usage errors
// answer at once, and `migrate` does not load the web server.

/** A failure the operator can act on: printed without a stack. */
class Failure extends Error {}

async function config(): Promise<Config> {
  const { loadConfig } = await import('../server/config');
  return loadConfig(process.env);
}

async function withRuntime<T>(fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  // CLI commands are maintenance (seed, recompute, purge, verify): no statement_timeout.
  const { openRuntime } = await import('../server/runtime');
  const rt = await openRuntime(await config(), { log: undefined, statementTimeoutMs: 0 });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    const first = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
    if (!first) throw new Failure('No password on standard input');
    return first;
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
      out._writeToOutput = (s: string) => {
        if (s.includes(prompt)) process.stderr.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  const a = await ask('Password: ');
  if (a !== (await ask('Again: '))) throw new Failure('The two passwords differ');
  return a;
}

export function buildProgram(): Command {
  const program = new Command('pacesetter')
    .description('Pacesetter: all-factor benchmarking and site management. Configuration comes from the environment (see README).')
    .version(version)
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('Serve the API and the web app (migrates first; loads the demo company into an empty embedded database)')
    .addOption(new Option('--port <n>', 'port to listen on (default PORT or 3000)').argParser((v) => {
      if (!/^\d+$/.test(v) || Number(v) > 65535) throw new CommanderError(2, 'usage', `--port must be a number 0–65535, not ${v}`);
      return Number(v);
    }))
    .action(async (opts: { port?: number }) => {
      const c = await config();
      if (opts.port !== undefined) c.port = opts.port;
      const { serve } = await import('../server/serve');
      const server = await serve(c);
      const shutdown = () => void server.stop().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      await new Promise(() => {});
    });

  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(async () => {
      const c = await config();
      const [{ openDatabase }, { migrate }] = await Promise.all([import('../server/db/database'), import('../server/db/migrate')]);
      const database = await openDatabase(c.database.kind === 'postgres' ? c.database : { kind: 'pglite', dataDir: c.database.dataDir });
      try {
        const ran = await migrate(database);
        console.log(ran.length ? `Applied ${ran.length} migration(s): ${ran.join(', ')}` : 'The database is up to date');
      } finally {
        await database.close();
      }
    });

  program
    .command('seed')
    .description('Load data sets')
    .argument('<set>', 'the data set: demo')
    .action(async (set: string) => {
      if (set !== 'demo') throw new CommanderError(2, 'usage', `Unknown data set "${set}"; the one available is: demo`);
      const { seedDemo } = await import('../server/demo/seed');
      const result = await withRuntime((rt) => seedDemo(rt));
      console.log(`Demo company loaded: ${result.units} new unit(s), ${result.users} new account(s), ${result.indicators} new indicator(s), ${result.measurements} monthly value(s) (password Demo#2020)`);
    });

  const user = program.command('user').description('Manage accounts');
  user
    .command('add')
    .description('Create an account; the password is read from standard input (twice at a terminal)')
    .argument('<username>')
    .requiredOption('--role <role-code>', 'role code, e.g. system-admin (repeat with commas)')
    .option('--unit <unit-code>', 'the unit the user belongs to')
    .option('--name <display-name>', 'display name (default: the username)')
    .option('--must-change', 'ask for a new password at first sign-in')
    .action(async (username: string, opts: { role: string; unit?: string; name?: string; mustChange?: boolean }) => {
      const password = await readPassword();
      const [{ findUnitByCode }, { createUserRecord }] = await Promise.all([
        import('../server/modules/units/units.repository'),
        import('../server/modules/users/users.service'),
      ]);
      await withRuntime(async (rt) => {
        const created = await rt.database.db.transaction().execute(async (trx) => {
          const unit = opts.unit ? await findUnitByCode(trx, opts.unit) : null;
          if (opts.unit && !unit) throw new Failure(`No unit with code ${opts.unit}`);
          return createUserRecord(trx, rt, systemContext('cli user add'), {
            username,
            displayName: opts.name ?? username,
            unitId: unit?.id ?? null,
            roleCodes: opts.role.split(',').map((r) => r.trim()).filter(Boolean),
            password,
            mustChangePassword: opts.mustChange ?? false,
          });
        });
        console.log(`Created ${created.username} (${opts.role})`);
      });
    });

  program
    .command('token')
    .description('API tokens for integrations')
    .command('create')
    .description('Create an API token for a user; it is printed once and only its hash is stored')
    .argument('<username>')
    .option('--name <label>', 'what the token is for', 'api')
    .option('--expires-days <n>', 'days until it expires (default: never)')
    .action(async (username: string, opts: { name: string; expiresDays?: string }) => {
      if (opts.expiresDays !== undefined && !/^\d+$/.test(opts.expiresDays)) throw new CommanderError(2, 'usage', '--expires-days must be a whole number');
      const [{ findUserByUsername }, { newSecret, sha256Hex }, { audit }] = await Promise.all([
        import('../server/modules/users/users.repository'),
        import('../server/auth/tokens'),
        import('../server/modules/audit/audit.service'),
      ]);
      await withRuntime(async (rt) => {
        const u = await findUserByUsername(rt.database.db, username);
        if (!u) throw new Failure(`No user ${username}`);
        const token = newSecret('pst_', 32);
        const now = rt.clock.now();
        const expires = opts.expiresDays ? new Date(now.getTime() + Number(opts.expiresDays) * 86_400_000) : null;
        await rt.database.db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('api_tokens')
            .values({ user_id: u.id, name: opts.name, token_hash: sha256Hex(token), created_at: now, expires_at: expires })
            .returning('id')
            .executeTakeFirstOrThrow();
          await audit(trx, rt, systemContext('cli token create'), { action: 'token.create', objectType: 'api_token', objectId: row.id, details: { user: u.username, name: opts.name, expiresAt: expires?.toISOString() ?? null } });
        });
        console.log(token);
      });
    });

  const deviceCmd = program.command('device').description('Gate devices (guard phones, gate terminals) bound to a checkpoint by a bearer token');
  deviceCmd
    .command('create')
    .description('Bind a new device to a checkpoint; its token is printed once (only its hash is stored)')
    .argument('<checkpoint-code>')
    .option('--name <name>', 'what the device is, e.g. 东门值班手机', 'gate device')
    .action(async (code: string, opts: { name: string }) => {
      if (!opts.name.trim()) throw new CommanderError(2, 'usage', '--name may not be empty');
      const { createDeviceRecord } = await import('../server/modules/gate/devices.service');
      const created = await withRuntime(async (rt) =>
        rt.database.db.transaction().execute(async (trx) => {
          const checkpoint = await trx.selectFrom('checkpoints').select(['id', 'code']).where('code', '=', code).executeTakeFirst();
          if (!checkpoint) throw new Failure(`No checkpoint ${code}`);
          return createDeviceRecord(trx, rt, systemContext('cli device create'), checkpoint.id, checkpoint.code, opts.name.trim());
        }),
      );
      console.error(`Device ${created.id} (${created.name}) bound to checkpoint ${created.checkpoint}; the token below is shown once:`);
      console.log(created.token);
    });
  deviceCmd
    .command('list')
    .description('List the devices of a checkpoint (never their tokens)')
    .argument('<checkpoint-code>')
    .action(async (code: string) => {
      const { listDeviceRecords } = await import('../server/modules/gate/devices.service');
      const rows = await withRuntime(async (rt) => {
        const checkpoint = await rt.database.db.selectFrom('checkpoints').select('id').where('code', '=', code).executeTakeFirst();
        if (!checkpoint) throw new Failure(`No checkpoint ${code}`);
        return listDeviceRecords(rt.database.db, checkpoint.id);
      });
      if (rows.length === 0) console.log(`No devices on checkpoint ${code}`);
      for (const d of rows) console.log(`${d.id}  ${d.revokedAt ? `revoked ${d.revokedAt}` : 'active'}  last seen ${d.lastSeenAt ?? 'never'}  ${d.name}`);
    });
  deviceCmd
    .command('revoke')
    .description('Revoke a device: its token stops working')
    .argument('<id>')
    .action(async (id: string) => {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new CommanderError(2, 'usage', `<id> must be a device id (a UUID), not ${id}`);
      const { revokeDeviceRecord } = await import('../server/modules/gate/devices.service');
      const row = await withRuntime((rt) => rt.database.db.transaction().execute((trx) => revokeDeviceRecord(trx, rt, systemContext('cli device revoke'), id)));
      console.log(`Revoked device ${row.id} (${row.name}) on checkpoint ${row.checkpoint}`);
    });

  program
    .command('audit')
    .description('The audit log')
    .command('verify')
    .description('Verify the hash chain: exit 0 with the count, or 1 naming the first broken entry')
    .action(async () => {
      const { verifyAuditChain } = await import('../server/modules/audit/audit.service');
      const result = await withRuntime((rt) => verifyAuditChain(rt));
      if (result.ok) console.log(`Audit chain intact: ${result.checked} entries checked`);
      else throw new Failure(`Audit chain broken at entry ${result.firstBroken!.seq}: ${result.firstBroken!.reason} (${result.checked} entries before it are intact)`);
    });

  program
    .command('backup')
    .description('Back up the database to a file (pg_dump custom format, or the PGlite data directory)')
    .argument('<file>')
    .action(async (file: string) => {
      const [{ backup }, { audit }] = await Promise.all([import('../server/backup'), import('../server/modules/audit/audit.service')]);
      const r = await backup(await config(), file);
      await withRuntime((rt) => rt.database.db.transaction().execute((trx) => audit(trx, rt, systemContext('cli backup'), { action: 'system.backup', details: { file: file.split('/').pop(), bytes: r.bytes, format: r.format } })));
      console.log(`Backup written to ${file}: ${r.bytes} bytes, ${r.format}`);
    });

  program
    .command('restore')
    .description('Restore a backup made by `pacesetter backup`; refuses a non-empty database without --force')
    .argument('<file>')
    .option('--force', 'replace the data of a non-empty database')
    .action(async (file: string, opts: { force?: boolean }) => {
      const [{ restore }, { audit, verifyAuditChain }] = await Promise.all([import('../server/backup'), import('../server/modules/audit/audit.service')]);
      const r = await restore(await config(), file, opts.force ?? false);
      const chain = await withRuntime(async (rt) => {
        const verified = await verifyAuditChain(rt);
        await rt.database.db.transaction().execute((trx) => audit(trx, rt, systemContext('cli restore'), { action: 'system.restore', details: { file: file.split('/').pop(), tables: r.tables, auditChainIntact: verified.ok } }));
        return verified;
      });
      console.log(`Restored ${r.tables} tables from ${file}`);
      if (chain.ok) console.log(`Audit chain intact: ${chain.checked} entries checked`);
      else throw new Failure(`Restored, but the audit chain is broken at entry ${chain.firstBroken!.seq}: ${chain.firstBroken!.reason}`);
    });

  program
    .command('import')
    .description('Import data files without the server')
    .command('readings')
    .description('Store meter readings from a CSV or xlsx file (meter_code, timestamp, value / 表计编码, 时间, 读数): prints the counts; exit 1 when any reading was rejected')
    .argument('<file>')
    .action(async (file: string) => {
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (e) {
        throw new Failure(`Cannot read ${file}: ${(e as Error).message}`);
      }
      const name = path.basename(file);
      const [{ ingestReadings, readingsFromFile }, { energyRecomputeJob }] = await Promise.all([
        import('../server/modules/energy/readings.service'),
        import('../server/jobs/energy-recompute'),
      ]);
      const result = await withRuntime(async (rt) => {
        const r = await ingestReadings(rt, systemContext('cli import readings'), null, await readingsFromFile(data, name), 'cli', name);
        // No server may be running to drain the queue: the days are recomputed before the command ends.
        const s = await energyRecomputeJob.run(rt, rt.clock.now());
        return { ...r, recomputed: s.days };
      });
      console.log(`Readings from ${name}: ${result.received} received, ${result.accepted} accepted, ${result.duplicates} duplicate(s), ${result.rejected.length} rejected (batch ${result.batch}); ${result.recomputed} meter-day(s) recomputed`);
      for (const r of result.rejected.slice(0, 100)) console.error(`row ${r.row ?? r.index}: ${r.message}`);
      if (result.rejected.length > 100) console.error(`… and ${result.rejected.length - 100} more`);
      if (result.rejected.length > 0) throw new Failure(`${result.rejected.length} reading(s) rejected; the others are stored`);
    });

  const jobsCmd = program.command('jobs').description('Scheduled jobs');
  jobsCmd
    .command('list')
    .description('List the jobs and their schedules')
    .action(async () => {
      const { jobs } = await import('../server/jobs/jobs');
      for (const j of jobs) console.log(`${j.name.padEnd(20)} ${j.schedule.padEnd(14)} ${j.description}`);
    });
  jobsCmd
    .command('run')
    .description('Run a job now, as if the clock read --at')
    .argument('<job>')
    .option('--at <iso-time>', 'ISO-8601 time the job runs as of (default: now)')
    .option('--dry-run', 'purge jobs: count what would be deleted, delete nothing')
    .action(async (name: string, opts: { at?: string; dryRun?: boolean }) => {
      const [{ findJob, jobs }, { runJobOnce }] = await Promise.all([import('../server/jobs/jobs'), import('../server/jobs/run-job')]);
      const job = findJob(name);
      if (!job) throw new CommanderError(2, 'usage', `Unknown job "${name}"; jobs: ${jobs.map((j) => j.name).join(', ')}`);
      const dryRun = opts.dryRun ? job.dryRun : undefined;
      if (opts.dryRun && !dryRun) throw new CommanderError(2, 'usage', `${name} deletes nothing, so it has no --dry-run; jobs with one: ${jobs.filter((j) => j.dryRun).map((j) => j.name).join(', ')}`);
      const at = opts.at ? new Date(opts.at) : new Date();
      if (Number.isNaN(at.getTime()) || (opts.at && !/^\d{4}-\d{2}-\d{2}T/.test(opts.at))) throw new CommanderError(2, 'usage', `--at must be an ISO-8601 time, not ${opts.at}`);
      const run = await withRuntime(async (rt) => (dryRun ? ({ ran: true, result: await dryRun.call(job, rt, at) } as const) : runJobOnce(rt, job, at)));
      if (!run.ran) throw new CommanderError(1, 'busy', `${name} is running on a server right now; nothing done (try again when it has finished)`);
      const result = run.result;
      console.log(`${name} ${dryRun ? 'dry run (nothing deleted)' : 'done'} at ${at.toISOString()}: ${JSON.stringify(result)}`);
    });

  program
    .command('db')
    .description('Database administration')
    .command('grant-app')
    .description('PostgreSQL: grant a login role what the app needs: no UPDATE or DELETE on the audit log')
    .argument('<role>')
    .action(async (role: string) => {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new CommanderError(2, 'usage', 'role must be a plain lower-case PostgreSQL identifier');
      const c = await config();
      if (c.database.kind !== 'postgres') throw new Failure('grant-app is for PostgreSQL (set DATABASE_URL)');
      const { openDatabase } = await import('../server/db/database');
      const database = await openDatabase(c.database);
      try {
        await database.execScript(grantAppScript(role));
        console.log(`Granted ${role}: read/write on the tables, INSERT and SELECT only on audit_log`);
      } finally {
        await database.close();
      }
    });

  return program;
}

/** What the application role gets on PostgreSQL: everything but changing the audit log. */
export function grantAppScript(role: string): string {
  return `
GRANT USAGE ON SCHEMA public TO ${role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${role};
GRANT SELECT, INSERT ON audit_log TO ${role};`;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage or configuration. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      if (e.code === 'usage') console.error(`error: ${e.message}`);
      return 2;
    }
    // The error classes are imported on this path only; the command that failed has mostly loaded them.
    const { ConfigError } = await import('../server/config');
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    const [{ LockedError }, { RestoreRefused }, { AppError }] = await Promise.all([import('../server/db/lock'), import('../server/backup'), import('../server/errors')]);
    if (e instanceof Failure || e instanceof LockedError || e instanceof RestoreRefused) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    if (e instanceof AppError) {
      console.error(`error: ${e.message}${e.details ? ` ${JSON.stringify(e.details)}` : ''}`);
      return 1;
    }
    console.error(`error: ${(e as Error).message ?? e}`);
    return 1;
  }
}
