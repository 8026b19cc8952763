import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { deleteTravelResult, submitTravelBody, submitTravelResult, travelHistory, travelParams, travelQuery } from './travel.schemas';
import type { TravelService } from './travel.service';

const tags = ['health'];

/** Travel histories (旅居史) of the last days before returning (issue 7 item 3). */
export function travelRoutes(app: FastifyInstance, travel: TravelService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/health/travel',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Submit stays of an itinerary: your own, a household member’s, or (health.declare / health.write) of a person in your scope; they go onto the pending returning-staff screening (audited)',
        description:
          'Needs an active incident that covers the person. Each stay ends within the incident’s look-back (default 15 days) or later and does not start in the future (422 STAY_OUTSIDE_LOOKBACK / STAY_IN_FUTURE / STAY_DATES_REVERSED with the `index`). The address is stored encrypted. The person’s status is recomputed.',
        body: submitTravelBody,
        response: { 201: submitTravelResult },
      },
    },
    async (request, reply) => reply.status(201).send(await travel.submit(request.ctx, actorOf(request), request.body)),
  );
  r.get(
    '/api/health/travel',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'A person’s stays in your scope, newest first, each with the risk areas it falls in (name and addresses masked)', querystring: travelQuery, response: { 200: travelHistory } },
    },
    (request) => travel.ofPerson(actorOf(request), request.query.person),
  );
  r.get(
    '/api/health/travel/mine',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Your own stays with the risk areas they fall in (addresses in full)', response: { 200: travelHistory } } },
    (request) => travel.mine(actorOf(request)),
  );
  r.delete(
    '/api/health/travel/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Delete a stay (same rights as submitting; 409 SCREENING_DECIDED once a decided screening rests on it; audited)',
        params: travelParams,
        response: { 200: deleteTravelResult },
      },
    },
    (request) => travel.remove(request.ctx, actorOf(request), request.params.id),
  );
}
