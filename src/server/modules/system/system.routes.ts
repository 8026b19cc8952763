import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DatabaseKind } from '../../db/database';
import { healthResponse } from './system.schemas';

export function systemRoutes(app: FastifyInstance, info: { database: DatabaseKind; version: string }): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    { config: { access: 'public' }, schema: { tags: ['system'], summary: 'Liveness and the database in use', response: { 200: healthResponse } } },
    () => ({ status: 'ok' as const, database: info.database, version: info.version }),
  );
}
