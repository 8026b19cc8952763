import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { createVisitBody, decideVisitBody, visitList, visitParams, visitQuery, visitSchema } from './visitors.schemas';
import type { VisitService } from './visitors.service';

const tags = ['access'];

/** Visitor pre-registration (访客预约), decided by the host or an access administrator (issue 6). */
export function visitRoutes(app: FastifyInstance, visits: VisitService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/visits',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Visits: of the sites in your scope (access.read) and the ones you host or registered; newest first, at most 1000',
        description: '`date` keeps the visits overlapping that local day; `mine=true` only the visits you host.',
        querystring: visitQuery,
        response: { 200: visitList },
      },
    },
    (request) => visits.list(actorOf(request), request.query),
  );
  r.get('/api/visits/:id', { config: { access: 'authenticated' }, schema: { tags, summary: 'One visit (its host, its registrant or an access reader of its site)', params: visitParams, response: { 200: visitSchema } } }, (request) =>
    visits.get(actorOf(request), request.params.id),
  );
  r.post(
    '/api/visits',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Pre-register a visit (pending until the host approves): access.write for the sites in your scope, or anyone for a visit they host',
        description:
          '`visitor` is `{ "code" }` of a registered person, or `{ "name", "idType"?, "idNumber"?, "phone"?, "sex"? }`: found by ID number (blind index) when registered before, else registered as a visitor (ID number and phone encrypted). `endsAt` is after `startsAt`, at most 7 days later, and not past.',
        body: createVisitBody,
        response: { 201: visitSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await visits.create(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/visits/:id/approve',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Approve a pending visit (the host, or access.write for the site): issues the visitor a pass for the visit’s dates and hours at that site (`passId`)',
        params: visitParams,
        body: decideVisitBody,
        response: { 200: visitSchema },
      },
    },
    (request) => visits.approve(request.ctx, actorOf(request), request.params.id, request.body.note),
  );
  r.post(
    '/api/visits/:id/reject',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Reject a pending visit (the host, or access.write for the site)', params: visitParams, body: decideVisitBody, response: { 200: visitSchema } } },
    (request) => visits.reject(request.ctx, actorOf(request), request.params.id, request.body.note),
  );
}
