import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../auth/guard';
import { groupQuery, groupView, monthlyQuery } from './analysis.schemas';
import type { AnalysisService } from './analysis.service';

const tags = ['analysis'];

export function analysisRoutes(app: FastifyInstance, analysis: AnalysisService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/analysis/group',
    { config: { access: 'indicator.read' }, schema: { tags, summary: 'Group view: units × indicators attainment, records and weak spots for a period', querystring: groupQuery, response: { 200: groupView } } },
    (request) => analysis.group(actorOf(request), request.query.period, request.query.scope),
  );
  r.get(
    '/api/reports/monthly.xlsx',
    {
      config: { access: 'indicator.read' },
      schema: { tags, summary: 'The monthly benchmarking report (对标月报) as an xlsx workbook', querystring: monthlyQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: { 200: z.string().describe('xlsx') } },
    },
    async (request, reply) => {
      const body = await analysis.monthlyWorkbook(request.ctx, actorOf(request), request.query.period, request.query.lang);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="pacesetter-monthly-${request.query.period}.xlsx"`)
        .send(body as unknown as string); // a file, sent as is
    },
  );
}
