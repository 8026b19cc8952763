import type { Db, Tx } from '../../context';
import type { Scope } from '../../../domain/scope';

export type UserRow = {
  id: string;
  username: string;
  display_name: string;
  unit_id: string | null;
  password_hash: string;
  password_changed_at: Date;
  must_change_password: boolean;
  status: string;
  locale: string;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  version: number;
  totp_secret_enc: Buffer | null;
  totp_enrolled_at: Date | null;
  totp_last_step: number | null;
};

export async function findUserByUsername(db: Db | Tx, username: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

export async function findUserById(db: Db | Tx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Db | Tx): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

export async function rolesOfUsers(db: Db | Tx, userIds: string[]): Promise<Map<string, { code: string; scope: Scope; permissions: string[] }[]>> {
  const out = new Map<string, { code: string; scope: Scope; permissions: string[] }[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('user_roles')
    .innerJoin('roles', 'roles.code', 'user_roles.role_code')
    .select(['user_roles.user_id', 'roles.code', 'roles.scope', 'roles.permissions'])
    .where('user_roles.user_id', 'in', userIds)
    .orderBy('roles.code')
    .execute();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ code: r.code, scope: r.scope as Scope, permissions: r.permissions });
    out.set(r.user_id, list);
  }
  return out;
}

export async function setUserRoles(trx: Tx, userId: string, roleCodes: string[]): Promise<void> {
  await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roleCodes.length > 0) await trx.insertInto('user_roles').values(roleCodes.map((role_code) => ({ user_id: userId, role_code }))).execute();
}

/** Updates a user when its version still matches; returns the new row or undefined when stale. */
export async function updateUserVersioned(
  trx: Tx,
  id: string,
  version: number,
  patch: Partial<Omit<UserRow, 'id' | 'version' | 'created_at'>>,
  now: Date,
): Promise<UserRow | undefined> {
  return trx
    .updateTable('users')
    .set({ ...patch, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function endSessionsOfUser(trx: Tx, userId: string, now: Date, reason: string, exceptSessionId?: string | null): Promise<number> {
  let q = trx.updateTable('sessions').set({ ended_at: now, end_reason: reason }).where('user_id', '=', userId).where('ended_at', 'is', null);
  if (exceptSessionId) q = q.where('id', '<>', exceptSessionId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
