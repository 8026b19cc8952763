import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';

/** A configuration error: printed without a stack, exit code 2. */
export class ConfigError extends Error {}

const boolish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** Schedules of the notice jobs (croner patterns, Asia/Shanghai) unless the environment sets them. */
export const defaultSchedules = { weeklyNotice: '0 8 * * 1', dailyDigest: '30 7 * * *' } as const;
const cronPattern = z.string().trim().refine(
  (p) => {
    try {
      new Cron(p, { paused: true });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a cron pattern such as "0 8 * * 1"' },
);

/**
 * The notice jobs' schedules from the environment (PACESETTER_WEEKLY_NOTICE_CRON,
 * PACESETTER_DAILY_DIGEST_CRON); the jobs read it when the scheduler asks for their `schedule`.
 * An invalid pattern stops `loadConfig` at start-up; here it falls back to the default.
 */
export function jobSchedules(env: NodeJS.ProcessEnv = process.env): { weeklyNotice: string; dailyDigest: string } {
  const weekly = cronPattern.safeParse(env.PACESETTER_WEEKLY_NOTICE_CRON ?? defaultSchedules.weeklyNotice);
  const daily = cronPattern.safeParse(env.PACESETTER_DAILY_DIGEST_CRON ?? defaultSchedules.dailyDigest);
  return { weeklyNotice: weekly.success ? weekly.data : defaultSchedules.weeklyNotice, dailyDigest: daily.success ? daily.data : defaultSchedules.dailyDigest };
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PACESETTER_KEY: z.string().optional(),
  PACESETTER_DEMO: boolish.optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  LOCKOUT_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  LOGIN_IP_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
  PACESETTER_CLOCK_FILE: z.string().min(1).optional(),
  PACESETTER_WEEKLY_NOTICE_CRON: cronPattern.default(defaultSchedules.weeklyNotice),
  PACESETTER_DAILY_DIGEST_CRON: cronPattern.default(defaultSchedules.dailyDigest),
  PACESETTER_DEMO_ENERGY: z.enum(['full', 'small', 'none']).optional(),
  PACESETTER_DEMO_ACCESS: z.enum(['full', 'small', 'none']).optional(),
  PACESETTER_DEMO_HEALTH: z.enum(['full', 'small', 'none']).optional(),
  MFA_REQUIRED_ROLES: z
    .string()
    .trim()
    .regex(/^([a-z][a-z-]*)?(,[a-z][a-z-]*)*$/, 'must be role codes separated by commas, e.g. "system-admin,health-admin", or empty for none')
    .optional(),
  GATE_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  GATE_DEVICE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(2),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  TRUST_PROXY: boolish.default(false),
  DATABASE_REPLICA_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  RATE_LIMIT_STORE: z.enum(['database', 'memory']).optional(),
  PACESETTER_JOBS: boolish.default(true),
  METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{32,}$/, 'must be at least 32 printable characters without spaces (openssl rand -hex 32)').optional(),
});

/** Roles that must sign in with a second factor unless MFA_REQUIRED_ROLES says otherwise (none in demo mode). */
export const defaultMfaRoles = ['system-admin', 'security-admin', 'audit-admin', 'health-admin', 'grid-worker'] as const;

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  dataDir: string;
  port: number;
  host: string;
  logLevel: string;
  /** 32-byte key for personal data; null only when not yet resolved (see resolveKey). */
  key: Buffer;
  /** undefined = decide at start (demo on for an empty embedded database outside production). */
  demo: boolean | undefined;
  session: { idleMinutes: number; maxHours: number };
  lockout: { threshold: number; windowMinutes: number; minutes: number; ipPerMinute: number };
  passwordMaxAgeDays: number;
  /** Tests only (refused in production): a file holding the instant the server's clock reads. */
  clockFile: string | undefined;
  /** Croner patterns of the notice jobs (Asia/Shanghai). */
  schedules: { weeklyNotice: string; dailyDigest: string };
  /** How much generated energy data the demo loads (docs/decisions/0007-energy-data.md, point 6). */
  demoEnergy: 'full' | 'small' | 'none';
  /** How many people, passes and gate events the demo loads (docs/decisions/0008-access-control.md). */
  demoAccess: 'full' | 'small' | 'none';
  /** How much of the January–March 2020 health replay the demo loads (needs the access demo). */
  demoHealth: 'full' | 'small' | 'none';
  /** Role codes whose holders must use a second factor (TOTP); undefined = defaultMfaRoles, or none in demo mode. */
  mfaRequiredRoles: string[] | undefined;
  /** Days gate events (and visits) are kept before the access purge deletes them. */
  gateEventRetentionDays: number;
  /** How long a server trusts a gate device token it has checked (revocations reach every server at once: cache-bus.ts). */
  gateDeviceCacheMs: number;
  /** PostgreSQL statement_timeout for request work in milliseconds (0 = none). */
  statementTimeoutMs: number;
  /** Behind a reverse proxy: trust X-Forwarded-* (the protocol decides Secure cookies and HSTS). */
  trustProxy: boolean;
  /** A streaming replica of the PostgreSQL primary that report reads go to (docs/deployment.md); null = the primary. */
  replicaUrl: string | null;
  /**
   * Where rate-limit counters live: `database` (shared by every server) or `memory` (one process).
   * undefined = by engine: `database` on PostgreSQL, `memory` on the embedded database.
   */
  rateLimitStore: 'database' | 'memory' | undefined;
  /** Whether this server runs the schedule (every run still takes the job's lock: one server runs it). */
  jobsEnabled: boolean;
  /** The bearer token GET /metrics asks for; null = answer only requests from this machine. */
  metricsToken: string | null;
}

