import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../context';
import type { NotificationsTable } from '../../db/schema';

export type NotificationRow = Selectable<NotificationsTable>;

/** A user's notifications, newest first. */
export async function listNotificationRows(db: Db | Tx, userId: string, filter: { unread?: boolean | undefined; limit: number }): Promise<NotificationRow[]> {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (filter.unread === true) q = q.where('read_at', 'is', null);
  if (filter.unread === false) q = q.where('read_at', 'is not', null);
  return q.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).execute();
}

export async function countUnread(db: Db | Tx, userId: string): Promise<number> {
  const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function findOwnNotification(db: Db | Tx, userId: string, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

/** Marks unread notifications of a user read (one, or all); how many changed. */
export async function markNotificationsRead(db: Db | Tx, userId: string, at: Date, id?: string): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (id) q = q.where('id', '=', id);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}
