import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Device, RequestContext } from '../context';
import { AppError, forbidden } from '../errors';
import type { AuthService } from '../modules/auth/auth.service';
import type { RouteAccess } from '../permissions';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every /api route must say. */
    access?: RouteAccess;
    /**
     * Reachable in a limited session: while the user must change the password, or must still set
     * up the second factor its roles require.
     */
    duringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

/** The session cookie over plain HTTP (development, tests, the embedded demo). */
export const sessionCookie = 'ps_session';
/**
 * The session cookie over HTTPS: the __Host- prefix makes browsers insist on Secure, Path=/ and
 * no Domain, so neither a sibling subdomain nor a plain-HTTP page can plant or overwrite it.
 */
export const secureSessionCookie = '__Host-ps_session';

/** The session cookie's name for this request: __Host-ps_session over HTTPS (behind TRUST_PROXY too). */
export function sessionCookieOf(request: FastifyRequest): string {
  return request.protocol === 'https' ? secureSessionCookie : sessionCookie;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in actor of a guarded route (the guard has already refused anonymous calls). */
export function actorOf(request: FastifyRequest) {
  const actor = request.ctx.actor;
  if (!actor) throw new AppError(401, 'UNAUTHENTICATED', 'Sign in first');
  return actor;
}

/**
 * Authenticates every request (API token or session cookie), then enforces the route's declared
 * access, CSRF for cookie sessions, and the forced password change. Routes without a declaration
 * are refused at start-up, so none can be forgotten.
 */
export function installGuard(app: FastifyInstance, auth: AuthService, devices?: { resolve(token: string): Promise<Device | null> }): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    if (route.url.startsWith('/api/docs') || route.url === '/api/openapi.json') {
      route.config = { ...route.config, access: 'public' };
      return;
    }
    if (!route.config?.access) throw new Error(`Route ${String(route.method)} ${route.url} declares no access`);
  });

  app.decorateRequest('ctx');
  app.addHook('onRequest', async (request) => {
    request.ctx = { actor: null, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id };
    const config = request.routeOptions.config;
    const access = config?.access;
    if (!access) return;

    const authorization = request.headers.authorization;
    if (access === 'device') {
      // A device's bearer token, never a cookie alone: a gate call cannot be forged cross-site.
      const device = authorization?.startsWith('Bearer ') && devices ? await devices.resolve(authorization.slice(7).trim()) : null;
      if (!device) throw new AppError(401, 'DEVICE_TOKEN_INVALID', 'This device is not bound to a checkpoint, or its token was revoked');
      request.ctx.device = device;
      const token = request.cookies[sessionCookieOf(request)];
      if (token) {
        const found = await auth.resolveSession(token);
        if ('actor' in found && found.actor.permissions.has('gate.operate')) request.ctx.actor = found.actor;
      }
      return;
    }
    if (authorization?.startsWith('Bearer ')) {
      const actor = await auth.resolveToken(authorization.slice(7).trim());
      if (!actor) throw new AppError(401, 'INVALID_TOKEN', 'The API token is unknown, revoked or expired');
      request.ctx.actor = actor;
    } else {
      const token = request.cookies[sessionCookieOf(request)];
      if (token) {
        const found = await auth.resolveSession(token);
        if ('actor' in found) request.ctx.actor = found.actor;
        else if (found.error === 'expired' && access !== 'public') throw new AppError(401, 'SESSION_EXPIRED', 'Your session has expired; sign in again');
      }
    }
    if (access === 'public') return;
    const actor = request.ctx.actor;
    if (!actor) throw new AppError(401, 'UNAUTHENTICATED', 'Sign in first');
    if (actor.via === 'session' && !safeMethods.has(request.method) && request.headers['x-csrf-token'] !== actor.csrfToken) {
      throw forbidden('The CSRF token is missing or wrong; reload the page', 'CSRF_TOKEN_INVALID');
    }
    if ((actor.mustChangePassword || actor.passwordExpired) && !config.duringPasswordChange) {
      throw forbidden('Change your password first', 'PASSWORD_CHANGE_REQUIRED');
    }
    if (actor.via === 'session' && actor.mfa?.required && !actor.mfa.enrolled && !config.duringPasswordChange) {
      throw forbidden('Set up two-step verification first', 'MFA_ENROLMENT_REQUIRED');
    }
    if (access !== 'authenticated' && !actor.permissions.has(access)) throw forbidden();
  });
}
