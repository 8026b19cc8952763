import type { Db, Tx } from '../../context';

/** An in-app notification (reminder, escalation, digest) for one user. */
export interface NotificationInput {
  userId: string;
  /** e.g. 'supervision.yellow', 'supervision.red', 'supervision.escalated', 'notice.weekly'. */
  kind: string;
  title: string;
  body?: string;
  /** A path in the web app, e.g. '/supervision?item=…'. */
  link?: string | null;
  refId?: string | null;
  /** Makes the sender idempotent: the same key is written once, e.g. `supervision.red:<item>:<user>`. */
  dedupeKey: string;
  at: Date;
}

/** Writes a notification unless one with the same dedupe key exists; true when it was written. */
export async function notify(db: Tx | Db, n: NotificationInput): Promise<boolean> {
  const r = await db
    .insertInto('notifications')
    .values({ user_id: n.userId, kind: n.kind, title: n.title, body: n.body ?? '', link: n.link ?? null, ref_id: n.refId ?? null, dedupe_key: n.dedupeKey, created_at: n.at })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}
