import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  createSchemeBody,
  historyQuery,
  historyResponse,
  publishBody,
  publishResponse,
  putSchemeBody,
  resultsQuery,
  resultsResponse,
  schemeList,
  schemeParams,
  schemeSchema,
  vetoBody,
  vetoResponse,
} from './evaluations.schemas';
import type { EvaluationService } from './evaluations.service';

const tags = ['evaluation'];

export function evaluationRoutes(app: FastifyInstance, evaluations: EvaluationService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/evaluation-schemes', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Evaluation schemes with their items and units', response: { 200: schemeList } } }, async () => ({ items: await evaluations.schemes() }));
  const schemeDescription =
    'The whole scheme: names, aggregation, item and total decimals, grading ({method: percentile, cuts} or {method: bands, cuts?}), pay ({points: [[score, coefficient]…]} or {grades: {A…E}}, optional cadre: {multiplier, min, max}), unit codes and dated items (indicator, method, measure, params per method, weight, validFrom, validTo). Every problem is reported at once: 422 SCHEME_INVALID with details.issues [{path, code, message}]. Published versions never change.';
  r.post(
    '/api/evaluation-schemes',
    { config: { access: 'evaluation.write' }, schema: { tags, summary: 'Create an evaluation scheme', description: schemeDescription, body: createSchemeBody, response: { 201: schemeSchema } } },
    async (request, reply) => reply.status(201).send(await evaluations.createScheme(request.ctx, request.body)),
  );
  r.put(
    '/api/evaluation-schemes/:code',
    { config: { access: 'evaluation.write' }, schema: { tags, summary: 'Replace an evaluation scheme whole (with its version; 409 when stale)', description: schemeDescription, params: schemeParams, body: putSchemeBody, response: { 200: schemeSchema } } },
    (request) => evaluations.putScheme(request.ctx, request.params.code, request.body),
  );
  r.get(
    '/api/evaluations/history',
    {
      config: { access: 'indicator.read' },
      schema: {
        tags,
        summary: "A unit's evaluation history: the latest published version of each period, and live drafts (status draft) of the months not published",
        querystring: historyQuery,
        response: { 200: historyResponse },
      },
    },
    (request) => evaluations.history(actorOf(request), request.query.scheme, request.query.unit, request.query),
  );
  r.get(
    '/api/evaluations/results',
    {
      config: { access: 'indicator.read' },
      schema: {
        tags,
        summary: "A scheme's results for a period: scores, ranks, grades, pay coefficients, every item explained",
        description:
          'Published results come frozen from the latest publication, with draftDiffers and changes when computing now would give other results; otherwise they are computed live from approved, not suspect data (status draft). Rows are limited to the units in the caller\'s data scope. Items score out of 100 (add-deduct points × 100 ÷ basePoints).',
        querystring: resultsQuery,
        response: { 200: resultsResponse },
      },
    },
    (request) => evaluations.results(actorOf(request), request.query.scheme, request.query.period),
  );
  r.post(
    '/api/evaluations/publish',
    { config: { access: 'period.lock' }, schema: { tags, summary: 'Freeze the results of a period as a new version; lists whose score changed since the last one', body: publishBody, response: { 201: publishResponse } } },
    async (request, reply) => reply.status(201).send(await evaluations.publish(request.ctx, request.body.scheme, request.body.period)),
  );
  r.post(
    '/api/evaluations/vetoes',
    { config: { access: 'indicator.write' }, schema: { tags, summary: 'One-vote veto (一票否决): zero a unit of a scheme for a period, with the reason', body: vetoBody, response: { 201: vetoResponse } } },
    async (request, reply) => reply.status(201).send(await evaluations.veto(request.ctx, actorOf(request), request.body)),
  );
}
