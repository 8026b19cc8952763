import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { confirmBody, createRuleBody, putRuleBody, ruleList, ruleParams, ruleQuery, ruleSchema, scanBody, scanResult, warningList, warningParams, warningQuery, warningSchema } from './warnings.schemas';
import type { WarningService } from './warnings.service';

const tags = ['warnings'];

export function warningRoutes(app: FastifyInstance, warnings: WarningService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/warnings', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Warnings of the units in your scope (without state: all but inactive)', querystring: warningQuery, response: { 200: warningList } } }, (request) =>
    warnings.list(actorOf(request), request.query),
  );
  r.post(
    '/api/warnings/:id/confirm',
    { config: { access: 'measurement.enter' }, schema: { tags, summary: "Confirm the values a data-quality warning holds back (with a reason): they count again and the warning resolves", params: warningParams, body: confirmBody, response: { 200: warningSchema } } },
    (request) => warnings.confirm(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post('/api/warnings/scan', { config: { access: 'indicator.write' }, schema: { tags, summary: 'Evaluate every warning rule now (the warnings-scan job)', body: scanBody, response: { 200: scanResult } } }, (request) => warnings.scan(request.ctx));
  r.get('/api/warning-rules', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Warning rules, in the order they apply', querystring: ruleQuery, response: { 200: ruleList } } }, (request) => warnings.rules(request.query.indicator));
  r.post(
    '/api/warning-rules',
    { config: { access: 'indicator.write' }, schema: { tags, summary: 'Add a warning rule: a code with its own parameters, debounce, notices and mutes', body: createRuleBody, response: { 201: ruleSchema } } },
    async (request, reply) => reply.status(201).send(await warnings.createRule(request.ctx, actorOf(request), request.body)),
  );
  r.put(
    '/api/warning-rules/:id',
    { config: { access: 'indicator.write' }, schema: { tags, summary: "Replace a rule's parameters, debounce, notices, mutes and order (the code stays)", params: ruleParams, body: putRuleBody, response: { 200: ruleSchema } } },
    (request) => warnings.putRule(request.ctx, request.params.id, request.body),
  );
}
