import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../auth/guard';
import { idParams } from '../units/units.schemas';
import { createPersonBody, personExportQuery, personList, personQuery, personSchema, unmaskBody, unmaskResult, updatePersonBody } from './people.schemas';
import type { PeopleService } from './people.service';

const tags = ['people'];
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const writers = 'person.write (any person, any field) or access.write (residents, family members, contractors and visitors; and the registry fields of employees)';

export function peopleRoutes(app: FastifyInstance, people: PeopleService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/people',
    {
      config: { access: 'person.read' },
      schema: {
        tags,
        summary: 'People in my scope: by name or code prefix (q), exact ID number or phone (blind index), site, household, category; paged with page/pageSize, else every match. ID numbers and phones are masked',
        querystring: personQuery,
        response: { 200: personList },
      },
    },
    (request) => people.list(actorOf(request), request.query),
  );
  r.get(
    '/api/people/export.xlsx',
    {
      config: { access: 'person.read' },
      schema: { tags, summary: 'The registry in my scope as xlsx, filtered like the list; ID numbers and phones masked; audited', querystring: personExportQuery, produces: [xlsx], response: { 200: z.string().describe('xlsx') } },
    },
    async (request, reply) => {
      const body = await people.exportXlsx(request.ctx, actorOf(request), request.query);
      return reply
        .header('content-type', xlsx)
        .header('content-disposition', 'attachment; filename="pacesetter-people.xlsx"')
        .send(body as unknown as string); // a file, sent as is
    },
  );
  r.get('/api/people/:id', { config: { access: 'person.read' }, schema: { tags, summary: 'One person (ID number and phone masked)', params: idParams, response: { 200: personSchema } } }, (request) =>
    people.get(actorOf(request), request.params.id),
  );
  // Who may write is decided per person and field (people.registry.ts writeRight): the route lets every signed-in user through.
  r.post(
    '/api/people',
    { config: { access: 'authenticated' }, schema: { tags, summary: `Register a person; needs ${writers}`, body: createPersonBody, response: { 201: personSchema } } },
    async (request, reply) => reply.status(201).send(await people.create(request.ctx, actorOf(request), request.body)),
  );
  r.patch(
    '/api/people/:id',
    { config: { access: 'authenticated' }, schema: { tags, summary: `Edit a person (null clears a field); needs ${writers}`, params: idParams, body: updatePersonBody, response: { 200: personSchema } } },
    (request) => people.update(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/people/:id/unmask',
    {
      config: { access: 'personal.unmask' },
      schema: { tags, summary: 'The full ID number or phone of a person, with a reason (at least 4 characters); audited as person.unmask with the field and the reason, never the value', params: idParams, body: unmaskBody, response: { 200: unmaskResult } },
    },
    (request) => people.unmask(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.get(
    '/api/people/:id/photo',
    { config: { access: 'access.read' }, schema: { tags, summary: 'The person’s photo (JPEG or PNG); audited as person.photo.view', params: idParams, produces: ['image/jpeg', 'image/png'], response: { 200: z.string().describe('the image') } } },
    async (request, reply) => {
      const photo = await people.photo(request.ctx, actorOf(request), request.params.id);
      return reply.header('content-type', photo.type).send(photo.bytes as unknown as string); // a file, sent as is
    },
  );
}
