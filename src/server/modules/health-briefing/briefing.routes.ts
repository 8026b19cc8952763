import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../auth/guard';
import { briefing, briefingHistory, dailyQuery, historyQuery } from './briefing.schemas';
import type { BriefingService } from './briefing.service';

const tags = ['health'];
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const scopeNote =
  'The headline figures and running totals cover the whole incident (the leadership overview); bySite and byUnit list only the sites and units in your data scope.';

/** The daily briefing (碰头会日报) of an incident (issue 7, item 9). */
export function briefingRoutes(app: FastifyInstance, briefings: BriefingService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/briefings/daily',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: `The daily briefing of one Asia/Shanghai day (default yesterday) of an incident (default the active one, else the last closed): declarations, fevers, abnormal cases, quarantine, follow-ups, transfers, gate traffic, supplies and donations, each with the running total, by site and unit, and a 14-day series. A purged incident's briefing is the stored copy (404 BRIEFING_NOT_STORED when none was kept); a day before the start or after today is 422 BRIEFING_DATE. ${scopeNote}`,
        querystring: dailyQuery,
        response: { 200: briefing },
      },
    },
    (request) => briefings.daily(actorOf(request), request.query),
  );
  r.get(
    '/api/health/briefings/daily.xlsx',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: `The daily briefing as an xlsx workbook: headline (figure in Chinese and English, day, running total), by site, by unit, supplies, series. ${scopeNote}`,
        querystring: dailyQuery,
        produces: [xlsxType],
        response: { 200: z.string().describe('xlsx') },
      },
    },
    async (request, reply) => {
      const file = await briefings.workbook(actorOf(request), request.query);
      return reply
        .header('content-type', xlsxType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.body as unknown as string); // a file, sent as is
    },
  );
  r.get(
    '/api/health/briefings',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'The stored daily briefings of an incident (default the active one, else the last closed), oldest first: the headline figures of each day, for a history chart',
        querystring: historyQuery,
        response: { 200: briefingHistory },
      },
    },
    (request) => briefings.history(actorOf(request), request.query),
  );
}
