import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { createSupervisionBody, supervisionDetail, supervisionList, supervisionParams, supervisionQuery, transitionBody } from './supervision.schemas';
import type { SupervisionService } from './supervision.service';

const tags = ['supervision'];

export function supervisionRoutes(app: FastifyInstance, supervision: SupervisionService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/supervision',
    { config: { access: 'problem.read' }, schema: { tags, summary: 'The supervision sheet (督办): items of the units in your scope and your own, with lights as of now', querystring: supervisionQuery, response: { 200: supervisionList } } },
    (request) => supervision.list(actorOf(request), request.query),
  );
  r.get(
    '/api/supervision/:id',
    { config: { access: 'problem.read' }, schema: { tags, summary: 'One supervision item with its steps (notes, evidence, who, when)', params: supervisionParams, response: { 200: supervisionDetail } } },
    (request) => supervision.get(actorOf(request), request.params.id),
  );
  r.post(
    '/api/supervision',
    { config: { access: 'supervision.write' }, schema: { tags, summary: 'Assign a supervision item (下达督办), from a problem or standalone; the owner is notified', body: createSupervisionBody, response: { 201: supervisionDetail } } },
    async (request, reply) => reply.status(201).send(await supervision.create(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/supervision/:id/transition',
    {
      config: { access: 'problem.write' },
      schema: {
        tags,
        summary: 'One step: accept, start, report (note + evidence), approve (销号, the reviewer), reject (reason), cancel (the supervisor)',
        params: supervisionParams,
        body: transitionBody,
        response: { 200: supervisionDetail },
      },
    },
    (request) => supervision.transition(request.ctx, actorOf(request), request.params.id, request.body),
  );
}
