import { checkPassword } from '../../../domain/password-policy';
import { hashPassword } from '../../auth/passwords';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { dutiesOf, separatedRoles } from '../../permissions';
import { clearLoginFailures } from '../auth/auth.repository';
import { audit, diffChanges, withoutPersonalValues } from '../audit/audit.service';
import { findUnit } from '../units/units.repository';
import {
  endSessionsOfUser,
  findUserById,
  findUserByUsername,
  listUsers,
  rolesOfUsers,
  setUserRoles,
  updateUserVersioned,
  type UserRow,
} from './users.repository';
import type { User } from './users.schemas';

const userNotFound = () => notFound('USER_NOT_FOUND', 'No such user');
/** Account fields that are personal data: their values never enter the audit log. */
const personalFields = ['display_name'] as const;

export function toUser(r: UserRow, roleCodes: string[], now: Date): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    unitId: r.unit_id,
    roleCodes,
    status: r.status as User['status'],
    locked: r.locked_until !== null && r.locked_until > now,
    lockedUntil: r.locked_until && r.locked_until > now ? r.locked_until.toISOString() : null,
    mustChangePassword: r.must_change_password,
    mfaEnrolled: r.totp_enrolled_at !== null,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    version: r.version,
  };
}

const separationError = (details: Record<string, unknown>) =>
  businessRule('SEPARATION_OF_DUTIES', 'The system, security and audit administrator duties cannot be held together', details);

/**
 * Rejects role sets that break 三员分立 (by role, and by the duties their permissions carry)
 * or name roles that do not exist.
 */
export async function checkRoleCodes(trx: Tx, roleCodes: string[]): Promise<void> {
  const unique = [...new Set(roleCodes)];
  const admins = unique.filter((c) => (separatedRoles as readonly string[]).includes(c));
  if (admins.length > 1) throw separationError({ roles: admins });
  if (unique.length === 0) return;
  const found = await trx.selectFrom('roles').select(['code', 'permissions']).where('code', 'in', unique).execute();
  const missing = unique.filter((c) => !found.some((f) => f.code === c));
  if (missing.length > 0) throw businessRule('ROLE_NOT_FOUND', `Unknown roles: ${missing.join(', ')}`, { roles: missing });
  const duties = dutiesOf(found.flatMap((f) => f.permissions));
  if (duties.length > 1) throw separationError({ roles: unique, duties });
}

export interface NewUser {
  username: string;
  displayName: string;
  unitId: string | null;
  roleCodes: string[];
  password: string;
  mustChangePassword: boolean;
}

