import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { overviewQuery, overviewResult } from './overview.schemas';
import type { OverviewService } from './overview.service';

/** The energy dashboard's totals and the Sankey's flows (issue 5, part 6). */
export function energyOverviewRoutes(app: FastifyInstance, overview: OverviewService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/energy/overview',
    {
      config: { access: 'indicator.read' },
      schema: {
        tags: ['energy'],
        summary: 'Energy dashboard: consumption per unit and carrier, totals per carrier and the flows down the meter tree between units (the Sankey), over a range of days',
        querystring: overviewQuery,
        response: { 200: overviewResult },
      },
    },
    (request) => overview.overview(actorOf(request), request.query),
  );
}
