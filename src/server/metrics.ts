import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppError } from './errors';

/**
 * What Prometheus scrapes from GET /metrics (issue 9 item 5): requests by route template, job runs,
 * import sizes and gate decisions by reason, beside Node's process metrics. Each app has its own
 * registry (never prom-client's global one), so the tests' many apps in one process do not collide
 * and the job runner records into the registry that the app's /metrics exposes.
 *
 *   const metrics = createMetrics();
 *   const app = await buildApp(deps, { metrics }); // or app.metrics when buildApp made it
 *   metrics.recordJobRun('weekly-notice', 'ok', 1.8);
 */

export type JobOutcome = 'ok' | 'failed' | 'skipped';
export type ImportOutcome = 'ok' | 'rejected';
export type GateMode = 'online' | 'offline-batch';

/** The connection counts of a database pool (`pg.Pool`'s totalCount, idleCount, waitingCount). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Metrics {
  readonly registry: Registry;
  /** One answered HTTP request; `route` is a template or `static` / `unmatched` (see routeLabel). */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** One run of a scheduled job (or one started by hand), however it ended. */
  recordJobRun(job: string, outcome: JobOutcome, seconds: number): void;
  /** One import that ran to its end: committed (ok) or refused with its row errors (rejected). */
  recordImport(kind: string, outcome: ImportOutcome, rows: number, bytes: number): void;
  /** One gate decision newly recorded; `reason` null for an allowed passage (labelled "OK"). */
  recordGateDecision(decision: 'allow' | 'deny', reason: string | null, mode: GateMode): void;
  /** Where the database pool gauge reads from at each scrape (PostgreSQL only; PGlite has no pool). */
  watchPool(stats: () => PoolStats): void;
}

/** 1 ms .. 10 s: a cached read answers in a few milliseconds, a large report in seconds. */
const requestBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** 10 ms .. 15 min: the recompute queue drains in milliseconds, a purge of a large incident takes minutes. */
const jobBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];
const importRowBuckets = [1, 10, 100, 1_000, 10_000, 100_000];
/** 1 KiB .. 20 MiB (the upload limit). */
const importByteBuckets = [1024, 10 * 1024, 100 * 1024, 1024 * 1024, 5 * 1024 * 1024, 20 * 1024 * 1024];

/** A fresh registry with the process metrics and every Pacesetter metric in it. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pacesetter_' });
  const requests = new Counter({ name: 'pacesetter_http_requests_total', help: 'HTTP requests answered, by route template and status class', labelNames: ['method', 'route', 'status_class'] as const, registers: [registry] });
  const requestSeconds = new Histogram({ name: 'pacesetter_http_request_duration_seconds', help: 'Time to answer an HTTP request, by route template', labelNames: ['method', 'route'] as const, buckets: requestBuckets, registers: [registry] });
  const jobRuns = new Counter({ name: 'pacesetter_job_runs_total', help: 'Runs of the scheduled jobs by outcome (ok, failed, skipped: not run, e.g. another server held its lock)', labelNames: ['job', 'outcome'] as const, registers: [registry] });
  const jobSeconds = new Histogram({ name: 'pacesetter_job_duration_seconds', help: 'Duration of a job run', labelNames: ['job'] as const, buckets: jobBuckets, registers: [registry] });
  const importRows = new Histogram({ name: 'pacesetter_import_rows', help: 'Data rows per file import, committed (ok) or refused (rejected)', labelNames: ['kind', 'outcome'] as const, buckets: importRowBuckets, registers: [registry] });
  const importBytes = new Histogram({ name: 'pacesetter_import_bytes', help: 'Size of an imported file in bytes', labelNames: ['kind'] as const, buckets: importByteBuckets, registers: [registry] });
  const gateDecisions = new Counter({ name: 'pacesetter_gate_decisions_total', help: 'Gate decisions recorded, by decision, deny reason (OK when allowed) and mode', labelNames: ['decision', 'reason', 'mode'] as const, registers: [registry] });
  let poolStats: (() => PoolStats) | null = null;
  new Gauge({
    name: 'pacesetter_db_pool_clients',
    help: 'PostgreSQL pool: connections open (total), idle ones, and requests waiting for one',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      if (!poolStats) return;
      const s = poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  return {
    registry,
    observeRequest(method, route, statusCode, seconds) {
      requests.inc({ method, route, status_class: `${Math.floor(statusCode / 100)}xx` });
      requestSeconds.observe({ method, route }, seconds);
    },
    recordJobRun(job, outcome, seconds) {
      jobRuns.inc({ job, outcome });
      // A skipped run did no work here: its duration would drag the histogram toward zero.
      if (outcome !== 'skipped') jobSeconds.observe({ job }, seconds);
    },
    recordImport(kind, outcome, rows, bytes) {
      importRows.observe({ kind, outcome }, rows);
      importBytes.observe({ kind }, bytes);
    },
    recordGateDecision(decision, reason, mode) {
      gateDecisions.inc({ decision, reason: reason ?? 'OK', mode });
    },
    watchPool(stats) {
      poolStats = stats;
    },
  };
}

/** The path of the metrics route itself: not counted, so scrapes do not skew the request figures. */
export const metricsPath = '/metrics';

