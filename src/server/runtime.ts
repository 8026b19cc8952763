import pino, { type Logger } from 'pino';
import { FileClock, systemClock, type Clock } from './clock';
import type { Config } from './config';
import type { Deps } from './context';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { syncBuiltInRoles } from './demo/seed';

/** Never log secrets, cookies or tokens. */
export const logRedactPaths = ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', 'password', '*.password'];

/** Query parameters that may carry personal data (an exact ID number or phone search, a name at the gate). */
const personalQueryParams = /([?&](?:idNumber|phone|name|last4|q)=)[^&#]*/gi;

/** A request's URL with personal query values replaced, for the access log. */
export function redactUrl(url: string): string {
  return url.replace(personalQueryParams, '$1[redacted]');
}

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      redact: { paths: logRedactPaths, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; host?: string; remoteAddress?: string; ip?: string; hostname?: string; socket?: { remoteAddress?: string } }) => ({
          method: req.method,
          url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
          host: req.host ?? req.hostname,
          remoteAddress: req.remoteAddress ?? req.ip ?? req.socket?.remoteAddress,
        }),
      },
    },
    destination,
  );
}

/**
 * Opens the database, applies migrations and refreshes the built-in roles: what every command needs.
 * Sessions get `config.statementTimeoutMs` unless `statementTimeoutMs` says otherwise (the CLI's
 * maintenance commands pass 0).
 */
export async function openRuntime(config: Config, options: { log?: Logger; clock?: Clock; statementTimeoutMs?: number } = {}): Promise<Deps & { close(): Promise<void> }> {
  const log = options.log ?? createLogger(config);
  const database = await openDatabase(config.database.kind === 'postgres' ? config.database : { kind: 'pglite', dataDir: config.database.dataDir }, {
    statementTimeoutMs: options.statementTimeoutMs ?? config.statementTimeoutMs,
    replicaUrl: config.replicaUrl,
  });
  const clock = options.clock ?? (config.clockFile ? new FileClock(config.clockFile) : systemClock);
  if (config.clockFile && !options.clock) log.warn({ clockFile: config.clockFile }, 'TEST CLOCK: the server reads the time from PACESETTER_CLOCK_FILE');
  const deps: Deps = { database, config, clock, log };
  try {
    const ran = await migrate(database);
    if (ran.length > 0) log.info({ migrations: ran }, 'database migrated');
    await syncBuiltInRoles(deps);
  } catch (e) {
    await database.close();
    throw e;
  }
  return { ...deps, close: () => database.close() };
}
