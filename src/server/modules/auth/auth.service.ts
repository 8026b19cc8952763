import { checkPassword } from '../../../domain/password-policy';
import { newSecret, sha256Hex } from '../../auth/tokens';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../auth/passwords';
import { defaultMfaRoles } from '../../config';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { personalDataOf } from '../../crypto/personal-data';
import { AppError, businessRule, forbidden, notFound, staleVersion } from '../../errors';
import { audit } from '../audit/audit.service';
import { endSessionsOfUser, findUserById, findUserByUsername, rolesOfUsers, updateUserVersioned, type UserRow } from '../users/users.repository';
import {
  clearLoginFailures,
  countRecentFailures,
  endSession,
  findLiveSession,
  findLiveToken,
  insertSession,
  liveSessionsOfUser,
  recordLoginFailure,
  touchSession,
  touchToken,
} from './auth.repository';
import type { DemoAccounts, Locale, Me, MfaEnrolment, SessionItem } from './auth.schemas';
import { matchTotp, newTotpSecret, totpUri } from './totp';

const minute = 60_000;
/** last_seen_at is written at most this often, to keep reads cheap. */
const touchEveryMs = 15_000;

export const demoPassword = 'Demo#2020';

export type SessionLookup = { actor: Actor } | { error: 'none' | 'expired' };

/** What the sign-in form sends: the second-factor code only when the account has one. */
export interface Credentials {
  username: string;
  password: string;
  code?: string | undefined;
}

