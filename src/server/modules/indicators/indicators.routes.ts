import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  assignmentList,
  createIndicatorBody,
  indicatorList,
  indicatorParams,
  indicatorSchema,
  putAssignmentsBody,
  unitCodeParams,
  updateIndicatorBody,
} from './indicators.schemas';
import type { IndicatorService } from './indicators.service';

const tags = ['indicators'];

export function indicatorRoutes(app: FastifyInstance, indicators: IndicatorService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/indicators', { config: { access: 'indicator.read' }, schema: { tags, summary: 'The indicator library', response: { 200: indicatorList } } }, async () => ({
    items: await indicators.list(),
  }));
  r.get('/api/indicators/:code', { config: { access: 'indicator.read' }, schema: { tags, summary: 'One indicator', params: indicatorParams, response: { 200: indicatorSchema } } }, (request) =>
    indicators.get(request.params.code),
  );
  r.post(
    '/api/indicators',
    { config: { access: 'indicator.write' }, schema: { tags, summary: 'Add an indicator (formulas are checked for unknown codes and cycles)', body: createIndicatorBody, response: { 201: indicatorSchema } } },
    async (request, reply) => reply.status(201).send(await indicators.create(request.ctx, request.body)),
  );
  r.patch(
    '/api/indicators/:code',
    { config: { access: 'indicator.write' }, schema: { tags, summary: 'Edit an indicator', params: indicatorParams, body: updateIndicatorBody, response: { 200: indicatorSchema } } },
    (request) => indicators.update(request.ctx, request.params.code, request.body),
  );
  r.get(
    '/api/indicator-sets/:unit',
    { config: { access: 'indicator.read' }, schema: { tags, summary: "A unit's indicator set with weights", params: unitCodeParams, response: { 200: assignmentList } } },
    (request) => indicators.assignments(actorOf(request), request.params.unit),
  );
  r.put(
    '/api/indicator-sets/:unit',
    { config: { access: 'indicator.write' }, schema: { tags, summary: "Replace a unit's indicator set", params: unitCodeParams, body: putAssignmentsBody, response: { 200: assignmentList } } },
    (request) => indicators.putAssignments(request.ctx, actorOf(request), request.params.unit, request.body.items),
  );
}
