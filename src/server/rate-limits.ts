import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitOptions, RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import type { Config } from './config';
import type { Database } from './db/database';
import type { RouteAccess } from './permissions';

/**
 * Rate-limit classes (issue 8 item 3, AV-1): every /api route belongs to at most one, decided in
 * one place (`rateLimitClassOf`) from its method, path and access, so a new route is limited
 * without touching this file. Each class has one counter per caller and window, shared by all
 * its routes: a user's unmasks and exports draw on one budget.
 *
 * - auth: sign-in (per address), password change and the second factor (per user)
 * - personal: unmasking and exports of personal data, per user
 * - import: file imports, per user (not per address: one office shares one)
 * - write: every other change, per user, generous
 * - public: the pages anyone may open, per address
 * - device: gate devices, per device token; far above what a gate can scan
 * Reads of signed-in users are not limited.
 */
export const rateLimitClasses = ['auth', 'personal', 'import', 'write', 'public', 'device'] as const;
export type RateLimitClass = (typeof rateLimitClasses)[number];

export interface RateLimitRule {
  max: number;
  windowMs: number;
}
export type RateLimitSettings = Record<RateLimitClass, RateLimitRule>;

/** What buildApp takes: per-class overrides (tests use small ones) and the time source of the windows. */
export interface AppRateLimitOptions {
  limits?: Partial<RateLimitSettings>;
  /** Milliseconds since the epoch; Date.now unless a test drives a fake clock. */
  now?: () => number;
}

const minute = 60_000;

/**
 * The limits of each class. Sign-in follows LOGIN_IP_LIMIT_PER_MINUTE. Under NODE_ENV=test the
 * other classes are a hundred times higher: the suites (the fuzzer above all) send thousands of
 * requests a minute as one demo user; test/http/rate-limits.test.ts sets its own small limits.
 */
export function rateLimitSettings(config: Pick<Config, 'nodeEnv' | 'lockout'>, overrides: Partial<RateLimitSettings> = {}): RateLimitSettings {
  const scale = config.nodeEnv === 'test' ? 100 : 1;
  return {
    auth: { max: config.lockout.ipPerMinute, windowMs: minute },
    personal: { max: 30 * scale, windowMs: minute },
    import: { max: 30 * scale, windowMs: minute },
    write: { max: 600 * scale, windowMs: minute },
    public: { max: 120 * scale, windowMs: minute },
    // bench/gate-scans.ts drives one device with 50 connections at about 1 500 scans a second.
    device: { max: 300_000 * scale, windowMs: minute },
    ...overrides,
  };
}

const classMark = Symbol('rateLimitClass');
type Marked = RateLimitOptions & { [classMark]?: RateLimitClass };

/**
 * For a route's `config.rateLimit`: puts the route in a class where the rules of
 * `rateLimitClassOf` would not, e.g. `config: { access: 'authenticated', rateLimit: rateLimitFor('auth') }`.
 */
export function rateLimitFor(cls: RateLimitClass): RateLimitOptions {
  const options: Marked = { [classMark]: cls };
  return options;
}

/** Routes whose class their method and path do not tell. Keys are `METHOD /template`. */
const explicitClasses: Record<string, RateLimitClass | null> = {
  'POST /api/auth/login': 'auth',
  'PUT /api/auth/password': 'auth',
  // Ending one's own sessions is not an attack surface worth a sign-in budget.
  'POST /api/auth/logout': 'write',
  'DELETE /api/auth/sessions/:id': 'write',
  'PUT /api/auth/locale': 'write',
  'POST /api/imports': 'import',
  'POST /api/health/risk-areas/import': 'import',
  'POST /api/energy/readings/csv': 'import',
  'POST /api/people/:id/unmask': 'personal',
  'GET /api/people/:id/photo': 'personal',
  'GET /api/people/export.xlsx': 'personal',
  'GET /api/health/cases/export.xlsx': 'personal',
  'GET /api/audit/export': 'personal',
  'GET /api/piece-rates/earnings.xlsx': 'personal',
  'GET /api/notices/:id/export.xlsx': 'personal',
  'GET /api/public/supply-points': 'public',
};

interface RouteShape {
  method: string | string[];
  url: string;
  config?: { access?: RouteAccess; rateLimit?: RateLimitOptions | false } | undefined;
}

/** The class of a route, or null when it is not limited. */
export function rateLimitClassOf(route: RouteShape): RateLimitClass | null {
  const declared = route.config?.rateLimit;
  if (declared === false) return null;
  const marked = declared ? (declared as Marked)[classMark] : undefined;
  if (marked) return marked;
  const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
  const method = methods.find((m) => m !== 'HEAD') ?? 'GET'; // a HEAD route is its GET's twin
  const explicit = explicitClasses[`${method} ${route.url}`];
  if (explicit !== undefined) return explicit;
  if (!route.url.startsWith('/api/')) return null;
  if (route.config?.access === 'device') return 'device';
  if (route.url.startsWith('/api/public/')) return 'public';
  if (method === 'GET' || method === 'OPTIONS') return null;
  if (route.url.startsWith('/api/auth/')) return 'auth';
  if (/\/imports?$/.test(route.url)) return 'import';
  return 'write';
}