/** Creates an account (policy, uniqueness, roles) inside the caller's transaction; audited. */
export async function createUserRecord(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, u: NewUser): Promise<UserRow> {
  const violations = checkPassword(u.password, u.username);
  if (violations.length > 0) throw businessRule('PASSWORD_POLICY', 'The password does not meet the password policy', { violations });
  if (await findUserByUsername(trx, u.username)) throw conflict('USERNAME_TAKEN', `The user name ${u.username} is already used`);
  await checkRoleCodes(trx, u.roleCodes);
  const now = deps.clock.now();
  const row = await trx
    .insertInto('users')
    .values({
      username: u.username,
      display_name: u.displayName,
      unit_id: u.unitId,
      password_hash: await hashPassword(u.password),
      password_changed_at: now,
      must_change_password: u.mustChangePassword,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await setUserRoles(trx, row.id, [...new Set(u.roleCodes)]);
  await audit(trx, deps, ctx, {
    action: 'user.create',
    objectType: 'user',
    objectId: row.id,
    changes: withoutPersonalValues(diffChanges(null, { username: u.username, display_name: u.displayName, unit_id: u.unitId, roles: u.roleCodes, must_change_password: u.mustChangePassword }), personalFields),
  });
  return row as UserRow;
}

export function userService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function visibleUser(trx: Tx, actor: Actor, id: string): Promise<UserRow> {
    const user = await findUserById(trx, id);
    if (!user || !inScope(await visibleUnitIds(trx, actor), user.unit_id)) throw userNotFound();
    return user;
  }

  async function checkUnit(trx: Tx, actor: Actor, unitId: string | null): Promise<void> {
    if (unitId === null) return;
    const unit = await findUnit(trx, unitId);
    if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', 'No such unit');
    if (!unit.active) throw businessRule('UNIT_INACTIVE', 'The unit is deactivated');
  }

  async function withRoles(trx: Tx, row: UserRow): Promise<User> {
    const roles = (await rolesOfUsers(trx, [row.id])).get(row.id) ?? [];
    return toUser(row, roles.map((r) => r.code), clock.now());
  }

  /** Loads, checks the version, applies the patch and audits, in one transaction. */
  function change(
    ctx: RequestContext,
    actor: Actor,
    id: string,
    version: number,
    action: string,
    build: (user: UserRow, trx: Tx) => Promise<{ patch: Partial<UserRow>; changes?: Record<string, { old?: unknown; new?: unknown }> | null; after?: (trx: Tx) => Promise<unknown> }>,
  ): Promise<User> {
    return db.transaction().execute(async (trx) => {
      const user = await visibleUser(trx, actor, id);
      if (user.version !== version) throw staleVersion();
      const { patch, changes, after } = await build(user, trx);
      const updated = await updateUserVersioned(trx, id, version, patch, clock.now());
      if (!updated) throw staleVersion();
      const extra = after ? await after(trx) : undefined;
      await audit(trx, deps, ctx, {
        action,
        objectType: 'user',
        objectId: id,
        changes: changes === undefined ? withoutPersonalValues(diffChanges(user, patch), personalFields) : changes,
        ...(extra !== undefined ? { details: { sessionsEnded: extra } } : {}),
      });
      return withRoles(trx, updated);
    });
  }

  const notSelf = (actor: Actor, id: string, what: string) => {
    if (actor.userId === id) throw businessRule('CANNOT_CHANGE_SELF', `You cannot ${what} your own account`);
  };

  return {
    async list(actor: Actor): Promise<User[]> {
      const scope = await visibleUnitIds(db, actor);
      const rows = (await listUsers(db)).filter((u) => inScope(scope, u.unit_id));
      const roles = await rolesOfUsers(db, rows.map((r) => r.id));
      return rows.map((r) => toUser(r, (roles.get(r.id) ?? []).map((x) => x.code), clock.now()));
    },

    async create(ctx: RequestContext, actor: Actor, body: { username: string; displayName: string; unitId: string | null; roleCodes: string[]; password: string }): Promise<User> {
      return db.transaction().execute(async (trx) => {
        await checkUnit(trx, actor, body.unitId);
        const admin = body.roleCodes.filter((c) => (separatedRoles as readonly string[]).includes(c));
        if (admin.length > 0 && !actor.permissions.has('user.security')) {
          throw businessRule('ROLE_NEEDS_SECURITY_ADMIN', 'Only the security administrator grants administrator roles', { roles: admin });
        }
        const row = await createUserRecord(trx, deps, ctx, { ...body, mustChangePassword: true });
        return withRoles(trx, row);
      });
    },

    update(ctx: RequestContext, actor: Actor, id: string, body: { version: number; displayName?: string; unitId?: string | null }): Promise<User> {
      return change(ctx, actor, id, body.version, 'user.update', async (_user, trx) => {
        const patch: Partial<UserRow> = {};
        if (body.displayName !== undefined) patch.display_name = body.displayName;
        if (body.unitId !== undefined) {
          await checkUnit(trx, actor, body.unitId);
          patch.unit_id = body.unitId;
        }
        return { patch };
      });
    },

    setRoles(ctx: RequestContext, actor: Actor, id: string, version: number, roleCodes: string[]): Promise<User> {
      notSelf(actor, id, 'change the roles of');
      return change(ctx, actor, id, version, 'user.roles', async (user, trx) => {
        await checkRoleCodes(trx, roleCodes);
        const before = ((await rolesOfUsers(trx, [user.id])).get(user.id) ?? []).map((r) => r.code);
        const next = [...new Set(roleCodes)].sort();
        await setUserRoles(trx, user.id, next);
        return { patch: {}, changes: { roles: { old: before, new: next } } };
      });
    },

    disable(ctx: RequestContext, actor: Actor, id: string, version: number): Promise<User> {
      notSelf(actor, id, 'disable');
      return change(ctx, actor, id, version, 'user.disable', async (user) => {
        if (user.status === 'disabled') throw businessRule('USER_DISABLED', 'The account is already disabled');
        return { patch: { status: 'disabled' }, after: (trx) => endSessionsOfUser(trx, id, clock.now(), 'account_disabled') };
      });
    },

    enable(ctx: RequestContext, actor: Actor, id: string, version: number): Promise<User> {
      return change(ctx, actor, id, version, 'user.enable', async (user) => {
        if (user.status === 'active') throw businessRule('USER_ACTIVE', 'The account is already active');
        return { patch: { status: 'active' } };
      });
    },

    unlock(ctx: RequestContext, actor: Actor, id: string, version: number): Promise<User> {
      return change(ctx, actor, id, version, 'user.unlock', async (user, trx) => {
        await clearLoginFailures(trx, id);
        return { patch: { locked_until: null }, changes: { lockedUntil: { old: user.locked_until?.toISOString() ?? null, new: null } } };
      });
    },

    resetPassword(ctx: RequestContext, actor: Actor, id: string, version: number, password: string): Promise<User> {
      notSelf(actor, id, 'reset the password of');
      return change(ctx, actor, id, version, 'user.password_reset', async (user) => {
        const violations = checkPassword(password, user.username);
        if (violations.length > 0) throw businessRule('PASSWORD_POLICY', 'The password does not meet the password policy', { violations });
        return {
          patch: { password_hash: await hashPassword(password), password_changed_at: clock.now(), must_change_password: true },
          changes: { password: { new: '(reset)' }, must_change_password: { old: user.must_change_password, new: true } },
          after: (trx) => endSessionsOfUser(trx, id, clock.now(), 'password_reset'),
        };
      });
    },

    /**
     * Removes an account's second factor (a lost phone) and ends its sessions. The password stays,
     * so where a role requires the second factor the next sign-in gets a session good only for
     * enrolling a new one (guard: MFA_ENROLMENT_REQUIRED): a reset never lets anyone in without it.
     */
    async resetMfa(ctx: RequestContext, actor: Actor, id: string): Promise<void> {
      notSelf(actor, id, 'reset the second factor of');
      await db.transaction().execute(async (trx) => {
        const user = await visibleUser(trx, actor, id);
        const now = clock.now();
        const updated = await updateUserVersioned(trx, id, user.version, { totp_secret_enc: null, totp_enrolled_at: null, totp_last_step: null }, now);
        if (!updated) throw staleVersion();
        const n = await endSessionsOfUser(trx, id, now, 'mfa_reset');
        await audit(trx, deps, ctx, {
          action: 'user.mfa_reset',
          objectType: 'user',
          objectId: id,
          changes: { mfaEnrolled: { old: user.totp_enrolled_at !== null, new: false } },
          details: { sessionsEnded: n },
        });
      });
    },

    async endSessions(ctx: RequestContext, actor: Actor, id: string): Promise<number> {
      return db.transaction().execute(async (trx) => {
        await visibleUser(trx, actor, id);
        const n = await endSessionsOfUser(trx, id, clock.now(), 'ended_by_admin');
        await audit(trx, deps, ctx, { action: 'user.sessions_end', objectType: 'user', objectId: id, details: { sessionsEnded: n } });
        return n;
      });
    },
  };
}
export type UserService = ReturnType<typeof userService>;
