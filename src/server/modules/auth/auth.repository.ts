import type { Db, Tx } from '../../context';

export async function recordLoginFailure(trx: Tx, userId: string, at: Date, ip: string | null): Promise<void> {
  await trx.insertInto('login_failures').values({ user_id: userId, at, ip }).execute();
}

export async function countRecentFailures(trx: Tx, userId: string, since: Date): Promise<number> {
  const row = await trx
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function clearLoginFailures(trx: Tx, userId: string): Promise<void> {
  await trx.deleteFrom('login_failures').where('user_id', '=', userId).execute();
}

export async function insertSession(
  trx: Tx,
  s: { id: string; userId: string; csrfToken: string; now: Date; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await trx
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
}

export async function findLiveSession(db: Db, id: string) {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).where('ended_at', 'is', null).executeTakeFirst();
}

export async function touchSession(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function liveSessionsOfUser(db: Db, userId: string, now: Date) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function endSession(trx: Tx, id: string, now: Date, reason: string): Promise<boolean> {
  const r = await trx.updateTable('sessions').set({ ended_at: now, end_reason: reason }).where('id', '=', id).where('ended_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function findLiveToken(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
}

export async function touchToken(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}
