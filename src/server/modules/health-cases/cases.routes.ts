import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../auth/guard';
import type { CaseExport } from './cases.export';
import { caseCard, caseExportQuery, caseLedger, caseParams, caseQuery, classifyBody, closeBody, followUpBody, followUpResult, openCaseBody, openCaseResult } from './cases.schemas';
import type { CaseService } from './cases.service';

const tags = ['health'];
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Abnormal cases (异常情况): the ledger, its export, the tracking card and the actions on a case (issue 7). */
export function caseRoutes(app: FastifyInstance, cases: CaseService, exports: CaseExport): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/cases',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'The abnormal-case ledger (异常情况台账) of the people in your scope: filtered, paged, names masked; with totals and the daily opened/closed/open counts of the period (default: the active incident)',
        querystring: caseQuery,
        response: { 200: caseLedger },
      },
    },
    (request) => cases.list(actorOf(request), request.query),
  );
  r.get(
    '/api/health/cases/export.xlsx',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'The ledger as xlsx (cases and daily counts), filtered like the list; names and phones masked unless unmask=true with a reason and personal.unmask (audited)',
        querystring: caseExportQuery,
        produces: [xlsx],
        response: { 200: z.string().describe('xlsx') },
      },
    },
    async (request, reply) => {
      const file = await exports.xlsx(request.ctx, actorOf(request), request.query);
      return reply
        .header('content-type', xlsx)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.body as unknown as string); // a file, sent as is
    },
  );
  r.get(
    '/api/health/cases/:id',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'The tracking card (异常情况跟踪卡): the case, the person (masked) with their status and its rule, and the timeline: opening, follow-ups, gate events, declarations, quarantines, transfers, exposures, classification, closure',
        params: caseParams,
        response: { 200: caseCard },
      },
    },
    (request) => cases.card(actorOf(request), request.params.id),
  );
  r.post(
    '/api/health/cases',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: "Open a case by hand (source manual, the active incident's); when the person has an open case the cause is written on its card instead (opened: false). Refreshes the person's status",
        body: openCaseBody,
        response: { 201: openCaseResult },
      },
    },
    async (request, reply) => reply.status(201).send(await cases.open(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/health/cases/:id/follow-ups',
    {
      config: { access: 'health.declare' },
      schema: {
        tags,
        summary: "Record a follow-up on an open case (who, temperature, condition, action; default now); a fever by the incident's threshold is flagged. Audited without the values",
        params: caseParams,
        body: followUpBody,
        response: { 201: followUpResult },
      },
    },
    async (request, reply) => reply.status(201).send(await cases.followUp(request.ctx, actorOf(request), request.params.id, request.body)),
  );
  r.post(
    '/api/health/cases/:id/classify',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: "Classify an open case (unclassified, suspected, confirmed, excluded) with a note; suspected and confirmed make the person red through the status rules. Audited; answers the card",
        params: caseParams,
        body: classifyBody,
        response: { 200: caseCard },
      },
    },
    (request) => cases.classify(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/health/cases/:id/close',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: "Close an open case with its outcome and a note (422 CASE_CLOSED when already closed); refreshes the person's status. Audited; answers the card",
        params: caseParams,
        body: closeBody,
        response: { 200: caseCard },
      },
    },
    (request) => cases.close(request.ctx, actorOf(request), request.params.id, request.body),
  );
}