export function authService(deps: Deps) {
  const { db } = deps.database;
  const { config, clock } = deps;
  const pd = personalDataOf(config);

  /** Role codes whose holders need a second factor: the configured list, else the default one, none in demo mode. */
  async function mfaRequiredRoles(): Promise<readonly string[]> {
    if (config.mfaRequiredRoles !== undefined) return config.mfaRequiredRoles;
    const demo = await db.selectFrom('settings').select('value').where('key', '=', 'demo').executeTakeFirst();
    return demo?.value.enabled === true ? [] : defaultMfaRoles;
  }

  async function mfaStatus(user: UserRow, roleCodes: string[]): Promise<{ enrolled: boolean; required: boolean }> {
    const required = await mfaRequiredRoles();
    return { enrolled: user.totp_enrolled_at !== null, required: roleCodes.some((c) => required.includes(c)) };
  }

  /**
   * Checks a code against the user's secret: 'ok' with its time step, 'replayed' when the code is
   * right but its step was already used (codes are single-use), else 'invalid'.
   */
  function checkCode(user: UserRow, code: string, now: Date): { result: 'ok'; step: number } | { result: 'invalid' | 'replayed' } {
    if (!user.totp_secret_enc) return { result: 'invalid' };
    const secret = pd.decryptText('users.totp_secret', user.totp_secret_enc);
    if (matchTotp(secret, code, now, null) === null) return { result: 'invalid' };
    const step = matchTotp(secret, code, now, user.totp_last_step);
    return step === null ? { result: 'replayed' } : { result: 'ok', step };
  }

  /** Records the step as used, unless a concurrent request used it (or a later one) first. */
  async function claimStep(trx: Tx, userId: string, step: number): Promise<boolean> {
    const r = await trx
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  function passwordExpired(user: UserRow, now: Date): boolean {
    const days = config.passwordMaxAgeDays;
    return days > 0 && now.getTime() - user.password_changed_at.getTime() > days * 24 * 60 * minute;
  }

  async function buildActor(user: UserRow, via: Actor['via'], session: { id: string; csrf: string } | null): Promise<Actor> {
    const roles = (await rolesOfUsers(db, [user.id])).get(user.id) ?? [];
    const mfa = await mfaStatus(user, roles.map((r) => r.code));
    return {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      unitId: user.unit_id,
      roles: roles.map((r) => ({ code: r.code, scope: r.scope })),
      permissions: new Set(roles.flatMap((r) => r.permissions)),
      locale: user.locale as Locale,
      mustChangePassword: user.must_change_password,
      passwordExpired: passwordExpired(user, clock.now()),
      mfa,
      via,
      sessionId: session?.id ?? null,
      csrfToken: session?.csrf ?? null,
    };
  }

  async function toMe(actor: Actor): Promise<Me> {
    const unit = actor.unitId ? await db.selectFrom('units').select('code').where('id', '=', actor.unitId).executeTakeFirst() : undefined;
    return {
      id: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      unitId: actor.unitId,
      unitCode: unit?.code ?? null,
      roles: actor.roles,
      permissions: [...actor.permissions].sort(),
      locale: actor.locale,
      mustChangePassword: actor.mustChangePassword,
      passwordExpired: actor.passwordExpired,
      mfa: actor.mfa ?? { enrolled: false, required: false },
    };
  }

  const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong user name or password');
  const invalidCode = () => new AppError(401, 'MFA_INVALID', 'The code is wrong, expired or already used; wait for the next one');
  const locked = (until: Date) => new AppError(423, 'ACCOUNT_LOCKED', 'This account is locked after too many failed sign-ins', { lockedUntil: until.toISOString() });

  /** The caller's own account row, for the second-factor changes (a session, not an API token). */
  async function ownAccount(actor: Actor): Promise<UserRow> {
    if (actor.via !== 'session') throw forbidden('Change the second factor in a signed-in session', 'SESSION_REQUIRED');
    const user = await findUserById(db, actor.userId);
    if (!user) throw notFound('USER_NOT_FOUND');
    return user;
  }

  /** Checks a code for a change of the caller's own second factor (422 MFA_INVALID when wrong or used). */
  async function requireCode(trx: Tx, user: UserRow, code: string): Promise<number> {
    const checked = checkCode(user, code, clock.now());
    if (checked.result !== 'ok' || !(await claimStep(trx, user.id, checked.step))) {
      throw businessRule('MFA_INVALID', 'The code is wrong, expired or already used; wait for the next one');
    }
    return checked.step;
  }

  return {
    toMe,

    /**
     * Checks the password and, when the account has one, the second-factor code; applies the
     * lockout (a wrong or used code counts like a wrong password); ends the session the request
     * already carried (session fixation) and opens a new one. Every attempt is audited.
     */
    async login(ctx: RequestContext, credentials: Credentials, carriedTokens: string[] = []) {
      const { username, password, code } = credentials;
      const now = clock.now();
      const user = await findUserByUsername(db, username);
      if (!user) {
        await burnPasswordCheck(password);
        await db.transaction().execute((trx) =>
          audit(trx, deps, ctx, { action: 'auth.login', result: 'failure', objectType: 'user', details: { username: username.slice(0, 64), reason: 'unknown_user' } }),
        );
        throw invalidCredentials();
      }
      const who = { id: user.id, username: user.username, role: null };
      if (user.locked_until && user.locked_until > now) {
        await db.transaction().execute((trx) =>
          audit(trx, deps, ctx, { actor: who, action: 'auth.login', result: 'failure', objectType: 'user', objectId: user.id, details: { reason: 'locked' } }),
        );
        throw locked(user.locked_until);
      }
      /** Records a failed attempt; locks the account after too many. Returns the lock's end, if any. */
      const recordFailure = (reason: string) =>
        db.transaction().execute(async (trx) => {
          await recordLoginFailure(trx, user.id, now, ctx.ip);
          await audit(trx, deps, ctx, { actor: who, action: 'auth.login', result: 'failure', objectType: 'user', objectId: user.id, details: { reason } });
          const since = new Date(Math.max(now.getTime() - config.lockout.windowMinutes * minute, user.last_login_at?.getTime() ?? 0));
          if ((await countRecentFailures(trx, user.id, since)) < config.lockout.threshold) return null;
          const until = new Date(now.getTime() + config.lockout.minutes * minute);
          await trx.updateTable('users').set({ locked_until: until }).where('id', '=', user.id).execute();
          await clearLoginFailures(trx, user.id);
          await audit(trx, deps, ctx, { actor: who, action: 'auth.lock', objectType: 'user', objectId: user.id, changes: { lockedUntil: { old: null, new: until.toISOString() } } });
          return until;
        });
      const ok = await verifyPassword(user.password_hash, password);
      if (!ok) {
        const lockedUntil = await recordFailure('wrong_password');
        if (lockedUntil) throw locked(lockedUntil);
        throw invalidCredentials();
      }
      if (user.status !== 'active') {
        await db.transaction().execute((trx) =>
          audit(trx, deps, ctx, { actor: who, action: 'auth.login', result: 'failure', objectType: 'user', objectId: user.id, details: { reason: 'disabled' } }),
        );
        throw new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled; ask the security administrator');
      }
      if (user.totp_enrolled_at !== null) {
        if (code === undefined) {
          await db.transaction().execute((trx) =>
            audit(trx, deps, ctx, { actor: who, action: 'auth.login', result: 'failure', objectType: 'user', objectId: user.id, details: { reason: 'mfa_required' } }),
          );
          throw new AppError(401, 'MFA_REQUIRED', 'Enter the 6-digit code from your authenticator app');
        }
        const checked = checkCode(user, code, now);
        const claimed = checked.result === 'ok' && (await db.transaction().execute((trx) => claimStep(trx, user.id, checked.step)));
        if (!claimed) {
          const lockedUntil = await recordFailure(checked.result === 'invalid' ? 'mfa_invalid' : 'mfa_replayed');
          if (lockedUntil) throw locked(lockedUntil);
          throw invalidCode();
        }
      }
      const token = newSecret('', 32);
      const csrf = newSecret('', 24);
      const sessionId = sha256Hex(token);
      const expiresAt = new Date(now.getTime() + config.session.maxHours * 60 * minute);
      await db.transaction().execute(async (trx) => {
        // A session id the client carried in is never kept: it may have been planted (fixation).
        for (const carried of carriedTokens) await endSession(trx, sha256Hex(carried), now, 'replaced_at_login');
        await clearLoginFailures(trx, user.id);
        await trx.updateTable('users').set({ last_login_at: now, locked_until: null }).where('id', '=', user.id).execute();
        await insertSession(trx, { id: sessionId, userId: user.id, csrfToken: csrf, now, expiresAt, ip: ctx.ip, userAgent: ctx.userAgent });
        const roles = (await rolesOfUsers(trx, [user.id])).get(user.id) ?? [];
        await audit(trx, deps, ctx, {
          actor: { ...who, role: roles.map((r) => r.code).join(',') || null },
          action: 'auth.login',
          objectType: 'session',
          objectId: sessionId.slice(0, 16),
          ...(user.totp_enrolled_at !== null ? { details: { secondFactor: 'totp' } } : {}),
        });
      });
      const actor = await buildActor(user, 'session', { id: sessionId, csrf });
      return { token, expiresAt, csrfToken: csrf, user: await toMe(actor) };
    },

    /** The actor behind a session cookie, enforcing idle and absolute timeouts. */
    async resolveSession(token: string): Promise<SessionLookup> {
      const now = clock.now();
      const session = await findLiveSession(db, sha256Hex(token));
      if (!session) return { error: 'none' };
      if (now >= session.expires_at || now.getTime() - session.last_seen_at.getTime() > config.session.idleMinutes * minute) return { error: 'expired' };
      const user = await findUserById(db, session.user_id);
      if (!user || user.status !== 'active') return { error: 'none' };
      if (now.getTime() - session.last_seen_at.getTime() >= touchEveryMs) await touchSession(db, session.id, now);
      return { actor: await buildActor(user, 'session', { id: session.id, csrf: session.csrf_token }) };
    },

    /** The actor behind an API token; null when unknown, revoked or expired. */
    async resolveToken(token: string): Promise<Actor | null> {
      const now = clock.now();
      const row = await findLiveToken(db, sha256Hex(token), now);
      if (!row) return null;
      const user = await findUserById(db, row.user_id);
      if (!user || user.status !== 'active') return null;
      if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= touchEveryMs) await touchToken(db, row.id, now);
      const actor = await buildActor(user, 'token', null);
      return { ...actor, mustChangePassword: false, passwordExpired: false };
    },

    async logout(ctx: RequestContext, actor: Actor): Promise<void> {
      if (!actor.sessionId) return;
      const id = actor.sessionId;
      await db.transaction().execute(async (trx) => {
        await endSession(trx, id, clock.now(), 'logout');
        await audit(trx, deps, ctx, { action: 'auth.logout', objectType: 'session', objectId: id.slice(0, 16) });
      });
    },

    /** Changes the caller's password under the policy; ends every other session. */
    async changePassword(ctx: RequestContext, actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
      const user = await findUserById(db, actor.userId);
      if (!user) throw notFound('USER_NOT_FOUND');
      if (!(await verifyPassword(user.password_hash, currentPassword))) throw businessRule('WRONG_PASSWORD', 'The current password is not right');
      const violations = checkPassword(newPassword, user.username);
      if (violations.length > 0) throw businessRule('PASSWORD_POLICY', 'The new password does not meet the password policy', { violations });
      if (await verifyPassword(user.password_hash, newPassword)) throw businessRule('PASSWORD_REUSED', 'The new password must differ from the current one');
      const hash = await hashPassword(newPassword);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await updateUserVersioned(trx, user.id, user.version, { password_hash: hash, password_changed_at: now, must_change_password: false }, now);
        const ended = await endSessionsOfUser(trx, user.id, now, 'password_changed', actor.sessionId);
        await audit(trx, deps, ctx, { action: 'auth.password_change', objectType: 'user', objectId: user.id, details: { otherSessionsEnded: ended } });
      });
    },

    /**
     * Starts enrolling a second factor: a new secret from the CSPRNG, stored encrypted and shown
     * this once. It counts only after confirmEnrolment proves the app holds it.
     */
    async startEnrolment(ctx: RequestContext, actor: Actor): Promise<MfaEnrolment> {
      const user = await ownAccount(actor);
      if (user.totp_enrolled_at !== null) throw businessRule('MFA_ALREADY_ENROLLED', 'A second factor is already set up; turn it off first to set up another');
      const secret = newTotpSecret();
      await db.transaction().execute(async (trx) => {
        const updated = await updateUserVersioned(trx, user.id, user.version, { totp_secret_enc: pd.encrypt('users.totp_secret', secret), totp_last_step: null }, clock.now());
        if (!updated) throw staleVersion();
        await audit(trx, deps, ctx, { action: 'auth.mfa_enrol_start', objectType: 'user', objectId: user.id });
      });
      return { secret, uri: totpUri(secret, user.username) };
    },

    /** Confirms the enrolment with a code from the app; ends the caller's other sessions. */
    async confirmEnrolment(ctx: RequestContext, actor: Actor, code: string): Promise<Me> {
      const user = await ownAccount(actor);
      if (user.totp_enrolled_at !== null) throw businessRule('MFA_ALREADY_ENROLLED', 'A second factor is already set up');
      if (!user.totp_secret_enc) throw businessRule('MFA_ENROLMENT_NOT_STARTED', 'Start the set-up first');
      await db.transaction().execute(async (trx) => {
        await requireCode(trx, user, code);
        const now = clock.now();
        const updated = await trx
          .updateTable('users')
          .set({ totp_enrolled_at: now, updated_at: now, version: user.version + 1 })
          .where('id', '=', user.id)
          .where('version', '=', user.version)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw staleVersion();
        const ended = await endSessionsOfUser(trx, user.id, now, 'mfa_changed', actor.sessionId);
        await audit(trx, deps, ctx, { action: 'auth.mfa_enrol', objectType: 'user', objectId: user.id, changes: { mfaEnrolled: { old: false, new: true } }, details: { otherSessionsEnded: ended } });
      });
      return toMe({ ...actor, mfa: { enrolled: true, required: actor.mfa?.required ?? false } });
    },

    /** Turns the caller's second factor off (with a current code), unless a role requires it. */
    async disableMfa(ctx: RequestContext, actor: Actor, code: string): Promise<Me> {
      const user = await ownAccount(actor);
      if (user.totp_enrolled_at === null) throw businessRule('MFA_NOT_ENROLLED', 'No second factor is set up');
      const roles = ((await rolesOfUsers(db, [user.id])).get(user.id) ?? []).map((r) => r.code);
      const status = await mfaStatus(user, roles);
      if (status.required) throw businessRule('MFA_REQUIRED_BY_ROLE', 'Your role requires the second factor; the security administrator can reset it');
      await db.transaction().execute(async (trx) => {
        await requireCode(trx, user, code);
        const now = clock.now();
        const updated = await updateUserVersioned(trx, user.id, user.version, { totp_secret_enc: null, totp_enrolled_at: null, totp_last_step: null }, now);
        if (!updated) throw staleVersion();
        const ended = await endSessionsOfUser(trx, user.id, now, 'mfa_changed', actor.sessionId);
        await audit(trx, deps, ctx, { action: 'auth.mfa_disable', objectType: 'user', objectId: user.id, changes: { mfaEnrolled: { old: true, new: false } }, details: { otherSessionsEnded: ended } });
      });
      return toMe({ ...actor, mfa: { enrolled: false, required: false } });
    },

    async setLocale(ctx: RequestContext, actor: Actor, locale: Locale): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('users').select(['locale', 'version']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
        if (before.locale === locale) return;
        await trx.updateTable('users').set({ locale, updated_at: clock.now(), version: before.version + 1 }).where('id', '=', actor.userId).execute();
        await audit(trx, deps, ctx, { action: 'user.locale', objectType: 'user', objectId: actor.userId, changes: { locale: { old: before.locale, new: locale } } });
      });
    },

    async listSessions(actor: Actor): Promise<SessionItem[]> {
      const rows = await liveSessionsOfUser(db, actor.userId, clock.now());
      const idleMs = config.session.idleMinutes * minute;
      return rows
        .filter((r) => clock.now().getTime() - r.last_seen_at.getTime() <= idleMs)
        .map((r) => ({
          id: r.id.slice(0, 16),
          createdAt: r.created_at.toISOString(),
          lastSeenAt: r.last_seen_at.toISOString(),
          expiresAt: r.expires_at.toISOString(),
          ip: r.ip,
          userAgent: r.user_agent,
          current: r.id === actor.sessionId,
        }));
    },

    /** Ends one of the caller's own sessions, named by the first 16 characters of its id. */
    async endOwnSession(ctx: RequestContext, actor: Actor, shortId: string): Promise<void> {
      const rows = await liveSessionsOfUser(db, actor.userId, clock.now());
      const target = rows.find((r) => r.id.slice(0, 16) === shortId);
      if (!target) throw notFound('SESSION_NOT_FOUND', 'No such session');
      await db.transaction().execute(async (trx) => {
        await endSession(trx, target.id, clock.now(), 'ended_by_user');
        await audit(trx, deps, ctx, { action: 'auth.session_end', objectType: 'session', objectId: shortId });
      });
    },

    async demoAccounts(): Promise<DemoAccounts> {
      const demo = await db.selectFrom('settings').select('value').where('key', '=', 'demo').executeTakeFirst();
      if (!demo || demo.value.enabled !== true) return { demo: false, password: null, accounts: [] };
      const accounts = (demo.value.accounts ?? []) as DemoAccounts['accounts'];
      return { demo: true, password: demoPassword, accounts };
    },
  };
}
export type AuthService = ReturnType<typeof authService>;
