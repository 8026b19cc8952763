import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { ideaList, ideaParams, ideaQuery, ideaSchema, ideaSummary, reviewIdeaBody, submitIdeaBody, summaryQuery } from './ideas.schemas';
import type { IdeaService } from './ideas.service';

const tags = ['ideas'];

export function ideaRoutes(app: FastifyInstance, ideas: IdeaService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/ideas',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Submit an improvement idea (金点子) or small improvement (小改小革) for your own unit', body: submitIdeaBody, response: { 201: ideaSchema } } },
    async (request, reply) => reply.status(201).send(await ideas.submit(request.ctx, actorOf(request), request.body)),
  );
  r.get('/api/ideas', { config: { access: 'problem.read' }, schema: { tags, summary: 'Ideas of the units in your scope, newest first', querystring: ideaQuery, response: { 200: ideaList } } }, async (request) => ({ items: await ideas.list(actorOf(request), request.query) }));
  r.get('/api/ideas/summary', { config: { access: 'problem.read' }, schema: { tags, summary: 'Ideas of a year by unit: submitted, adopted, implemented, rejected and the benefit (yuan)', querystring: summaryQuery, response: { 200: ideaSummary } } }, (request) =>
    ideas.summary(actorOf(request), request.query.year),
  );
  r.post(
    '/api/ideas/:id/review',
    { config: { access: 'improvement.review' }, schema: { tags, summary: 'Review an idea: start, adopt (benefit), reject (note) or implement (benefit); needs its version', params: ideaParams, body: reviewIdeaBody, response: { 200: ideaSchema } } },
    (request) => ideas.review(request.ctx, actorOf(request), request.params.id, request.body),
  );
}
