import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { createVolunteerBody, putVolunteerBody, volunteerList, volunteerParams, volunteerQuery, volunteerSchema } from './volunteers.schemas';
import type { VolunteerService } from './volunteers.service';

const tags = ['health'];

/** Volunteers (志愿者) and their tasks (issue 7). */
export function volunteerRoutes(app: FastifyInstance, volunteers: VolunteerService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/volunteers',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'Volunteers in your scope (names masked), of one site when asked', querystring: volunteerQuery, response: { 200: volunteerList } },
    },
    (request) => volunteers.list(actorOf(request), request.query),
  );
  r.post(
    '/api/health/volunteers',
    {
      config: { access: 'health.write' },
      schema: { tags, summary: 'Register a person in your scope as a volunteer, with a task and when they are available (audited)', body: createVolunteerBody, response: { 201: volunteerSchema } },
    },
    async (request, reply) => reply.status(201).send(await volunteers.create(request.ctx, actorOf(request), request.body)),
  );
  r.put(
    '/api/health/volunteers/:id',
    {
      config: { access: 'health.write' },
      schema: { tags, summary: 'Change a volunteer’s task, availability or active flag (with its version; audited)', params: volunteerParams, body: putVolunteerBody, response: { 200: volunteerSchema } },
    },
    (request) => volunteers.update(request.ctx, actorOf(request), request.params.id, request.body),
  );
}
