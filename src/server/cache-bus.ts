import { sql } from 'kysely';
import type { Db, Tx } from './context';
import type { Database } from './db/database';

/**
 * Cache invalidation across servers (issue 9 item 4). A server keeps a few things in memory for
 * the gate's hot path (device tokens, checkpoint settings); when one server changes them, every
 * server, itself included, drops its copy as soon as the change commits: a PostgreSQL NOTIFY on
 * one channel, heard through `Database.listen` (PGlite delivers it in-process the same way).
 */
export const cacheChannel = 'pacesetter_cache';

/** What can be invalidated: a device by id (its token), or every checkpoint's settings. */
export type CacheTopic = 'device' | 'gate-points';

/**
 * Tells every server to drop `topic`'s cached entry `key` ('*' = all of them). Inside a
 * transaction the notification is sent when it commits, and not at all when it rolls back, so
 * no server can re-read the old row after hearing it.
 */
export async function invalidate(trx: Db | Tx, topic: CacheTopic, key = '*'): Promise<void> {
  await sql`SELECT pg_notify(${cacheChannel}, ${`${topic}:${key}`})`.execute(trx);
}

/**
 * Calls `drop(key)` for each invalidation of `topic`; `drop('*')` also after the listening
 * connection was lost (anything may have changed meanwhile). Resolves to a function that stops.
 */
export function onInvalidate(database: Pick<Database, 'listen'>, topic: CacheTopic, drop: (key: string) => void): Promise<() => Promise<void>> {
  return database.listen(cacheChannel, (payload) => {
    if (payload === '*') return drop('*');
    const at = payload.indexOf(':');
    if (payload.slice(0, at) === topic) drop(payload.slice(at + 1));
  });
}
