import type { Actor, Deps, RequestContext } from '../../context';
import { notFound } from '../../errors';
import { audit } from '../audit/audit.service';
import { countUnread, findOwnNotification, listNotificationRows, markNotificationsRead, type NotificationRow } from './notifications.repository';
import type { Notification, NotificationList } from './notifications.schemas';

function toNotification(r: NotificationRow): Notification {
  return { id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, createdAt: r.created_at.toISOString(), readAt: r.read_at?.toISOString() ?? null };
}

/** The in-app inbox: every user sees and marks only their own notifications. */
export function notificationService(deps: Deps) {
  const { db } = deps.database;
  return {
    async list(actor: Actor, q: { unread?: boolean | undefined; limit: number }): Promise<NotificationList> {
      const rows = await listNotificationRows(db, actor.userId, q);
      return { rows: rows.map(toNotification), unread: await countUnread(db, actor.userId) };
    },

    /** Marks one notification read (idempotent: the first read time stays). */
    async read(ctx: RequestContext, actor: Actor, id: string): Promise<Notification> {
      return db.transaction().execute(async (trx) => {
        const n = await findOwnNotification(trx, actor.userId, id);
        if (!n) throw notFound('NOTIFICATION_NOT_FOUND', 'No such notification');
        if (n.read_at === null && (await markNotificationsRead(trx, actor.userId, deps.clock.now(), id)) > 0) {
          await audit(trx, deps, ctx, { action: 'notification.read', objectType: 'notification', objectId: id, details: { kind: n.kind } });
        }
        return toNotification((await findOwnNotification(trx, actor.userId, id))!);
      });
    },

    async readAll(ctx: RequestContext, actor: Actor): Promise<{ updated: number; unread: number }> {
      return db.transaction().execute(async (trx) => {
        const updated = await markNotificationsRead(trx, actor.userId, deps.clock.now());
        if (updated > 0) await audit(trx, deps, ctx, { action: 'notification.read_all', objectType: 'notification', details: { updated } });
        return { updated, unread: await countUnread(trx, actor.userId) };
      });
    },
  };
}
export type NotificationService = ReturnType<typeof notificationService>;
