import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  checkItemBody,
  createScreeningBody,
  decideScreeningBody,
  decideScreeningResult,
  screeningItemParams,
  screeningList,
  screeningParams,
  screeningQuery,
  screeningSchema,
} from './screenings.schemas';
import type { ScreeningService } from './screenings.service';

const tags = ['health'];

/** Returning-staff screening (返岗审核): itineraries checked item by item, then decided (issue 7 item 3). */
export function screeningRoutes(app: FastifyInstance, screenings: ScreeningService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/screenings',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'Screenings of the people in your scope in the active incident (or `incident`), newest return first, with counts by status (names masked)',
        querystring: screeningQuery,
        response: { 200: screeningList },
      },
    },
    (request) => screenings.list(actorOf(request), request.query),
  );
  r.post(
    '/api/health/screenings',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Start a screening by hand for a person and return day: its items are the person’s stays in the look-back (409 SCREENING_EXISTS for that day; audited)',
        body: createScreeningBody,
        response: { 201: screeningSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await screenings.create(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/health/screenings/:id/items/:travelRecordId',
    {
      config: { access: 'health.write' },
      schema: { tags, summary: 'Check (or uncheck) one stay of the itinerary, with a note (409 once decided; audited)', params: screeningItemParams, body: checkItemBody, response: { 200: screeningSchema } },
    },
    (request) => screenings.checkItem(request.ctx, actorOf(request), request.params.id, request.params.travelRecordId, request.body),
  );
  r.post(
    '/api/health/screenings/:id/decide',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Decide a screening: cleared, observe (opens an abnormal case) or isolate (a case and a home quarantine); every stay must be checked first (422 SCREENING_UNCHECKED; audited)',
        params: screeningParams,
        body: decideScreeningBody,
        response: { 200: decideScreeningResult },
      },
    },
    (request) => screenings.decide(request.ctx, actorOf(request), request.params.id, request.body),
  );
}
