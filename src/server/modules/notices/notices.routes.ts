import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../auth/guard';
import { emptyBody } from '../notifications/notifications.schemas';
import { noticeDetail, noticeList, noticeParams, noticeQuery, noticeReads, publishBody, publishResult, readReceipt } from './notices.schemas';
import type { NoticeService } from './notices.service';

const tags = ['notices'];

export function noticeRoutes(app: FastifyInstance, notices: NoticeService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/notices',
    { config: { access: 'problem.read' }, schema: { tags, summary: 'The notice board: weekly notices (周通报) and your own daily digests, newest first, with your read state', querystring: noticeQuery, response: { 200: noticeList } } },
    (request) => notices.list(actorOf(request), request.query),
  );
  r.get(
    '/api/notices/:id',
    { config: { access: 'problem.read' }, schema: { tags, summary: 'One notice; a weekly notice shows the units in your data scope only', params: noticeParams, response: { 200: noticeDetail } } },
    (request) => notices.get(actorOf(request), request.params.id),
  );
  r.post(
    '/api/notices/:id/read',
    { config: { access: 'problem.read' }, schema: { tags, summary: 'Read receipt (idempotent: the first read time is kept)', params: noticeParams, body: emptyBody, response: { 200: readReceipt } } },
    (request) => notices.markRead(request.ctx, actorOf(request), request.params.id),
  );
  r.get(
    '/api/notices/:id/reads',
    { config: { access: 'supervision.write' }, schema: { tags, summary: 'Who has read the notice and who has not (users with problem.read in your scope)', params: noticeParams, response: { 200: noticeReads } } },
    (request) => notices.reads(actorOf(request), request.params.id),
  );
  r.get(
    '/api/notices/:id/export.xlsx',
    {
      config: { access: 'problem.read' },
      schema: { tags, summary: 'The notice as an xlsx workbook: one sheet per section, cut to your data scope', params: noticeParams, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: { 200: z.string().describe('xlsx') } },
    },
    async (request, reply) => {
      const file = await notices.workbook(actorOf(request), request.params.id);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.body as unknown as string); // a file, sent as is
    },
  );
  r.post(
    '/api/notices/publish',
    {
      config: { access: 'supervision.write' },
      schema: { tags, summary: 'Publish the weekly notice now (default: the previous week). Idempotent: an existing notice is answered with published: false', body: publishBody, response: { 200: publishResult } },
    },
    (request) => notices.publish(request.ctx, actorOf(request), request.body),
  );
}
