import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { createUnitBody, deactivateUnitBody, idParams, moveUnitBody, unitList, unitSchema, updateUnitBody, versionBody } from './units.schemas';
import type { UnitService } from './units.service';

const tags = ['units'];

export function unitRoutes(app: FastifyInstance, units: UnitService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/units', { config: { access: 'unit.read' }, schema: { tags, summary: 'Units in my scope (flat; build the tree by parentId)', response: { 200: unitList } } }, async (request) => ({
    items: await units.list(actorOf(request)),
  }));
  r.post(
    '/api/units',
    { config: { access: 'unit.write' }, schema: { tags, summary: 'Create a unit', body: createUnitBody, response: { 201: unitSchema } } },
    async (request, reply) => reply.status(201).send(await units.create(request.ctx, actorOf(request), request.body)),
  );
  r.patch(
    '/api/units/:id',
    { config: { access: 'unit.write' }, schema: { tags, summary: 'Rename or edit a unit', params: idParams, body: updateUnitBody, response: { 200: unitSchema } } },
    (request) => units.update(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/units/:id/move',
    { config: { access: 'unit.write' }, schema: { tags, summary: 'Move a unit and its subtree under a new parent', params: idParams, body: moveUnitBody, response: { 200: unitSchema } } },
    (request) => units.move(request.ctx, actorOf(request), request.params.id, request.body.version, request.body.parentId),
  );
  r.post(
    '/api/units/:id/deactivate',
    { config: { access: 'unit.write' }, schema: { tags, summary: 'Deactivate a unit (units are never deleted)', params: idParams, body: deactivateUnitBody, response: { 200: unitSchema } } },
    (request) => units.deactivate(request.ctx, actorOf(request), request.params.id, request.body.version, request.body.validTo),
  );
  r.post(
    '/api/units/:id/activate',
    { config: { access: 'unit.write' }, schema: { tags, summary: 'Activate a deactivated unit', params: idParams, body: versionBody, response: { 200: unitSchema } } },
    (request) => units.activate(request.ctx, actorOf(request), request.params.id, request.body.version),
  );
}