function decodeKey(b64: string): Buffer {
  const key = Buffer.from(b64.trim(), 'base64');
  if (key.length !== 32) throw new ConfigError('PACESETTER_KEY must be 32 random bytes in base64 (openssl rand -base64 32)');
  return key;
}

/** Reads and validates the environment; throws ConfigError with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  let key: Buffer;
  if (e.PACESETTER_KEY) key = decodeKey(e.PACESETTER_KEY);
  else if (e.NODE_ENV === 'production') throw new ConfigError('PACESETTER_KEY is required when NODE_ENV=production (openssl rand -base64 32)');
  else key = embeddedKey(dataDir);
  if (e.NODE_ENV === 'production' && e.PACESETTER_DEMO === true) throw new ConfigError('PACESETTER_DEMO cannot be on when NODE_ENV=production');
  if (e.DATABASE_REPLICA_URL && !e.DATABASE_URL) throw new ConfigError('DATABASE_REPLICA_URL needs DATABASE_URL (a replica of which primary?)');
  if (e.NODE_ENV === 'production' && e.PACESETTER_CLOCK_FILE) throw new ConfigError('PACESETTER_CLOCK_FILE (a test clock) cannot be set when NODE_ENV=production');
  return {
    nodeEnv: e.NODE_ENV,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    key,
    demo: e.PACESETTER_DEMO,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
    lockout: {
      threshold: e.LOCKOUT_THRESHOLD,
      windowMinutes: e.LOCKOUT_WINDOW_MINUTES,
      minutes: e.LOCKOUT_MINUTES,
      ipPerMinute: e.LOGIN_IP_LIMIT_PER_MINUTE,
    },
    passwordMaxAgeDays: e.PASSWORD_MAX_AGE_DAYS,
    clockFile: e.PACESETTER_CLOCK_FILE ? path.resolve(e.PACESETTER_CLOCK_FILE) : undefined,
    schedules: { weeklyNotice: e.PACESETTER_WEEKLY_NOTICE_CRON, dailyDigest: e.PACESETTER_DAILY_DIGEST_CRON },
    // The whole demo for people, none for test suites (they load what they need).
    demoEnergy: e.PACESETTER_DEMO_ENERGY ?? (e.NODE_ENV === 'test' ? 'none' : 'full'),
    demoAccess: e.PACESETTER_DEMO_ACCESS ?? (e.NODE_ENV === 'test' ? 'none' : 'full'),
    demoHealth: e.PACESETTER_DEMO_HEALTH ?? (e.NODE_ENV === 'test' ? 'none' : 'full'),
    mfaRequiredRoles: e.MFA_REQUIRED_ROLES === undefined ? undefined : e.MFA_REQUIRED_ROLES.split(',').filter(Boolean),
    gateEventRetentionDays: e.GATE_EVENT_RETENTION_DAYS,
    gateDeviceCacheMs: e.GATE_DEVICE_CACHE_SECONDS * 1000,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    trustProxy: e.TRUST_PROXY,
    replicaUrl: e.DATABASE_REPLICA_URL ?? null,
    rateLimitStore: e.RATE_LIMIT_STORE,
    jobsEnabled: e.PACESETTER_JOBS,
    metricsToken: e.METRICS_TOKEN ?? null,
  };
}

/** In embedded mode the key lives beside the data (mode 0600), generated on first start. */
function embeddedKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'pacesetter.key');
  if (existsSync(file)) return decodeKey(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return decodeKey(readFileSync(file, 'utf8'));
}
