import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import type { ContestService } from './contests.service';
import {
  contestBody,
  contestList,
  contestParams,
  contestQuery,
  contestSchema,
  createRuleBody,
  decideBody,
  decideResult,
  recomputeResult,
  ruleList,
  ruleParams,
  ruleTestBody,
  ruleWriteResult,
  statusParams,
  statusResultSchema,
  statusView,
  updateRuleBody,
} from './status.schemas';
import type { StatusService } from './status.service';

const tags = ['health'];

/** Status rules as data, their test bench, explained statuses and contests (issue 7, item 4). */
export function statusRoutes(app: FastifyInstance, statuses: StatusService, contests: ContestService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // ---- rules -------------------------------------------------------------------------------
  r.get(
    '/api/health/rules',
    { config: { access: 'health.read' }, schema: { tags, summary: 'The status rules (enabled and disabled) by priority: colour, condition, version', response: { 200: ruleList } } },
    () => statuses.rules(),
  );
  r.post(
    '/api/health/rules',
    {
      config: { access: 'health.admin' },
      schema: {
        tags,
        summary: 'Add a status rule (422 RULE_INVALID with the problems); the statuses of the active incident’s people are recomputed',
        body: createRuleBody,
        response: { 201: ruleWriteResult },
      },
    },
    async (request, reply) => reply.status(201).send(await statuses.createRule(request.ctx, request.body)),
  );
  r.put(
    '/api/health/rules/:code',
    {
      config: { access: 'health.admin' },
      schema: {
        tags,
        summary: 'Change or disable (enabled: false) a status rule, by version (422 RULE_INVALID); the statuses of the active incident’s people are recomputed',
        params: ruleParams,
        body: updateRuleBody,
        response: { 200: ruleWriteResult },
      },
    },
    (request) => statuses.updateRule(request.ctx, request.params.code, request.body),
  );
  r.post(
    '/api/health/rules/recompute',
    { config: { access: 'health.admin' }, schema: { tags, summary: 'Recompute the status of everyone the active incident covers under the current rules', response: { 200: recomputeResult } } },
    (request) => statuses.recompute(request.ctx),
  );
  r.post(
    '/api/health/rules/test',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'Test bench: the status some facts would get under the stored rules or draft ones, with the deciding rule and why (nothing is stored)',
        body: ruleTestBody,
        response: { 200: statusResultSchema },
      },
    },
    (request) => statuses.test(request.body),
  );

  // ---- statuses ----------------------------------------------------------------------------
  r.get(
    '/api/health/status/mine',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'My health status explained: colour, deciding rule, facts, contests (404 NO_PERSON without a linked person record)', response: { 200: statusView } } },
    (request) => statuses.mine(actorOf(request)),
  );
  r.get(
    '/api/health/status/:code',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'A person’s health status explained (name masked): colour, deciding rule, facts, contests; computed now when none is stored', params: statusParams, response: { 200: statusView } },
    },
    (request) => statuses.ofPerson(actorOf(request), request.params.code),
  );

  // ---- contests ----------------------------------------------------------------------------
  r.post(
    '/api/health/contests',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Contest a status (申诉): by the person, a household member or a grid worker whose scope reaches them; the status, rule and facts are kept as they are now',
        body: contestBody,
        response: { 201: contestSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await contests.submit(request.ctx, actorOf(request), request.body)),
  );
  r.get(
    '/api/health/contests',
    { config: { access: 'health.read' }, schema: { tags, summary: 'Contests of people in your scope, newest first (state open or decided; names masked)', querystring: contestQuery, response: { 200: contestList } } },
    (request) => contests.list(actorOf(request), request.query),
  );
  r.post(
    '/api/health/contests/:id/decide',
    {
      config: { access: 'health.admin' },
      schema: {
        tags,
        summary: 'Decide a contest: uphold the status, or overturn it to another colour until a day (default 7 days); the status is recomputed',
        params: contestParams,
        body: decideBody,
        response: { 200: decideResult },
      },
    },
    (request) => contests.decide(request.ctx, actorOf(request), request.params.id, request.body),
  );
}
