import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { anomalyList, anomalyParams, anomalyQuery, anomalyRow } from './anomalies.schemas';
import type { AnomalyService } from './anomalies.service';

const tags = ['energy'];

/** The energy anomalies (EN_DRIFT, EN_CHART warnings) with their evidence, for the anomaly list and view. */
export function anomalyRoutes(app: FastifyInstance, anomalies: AnomalyService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/energy/anomalies',
    {
      config: { access: 'indicator.read' },
      schema: {
        tags,
        summary: 'Energy anomalies of the units in your scope (default: pending, firing and resolved), each with its evidence: the baseline, the days with expected use and CUSUM, the threshold, the control limits',
        querystring: anomalyQuery,
        response: { 200: anomalyList },
      },
    },
    (request) => anomalies.list(actorOf(request), request.query),
  );
  r.get(
    '/api/energy/anomalies/:id',
    { config: { access: 'indicator.read' }, schema: { tags, summary: 'One energy anomaly with its evidence (404 ANOMALY_NOT_FOUND outside your scope)', params: anomalyParams, response: { 200: anomalyRow } } },
    (request) => anomalies.get(actorOf(request), request.params.id),
  );
}
