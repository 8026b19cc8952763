import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  chainGraph,
  chainQuery,
  createExposureBody,
  createExposureResult,
  exposureList,
  exposureParams,
  exposureQuery,
  exposureSchema,
  suggestionList,
  suggestionQuery,
  withdrawBody,
} from './exposures.schemas';
import type { ExposureService } from './exposures.service';

const tags = ['health'];

/** Contacts and exposures (密切接触者), contact suggestions and the transmission chain (issue 7). */
export function exposureRoutes(app: FastifyInstance, exposures: ExposureService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/health/exposures',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary:
          "Record an exposure of a contact to a case (people by code) in the active incident. A close contact is quarantined (follow-up window from the day after the latest exposure; a later one moves it), gets an open CONTACT case and a refreshed status. Audited",
        body: createExposureBody,
        response: { 201: createExposureResult },
      },
    },
    async (request, reply) => reply.status(201).send(await exposures.create(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/health/exposures/:id/withdraw',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: "Withdraw an exposure entered by mistake, with a reason; the contact's status is refreshed, their quarantine stays until released. Audited",
        params: exposureParams,
        body: withdrawBody,
        response: { 200: exposureSchema },
      },
    },
    (request) => exposures.withdraw(request.ctx, actorOf(request), request.params.id, request.body.reason),
  );
  r.get(
    '/api/health/exposures',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'Exposures by source (case) or contact, of the active incident by default; names masked', querystring: exposureQuery, response: { 200: exposureList } },
    },
    (request) => exposures.list(actorOf(request), request.query),
  );
  r.get(
    '/api/health/exposures/suggestions',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: "People to consider as contacts of a case: their household, and people who passed the same checkpoint within ±windowMinutes of the case's gate events in the last days; already linked people left out; names masked",
        querystring: suggestionQuery,
        response: { 200: suggestionList },
      },
    },
    (request) => exposures.suggestions(actorOf(request), request.query),
  );
  r.get(
    '/api/health/chains',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'The transmission chain of an incident (default the active one) as a graph: people (masked) with classification, status and quarantine; active exposures as edges; clusters (connected components)',
        querystring: chainQuery,
        response: { 200: chainGraph },
      },
    },
    (request) => exposures.chains(actorOf(request), request.query),
  );
}
