import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createRoleBody, permissionList, roleList, roleParams, roleSchema, updateRoleBody } from './roles.schemas';
import type { RoleService } from './roles.service';

const tags = ['roles'];

export function roleRoutes(app: FastifyInstance, roles: RoleService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/roles', { config: { access: 'role.read' }, schema: { tags, summary: 'Roles with their permissions and data scope', response: { 200: roleList } } }, async () => ({
    items: await roles.list(),
  }));
  r.get('/api/permissions', { config: { access: 'role.read' }, schema: { tags, summary: 'Every permission', response: { 200: permissionList } } }, () => ({
    items: roles.permissions(),
  }));
  r.post('/api/roles', { config: { access: 'role.write' }, schema: { tags, summary: 'Create a custom role', body: createRoleBody, response: { 201: roleSchema } } }, async (request, reply) =>
    reply.status(201).send(await roles.create(request.ctx, request.body)),
  );
  r.patch(
    '/api/roles/:code',
    { config: { access: 'role.write' }, schema: { tags, summary: 'Edit a custom role', params: roleParams, body: updateRoleBody, response: { 200: roleSchema } } },
    (request) => roles.update(request.ctx, request.params.code, request.body),
  );
}
