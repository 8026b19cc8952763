import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { idParams } from '../units/units.schemas';
import { createPersonBody, personList, personSchema, updatePersonBody } from './people.schemas';
import type { PeopleService } from './people.service';

const tags = ['people'];

export function peopleRoutes(app: FastifyInstance, people: PeopleService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/people', { config: { access: 'person.read' }, schema: { tags, summary: 'People in my scope', response: { 200: personList } } }, async (request) => ({
    items: await people.list(actorOf(request)),
  }));
  r.post('/api/people', { config: { access: 'person.write' }, schema: { tags, summary: 'Register a person', body: createPersonBody, response: { 201: personSchema } } }, async (request, reply) =>
    reply.status(201).send(await people.create(request.ctx, actorOf(request), request.body)),
  );
  r.patch(
    '/api/people/:id',
    { config: { access: 'person.write' }, schema: { tags, summary: 'Edit a person', params: idParams, body: updatePersonBody, response: { 200: personSchema } } },
    (request) => people.update(request.ctx, actorOf(request), request.params.id, request.body),
  );
}
