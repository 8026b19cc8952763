import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { createPointBody, deactivatePointBody, pointList, pointParams, pointQuery, pointSchema, publicPointQuery, publicPoints, putPointBody } from './supply-points.schemas';
import type { SupplyPointService } from './supply-points.service';

const tags = ['health'];

/** Supply points (供应点) with opening hours, and the public page that lists them (issue 7). */
export function supplyPointRoutes(app: FastifyInstance, points: SupplyPointService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/supply-points',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'Supply points of the sites in your scope (or of one site), with whether each is open now', querystring: pointQuery, response: { 200: pointList } },
    },
    (request) => points.list(actorOf(request), request.query),
  );
  r.post(
    '/api/health/supply-points',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Add a supply point to a site in your scope (audited)',
        description: '`openingHours`: `[{ "days": [1, 2, 3, 4, 5], "from": "08:00", "to": "18:00" }]`, ISO weekdays (Monday = 1) and Asia/Shanghai local times; a window whose end is not after its start runs past midnight.',
        body: createPointBody,
        response: { 201: pointSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await points.create(request.ctx, actorOf(request), request.body)),
  );
  r.put(
    '/api/health/supply-points/:id',
    {
      config: { access: 'health.write' },
      schema: { tags, summary: 'Replace a supply point’s name, location, goods, hours and phone (with its version; audited)', params: pointParams, body: putPointBody, response: { 200: pointSchema } },
    },
    (request) => points.update(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/health/supply-points/:id/deactivate',
    {
      config: { access: 'health.write' },
      schema: { tags, summary: 'Take a supply point off the public page (audited; 409 SUPPLY_POINT_INACTIVE when it already is)', params: pointParams, body: deactivatePointBody, response: { 200: pointSchema } },
    },
    (request) => points.deactivate(request.ctx, actorOf(request), request.params.id, request.body.version),
  );
  r.get(
    '/api/public/supply-points',
    {
      // Anyone may read it (a page residents open on their phones); rate-limited per address.
      config: { access: 'public', rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Public: the active supply points by community, with their hours and whether each is open now (no sign-in, no personal data)',
        querystring: publicPointQuery,
        response: { 200: publicPoints },
      },
    },
    (request) => points.publicList(request.query),
  );
}
