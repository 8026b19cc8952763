import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { noContent } from '../../errors.schemas';
import { idParams, versionBody } from '../units/units.schemas';
import { createUserBody, resetPasswordBody, setRolesBody, updateUserBody, userList, userSchema } from './users.schemas';
import type { UserService } from './users.service';

const tags = ['users'];

export function userRoutes(app: FastifyInstance, users: UserService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/users', { config: { access: 'user.read' }, schema: { tags, summary: 'Accounts in my scope', response: { 200: userList } } }, async (request) => ({
    items: await users.list(actorOf(request)),
  }));
  r.post(
    '/api/users',
    { config: { access: 'user.write' }, schema: { tags, summary: 'Create an account (must change the password at first sign-in)', body: createUserBody, response: { 201: userSchema } } },
    async (request, reply) => reply.status(201).send(await users.create(request.ctx, actorOf(request), request.body)),
  );
  r.patch(
    '/api/users/:id',
    { config: { access: 'user.write' }, schema: { tags, summary: 'Edit an account', params: idParams, body: updateUserBody, response: { 200: userSchema } } },
    (request) => users.update(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.put(
    '/api/users/:id/roles',
    { config: { access: 'user.security' }, schema: { tags, summary: "Set an account's roles", params: idParams, body: setRolesBody, response: { 200: userSchema } } },
    (request) => users.setRoles(request.ctx, actorOf(request), request.params.id, request.body.version, request.body.roleCodes),
  );
  const simple = [
    ['disable', 'Disable an account (ends its sessions)', users.disable],
    ['enable', 'Enable an account', users.enable],
    ['unlock', 'Unlock an account locked by failed sign-ins', users.unlock],
  ] as const;
  for (const [verb, summary, fn] of simple) {
    r.post(
      `/api/users/:id/${verb}`,
      { config: { access: 'user.security' }, schema: { tags, summary, params: idParams, body: versionBody, response: { 200: userSchema } } },
      (request) => fn(request.ctx, actorOf(request), request.params.id, request.body.version),
    );
  }
  r.post(
    '/api/users/:id/reset-password',
    { config: { access: 'user.security' }, schema: { tags, summary: 'Set a new password; the user must change it at next sign-in', params: idParams, body: resetPasswordBody, response: { 200: userSchema } } },
    (request) => users.resetPassword(request.ctx, actorOf(request), request.params.id, request.body.version, request.body.password),
  );
  r.delete(
    '/api/users/:id/mfa',
    {
      config: { access: 'user.security' },
      schema: { tags, summary: "Reset an account's second factor (ends its sessions; it must enrol again where its roles require one)", params: idParams, response: { 204: noContent } },
    },
    async (request, reply) => {
      await users.resetMfa(request.ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  r.delete(
    '/api/users/:id/sessions',
    { config: { access: 'user.security' }, schema: { tags, summary: "End all of an account's sessions", params: idParams, response: { 204: noContent } } },
    async (request, reply) => {
      await users.endSessions(request.ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
