import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { scorecardQuery, scorecardResponse } from './scorecard.schemas';
import type { ScorecardService } from './scorecard.service';

export function scorecardRoutes(app: FastifyInstance, scorecards: ScorecardService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/scorecard',
    {
      config: { access: 'indicator.read' },
      schema: {
        tags: ['scorecard'],
        summary: "A unit's scorecard for a period (YYYY-MM, YYYY-Qn or YYYY), this period or year to date",
        description: 'Values are rounded to each indicator’s precision; completionRate, yoy and pop are percentages with one decimal; gaps are signed so that positive is better; null means it cannot be computed.',
        querystring: scorecardQuery,
        response: { 200: scorecardResponse },
      },
    },
    (request) => scorecards.scorecard(actorOf(request), request.query.unit, request.query.period, request.query.scope),
  );
}
