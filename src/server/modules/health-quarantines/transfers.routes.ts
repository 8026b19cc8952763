import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { createTransferBody, transferList, transferParams, transferQuery, transferSchema } from './transfers.schemas';
import type { TransferService } from './transfers.service';

const tags = ['health'];

/** Transfers (转运): trips, the people carried and the vehicle's disinfection (issue 7). */
export function transferRoutes(app: FastifyInstance, transfers: TransferService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/transfers',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'Trips carrying people in your scope (names masked), newest first, with trips and person-trips for the period and for the whole incident (default the active one)',
        description: '`from` and `to` are local days (Asia/Shanghai), both inclusive.',
        querystring: transferQuery,
        response: { 200: transferList },
      },
    },
    (request) => transfers.list(actorOf(request), request.query),
  );
  r.post(
    '/api/health/transfers',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Record a trip of the active incident: vehicle, driver, from, to, 1–20 people by code (each linked to their open abnormal case); audited without who was carried',
        body: createTransferBody,
        response: { 201: transferSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await transfers.create(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/health/transfers/:id/disinfect',
    { config: { access: 'health.write' }, schema: { tags, summary: 'Record that the trip’s vehicle was disinfected (now; once)', params: transferParams, response: { 200: transferSchema } } },
    (request) => transfers.disinfect(request.ctx, actorOf(request), request.params.id),
  );
}