/**
 * The route label of a request: the route template (`/api/units/:id`), never the raw URL, whose
 * ids and query strings would make the series unbounded and carry personal data. Files of the
 * web app (and its SPA fallback pages) are `static`; everything else no route matched, `unmatched`.
 */
export function routeLabel(request: FastifyRequest, statusCode: number): string {
  const template = request.routeOptions.url;
  if (template === undefined) return statusCode < 400 ? 'static' : 'unmatched';
  return template.startsWith('/api/') ? template : 'static';
}

/** Counts and times every answered request except the scrapes of /metrics. */
export function installRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url === metricsPath) return;
    metrics.observeRequest(request.method, routeLabel(request, reply.statusCode), reply.statusCode, reply.elapsedTime / 1000);
  });
}

const loopbackAddresses = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** True for a request from this machine: the socket's peer, never a forwarded-for header. */
export function fromLoopback(request: FastifyRequest): boolean {
  return loopbackAddresses.has(request.socket.remoteAddress ?? '');
}

/** Compares the bearer token with METRICS_TOKEN in constant time (both hashed to the same length). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  if (!authorization?.startsWith('Bearer ')) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(authorization.slice(7).trim()), digest(token));
}

/**
 * Who may scrape: with METRICS_TOKEN set, whoever sends it as a bearer token (else 401); without
 * it, only a process on this machine, and not through a reverse proxy on it (which connects from
 * loopback too but adds X-Forwarded-For); anyone else gets the 404 of a route that does not exist.
 */
function checkScraper(request: FastifyRequest, reply: FastifyReply, token: string | null): void {
  if (token !== null) {
    if (bearerMatches(request.headers.authorization, token)) return;
    reply.header('www-authenticate', 'Bearer realm="metrics"');
    throw new AppError(401, 'METRICS_TOKEN_INVALID', 'Send the metrics token as Authorization: Bearer <METRICS_TOKEN>');
  }
  const proxied = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
  if (!fromLoopback(request) || proxied) throw new AppError(404, 'NOT_FOUND', `No route ${request.method} ${metricsPath}`);
}

/**
 * GET /metrics in Prometheus's text format, outside /api where scrapers look for it. The guard
 * leaves routes outside /api alone (no session, no CSRF, no rate-limit class), so the route checks
 * its callers itself in its own onRequest hook, before any work.
 */
export function metricsRoutes(app: FastifyInstance, metrics: Metrics, token: string | null): void {
  app.get(
    metricsPath,
    {
      schema: { hide: true },
      onRequest: async (request, reply) => {
        reply.header('cache-control', 'no-store');
        checkScraper(request, reply, token);
      },
    },
    async (_request, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's metrics (buildApp's `options.metrics`, or its own): the job runner records here. */
    metrics: Metrics;
  }
}
