import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database, DatabaseKind } from '../../db/database';
import { databaseRetryAfterSeconds } from '../../errors';
import { healthResponse, liveResponse, notReadyResponse, readyResponse } from './system.schemas';

/** How long the readiness probe waits for `SELECT 1` before it calls the database unavailable. */
export const readyTimeoutMs = 2000;

/** Resolves when the database answers `SELECT 1` within `timeoutMs`, rejects otherwise. */
async function ping(database: Pick<Database, 'raw'>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('readiness check timed out')), timeoutMs);
  });
  try {
    await Promise.race([database.raw('SELECT 1'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/api/live` is the liveness probe: the process answers, whatever the database does (a restart
 * would not bring PostgreSQL back), so it touches nothing. `/api/ready` is the readiness probe: 503
 * while the database cannot be reached, so a load balancer sends traffic elsewhere. `/api/health`
 * (kept for existing monitors) answers like `/api/live`, with the version and the engine. None of
 * the three has a rate-limit class (public GETs outside /api/public/): probes are never refused.
 */
export function systemRoutes(app: FastifyInstance, info: { database: DatabaseKind; version: string }, database?: Pick<Database, 'raw'>): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/api/live',
    { config: { access: 'public' }, schema: { tags: ['system'], summary: 'Liveness: the process answers (the database is not asked)', response: { 200: liveResponse } } },
    () => ({ status: 'live' as const }),
  );
  routes.get(
    '/api/health',
    { config: { access: 'public' }, schema: { tags: ['system'], summary: 'Liveness and the database in use', response: { 200: healthResponse } } },
    () => ({ status: 'ok' as const, database: info.database, version: info.version }),
  );
  if (!database) return;
  routes.get(
    '/api/ready',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], summary: 'Readiness: whether the database answers', response: { 200: readyResponse, 503: notReadyResponse } },
    },
    async (request, reply) => {
      try {
        await ping(database, readyTimeoutMs);
        return { status: 'ready' as const, database: info.database };
      } catch (e) {
        request.log.warn({ err: { code: (e as { code?: unknown }).code, message: (e as Error).message } }, 'not ready: the database does not answer');
        return reply.status(503).header('retry-after', String(databaseRetryAfterSeconds)).send({ status: 'degraded' as const, database: 'unavailable' as const });
      }
    },
  );
}
