import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config';
import { noContent } from '../../errors.schemas';
import { actorOf, secureSessionCookie, sessionCookie, sessionCookieOf } from '../../auth/guard';
import {
  changePasswordBody,
  demoAccounts,
  emptyBody,
  localeBody,
  loginBody,
  meSchema,
  mfaCodeBody,
  mfaEnrolment,
  sessionList,
  sessionResponse,
} from './auth.schemas';
import type { AuthService } from './auth.service';

const tags = ['auth'];

export function authRoutes(app: FastifyInstance, auth: AuthService, config: Config): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/auth/demo-accounts', { config: { access: 'public' }, schema: { tags, summary: 'Demo accounts (demo mode only)', response: { 200: demoAccounts } } }, () =>
    auth.demoAccounts(),
  );

  r.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: { max: config.lockout.ipPerMinute, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Sign in; sets the session cookie',
        description:
          'The cookie is `__Host-ps_session` (Secure) over HTTPS and `ps_session` over plain HTTP. An account with a second factor needs `code`: ' +
          'without it the answer is 401 MFA_REQUIRED, a wrong or already used code gives 401 MFA_INVALID and counts toward the lockout. ' +
          'A session cookie the request carries is ended (session fixation).',
        body: loginBody,
        response: { 200: sessionResponse },
      },
    },
    async (request, reply) => {
      const carried = [request.cookies[sessionCookie], request.cookies[secureSessionCookie]].filter((v): v is string => typeof v === 'string' && v !== '');
      const result = await auth.login(request.ctx, request.body, carried);
      reply.setCookie(sessionCookieOf(request), result.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        expires: result.expiresAt,
      });
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );

  r.post(
    '/api/auth/logout',
    { config: { access: 'authenticated', duringPasswordChange: true }, schema: { tags, summary: 'Sign out; ends the session on the server', response: { 204: noContent } } },
    async (request, reply) => {
      await auth.logout(request.ctx, actorOf(request));
      reply.clearCookie(sessionCookieOf(request), { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/auth/me',
    { config: { access: 'authenticated', duringPasswordChange: true }, schema: { tags, summary: 'The signed-in user', response: { 200: sessionResponse } } },
    async (request) => {
      const actor = actorOf(request);
      return { user: await auth.toMe(actor), csrfToken: actor.csrfToken ?? '' };
    },
  );

  r.put(
    '/api/auth/password',
    {
      config: { access: 'authenticated', duringPasswordChange: true, rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: { tags, summary: 'Change my password (ends my other sessions)', body: changePasswordBody, response: { 204: noContent } },
    },
    async (request, reply) => {
      await auth.changePassword(request.ctx, actorOf(request), request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/auth/mfa/enrolment',
    {
      config: { access: 'authenticated', duringPasswordChange: true, rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: { tags, summary: 'Start setting up two-step verification: a new TOTP secret, shown this once', body: emptyBody, response: { 200: mfaEnrolment } },
    },
    (request) => auth.startEnrolment(request.ctx, actorOf(request)),
  );

  r.post(
    '/api/auth/mfa/enrolment/confirm',
    {
      config: { access: 'authenticated', duringPasswordChange: true, rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: { tags, summary: 'Finish the set-up with a code from the app (ends my other sessions)', body: mfaCodeBody, response: { 200: meSchema } },
    },
    (request) => auth.confirmEnrolment(request.ctx, actorOf(request), request.body.code),
  );

  r.post(
    '/api/auth/mfa/disable',
    {
      config: { access: 'authenticated', rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: { tags, summary: 'Turn two-step verification off with a current code (not when a role requires it)', body: mfaCodeBody, response: { 200: meSchema } },
    },
    (request) => auth.disableMfa(request.ctx, actorOf(request), request.body.code),
  );

  r.put(
    '/api/auth/locale',
    { config: { access: 'authenticated', duringPasswordChange: true }, schema: { tags, summary: 'Remember my language', body: localeBody, response: { 204: noContent } } },
    async (request, reply) => {
      await auth.setLocale(request.ctx, actorOf(request), request.body.locale);
      return reply.status(204).send(null);
    },
  );

  r.get('/api/auth/sessions', { config: { access: 'authenticated' }, schema: { tags, summary: 'My live sessions', response: { 200: sessionList } } }, async (request) => ({
    items: await auth.listSessions(actorOf(request)),
  }));

  r.delete(
    '/api/auth/sessions/:id',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'End one of my sessions', params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/) }), response: { 204: noContent } } },
    async (request, reply) => {
      await auth.endOwnSession(request.ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