/** Who a request counts against in its class: the device, the user, or the address. */
export function rateLimitKey(cls: RateLimitClass, request: FastifyRequest): string {
  const ctx = request.ctx as FastifyRequest['ctx'] | undefined;
  const ip = `ip:${request.ip}`;
  if (cls === 'device') return `${cls}|${ctx?.device ? `device:${ctx.device.id}` : ip}`;
  // Public pages and the sign-in form count per address, whatever cookie comes along.
  if (cls === 'public' || request.routeOptions.config?.access === 'public') return `${cls}|${ip}`;
  return `${cls}|${ctx?.actor ? `user:${ctx.actor.userId}` : ip}`;
}

/**
 * A fixed-window counter store on an injectable clock, shared by every route: `child` returns the
 * store itself, so a class counts across its routes (the key carries the class). Memory stays
 * bounded: past `capacity` keys, ended windows go first, then the oldest.
 */
export function clockStore(now: () => number, capacity = 50_000): FastifyRateLimitStoreCtor {
  const windows = new Map<string, { count: number; start: number }>();
  const prune = (at: number, windowMs: number) => {
    for (const [k, w] of windows) if (w.start + windowMs <= at) windows.delete(k);
    for (const k of windows.keys()) {
      if (windows.size <= capacity) break;
      windows.delete(k);
    }
  };
  class ClockStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const at = now();
      let w = windows.get(key);
      if (!w || w.start + timeWindow <= at) {
        windows.delete(key); // re-inserted last: the map stays in window order
        w = { count: 0, start: at };
        windows.set(key, w);
        if (windows.size > capacity) prune(at, timeWindow);
      }
      w.count++;
      callback(null, { current: w.count, ttl: w.start + timeWindow - at });
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return ClockStore;
}

/** How long a counter row outlives its window before a server deletes it. */
const counterRetentionMs = 3_600_000;

/**
 * The counters in PostgreSQL (table rate_limit_counters), shared by every server behind the load
 * balancer: the same fixed window as `clockStore`, opened by the first hit, counted by one upsert
 * per request. Gate devices count in memory (their class is a safeguard far above real use, and
 * a scan must not wait for a second write). Rows of long-ended windows are deleted at most once
 * a minute per server.
 */
export function databaseStore(database: Pick<Database, 'db'>, now: () => number): FastifyRateLimitStoreCtor {
  const local = new (clockStore(now))({});
  let nextPrune = 0;
  class DatabaseStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      if (key.startsWith('device|')) return local.incr(key, callback, timeWindow, max);
      const at = now();
      sql<{ hits: number; window_start: number }>`
        INSERT INTO rate_limit_counters AS c (key, window_start, hits) VALUES (${key}, ${at}, 1)
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN c.window_start + ${timeWindow} <= ${at} THEN 1 ELSE c.hits + 1 END,
          window_start = CASE WHEN c.window_start + ${timeWindow} <= ${at} THEN ${at} ELSE c.window_start END
        RETURNING hits, window_start`
        .execute(database.db)
        .then(
          (r) => callback(null, { current: r.rows[0]!.hits, ttl: Number(r.rows[0]!.window_start) + timeWindow - at }),
          (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
        );
      if (at >= nextPrune) {
        nextPrune = at + 60_000;
        sql`DELETE FROM rate_limit_counters WHERE window_start < ${at - counterRetentionMs}`.execute(database.db).catch(() => {});
      }
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return DatabaseStore;
}

/**
 * The plugin's options: nothing global; the counters in the database (shared by every server)
 * or in memory (one process), as `store` says. When the database cannot count, the request goes
 * on (and meets the database's own 503): a limit must not turn an outage into refusals.
 */
export function rateLimitPluginOptions(options: AppRateLimitOptions = {}, shared?: { store: 'database' | 'memory'; database: Pick<Database, 'db'> }): RateLimitPluginOptions {
  const now = options.now ?? Date.now;
  if (shared?.store === 'database') return { global: false, skipOnError: true, store: databaseStore(shared.database, now) };
  return { global: false, store: clockStore(now) };
}

/**
 * Puts the class's limit on a route being registered (call from an onRoute hook added before the
 * plugin, which reads `config.rateLimit`). Replaces a route's own numbers: the class decides.
 */
export function applyRateLimitClass(route: RouteOptions, settings: RateLimitSettings): void {
  const cls = rateLimitClassOf(route as RouteShape);
  if (!cls) {
    if (route.config?.rateLimit) route.config = { ...route.config, rateLimit: false };
    return;
  }
  const rule = settings[cls];
  route.config = {
    ...route.config,
    rateLimitClass: cls,
    rateLimit: { max: rule.max, timeWindow: rule.windowMs, keyGenerator: (request: FastifyRequest) => rateLimitKey(cls, request) },
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set at registration from `rateLimitClassOf` (read-only for routes). */
    rateLimitClass?: RateLimitClass;
  }
}
