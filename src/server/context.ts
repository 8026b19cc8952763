import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Scope } from '../domain/scope';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Database } from './db/database';
import type { DB } from './db/schema';

/** What every service is built from; app.ts passes it in explicitly. */
export interface Deps {
  database: Database;
  config: Config;
  clock: Clock;
  log: Logger;
}

export type Tx = Transaction<DB>;
export type Db = Kysely<DB>;

/** The signed-in user behind a request, with what it may do. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  unitId: string | null;
  roles: { code: string; scope: Scope }[];
  permissions: ReadonlySet<string>;
  locale: 'zh-CN' | 'en-US';
  mustChangePassword: boolean;
  passwordExpired: boolean;
  /** The second factor: enrolled, and required by one of the roles (absent for the CLI). */
  mfa?: { enrolled: boolean; required: boolean };
  via: 'session' | 'token' | 'cli';
  sessionId: string | null;
  csrfToken: string | null;
}

/** A gate device (guard's phone or terminal) bound to a checkpoint by its bearer token. */
export interface Device {
  id: string;
  checkpointId: string;
}

/** Who is asking and from where; services take it with every call. */
export interface RequestContext {
  actor: Actor | null;
  /** Set on `device` routes: the device whose token authenticated the request. */
  device?: Device | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/** Who the system itself is in the audit log (jobs, start-up and CLI work): no actor, the label as user agent and request id. */
export function systemContext(label = 'system'): RequestContext {
  return { actor: null, ip: null, userAgent: label, requestId: label };
}

export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new Error('an actor is required here');
  return ctx.actor;
}
