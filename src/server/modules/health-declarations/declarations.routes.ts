import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  declarationBody,
  declarationList,
  declarationListQuery,
  declarationResult,
  myDeclarations,
  personParams,
  personTrend,
  remindBody,
  remindResult,
  trendQuery,
} from './declarations.schemas';
import type { DeclarationService } from './declarations.service';

const tags = ['health'];

/** The daily declaration (健康卡), the missing list, reminders and trends (issue 7, item 2). */
export function declarationRoutes(app: FastifyInstance, declarations: DeclarationService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/health/declarations',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary:
          'Declare a day’s health (today or yesterday) for yourself, a household member or, as a grid worker, someone in your scope: 201 new, 200 amended; refreshes the status and may open an abnormal case (audited without the values)',
        body: declarationBody,
        response: { 200: declarationResult, 201: declarationResult },
      },
    },
    async (request, reply) => {
      const { result, created } = await declarations.submit(request.ctx, actorOf(request), request.body);
      return reply.status(created ? 201 : 200).send(result);
    },
  );
  r.get(
    '/api/health/declarations/mine',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'My health card: today’s declaration, whether it is overdue, my status, the last 30 days and the household members I may declare for', response: { 200: myDeclarations } },
    },
    (request) => declarations.mine(actorOf(request)),
  );
  r.get(
    '/api/health/declarations',
    {
      config: { access: 'health.declare' },
      schema: {
        tags,
        summary: 'Who has and has not declared on a day (default today): the covered people in your scope by site, grid cell and name, with the day’s counts (names masked)',
        querystring: declarationListQuery,
        response: { 200: declarationList },
      },
    },
    (request) => declarations.list(actorOf(request), request.query),
  );
  r.post(
    '/api/health/declarations/remind',
    {
      config: { access: 'health.declare' },
      schema: {
        tags,
        summary: 'Remind people (codes, up to 500) who have not declared for a day: a reminder each and an in-app notification for those with an account (audited)',
        body: remindBody,
        response: { 200: remindResult },
      },
    },
    (request) => declarations.remind(request.ctx, actorOf(request), request.body),
  );
  r.get(
    '/api/health/people/:code/declarations',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'A person’s declarations of the last days (default 30), oldest first, for the trend chart (name masked)', params: personParams, querystring: trendQuery, response: { 200: personTrend } },
    },
    (request) => declarations.trend(actorOf(request), request.params.code, request.query.days),
  );
}
