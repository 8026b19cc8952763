import type { Client, TestApp } from './app';

const password = 'Scoped#2020x';

/**
 * A signed-in user with one built-in role at one unit, for scope tests the demo accounts do not
 * cover. The same username signs in again on a second call.
 */
export async function userWithRole(t: TestApp, o: { username: string; role: string; unitCode: string }): Promise<Client> {
  const db = t.deps.database.db;
  const exists = await db.selectFrom('users').select('id').where('username', '=', o.username).executeTakeFirst();
  if (!exists) {
    const admin = await t.login('admin');
    const unit = await db.selectFrom('units').select('id').where('code', '=', o.unitCode).executeTakeFirstOrThrow();
    const res = await admin.post('/api/users', { username: o.username, displayName: `${o.role} ${o.unitCode}`, unitId: unit.id, roleCodes: [o.role], password });
    if (res.statusCode !== 201) throw new Error(`creating ${o.username}: ${res.statusCode} ${res.body}`);
    await db.updateTable('users').set({ must_change_password: false }).where('username', '=', o.username).execute();
  }
  return t.login(o.username, password);
}

/**
 * A health administrator of 武装保卫部 (WZBW) and below: the demo's `health` account sees the whole
 * group, so scope tests sign in as this one.
 */
export const wzbwHealthAdmin = (t: TestApp): Promise<Client> => userWithRole(t, { username: 'health-wzbw', role: 'health-admin', unitCode: 'WZBW' });
