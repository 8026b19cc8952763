import { sql } from 'kysely';
import { chainHash, genesisHash, type ChainRow } from '../../../domain/hash-chain';
import type { Db, Tx } from '../../context';
import type { AuditEntry, AuditQuery } from './audit.schemas';

export interface AuditInput {
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: 'success' | 'failure';
  changes: Record<string, { old?: unknown; new?: unknown }> | null;
  details: Record<string, unknown> | null;
}

/** The fields the hash covers, in the form they read back from the database. */
function hashedBody(seq: number, e: AuditInput): Record<string, unknown> {
  return {
    seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorUsername: e.actorUsername,
    role: e.role,
    ip: e.ip,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    result: e.result,
    changes: e.changes,
    details: e.details,
  };
}

/** JSON round trip, so what is hashed is exactly what jsonb gives back. */
const normalise = <T>(v: T): T => (v === null ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Appends one row to the chain inside the caller's transaction. */
export async function appendAudit(trx: Tx, input: AuditInput): Promise<number> {
  // One writer at a time extends the chain; the lock ends with the transaction.
  await sql`SELECT pg_advisory_xact_lock(7262002)`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? genesisHash;
  const at = new Date(Math.floor(input.at.getTime()));
  const entry: AuditInput = { ...input, at, changes: normalise(input.changes), details: normalise(input.details) };
  const hash = chainHash(prevHash, hashedBody(seq, entry));
  await trx
    .insertInto('audit_log')
    .values({
      seq,
      at,
      actor_id: entry.actorId,
      actor_username: entry.actorUsername,
      role: entry.role,
      ip: entry.ip,
      action: entry.action,
      object_type: entry.objectType,
      object_id: entry.objectId,
      result: entry.result,
      changes: entry.changes === null ? null : JSON.stringify(entry.changes),
      details: entry.details === null ? null : JSON.stringify(entry.details),
      prev_hash: prevHash,
      hash,
    })
    .execute();
  return seq;
}

type AuditRow = {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: string;
  changes: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
};

function toInput(r: AuditRow): AuditInput {
  return {
    at: r.at,
    actorId: r.actor_id,
    actorUsername: r.actor_username,
    role: r.role,
    ip: r.ip,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    result: r.result as 'success' | 'failure',
    changes: r.changes as AuditInput['changes'],
    details: r.details,
  };
}

export function toEntry(r: AuditRow): AuditEntry {
  const i = toInput(r);
  return { seq: r.seq, ...i, at: i.at.toISOString(), hash: r.hash };
}

/** Streams the chain in seq order, a page at a time. */
export async function* chainRows(db: Db, pageSize = 2000): AsyncGenerator<ChainRow> {
  let after = 0;
  for (;;) {
    const rows = (await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute()) as AuditRow[];
    for (const r of rows) yield { seq: r.seq, prevHash: r.prev_hash, hash: r.hash, body: hashedBody(r.seq, toInput(r)) };
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.seq;
  }
}

function filtered(db: Db, q: Omit<AuditQuery, 'page' | 'pageSize'>) {
  let query = db.selectFrom('audit_log');
  if (q.from) query = query.where('at', '>=', new Date(q.from));
  if (q.to) query = query.where('at', '<', new Date(q.to));
  if (q.actor) query = query.where('actor_username', '=', q.actor);
  if (q.action) query = query.where('action', 'like', `${q.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (q.objectType) query = query.where('object_type', '=', q.objectType);
  if (q.objectId) query = query.where('object_id', '=', q.objectId);
  if (q.result) query = query.where('result', '=', q.result);
  return query;
}

export async function searchAudit(db: Db, q: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
  const base = filtered(db, q);
  const [{ total } = { total: 0 }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = (await base
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute()) as AuditRow[];
  return { items: rows.map(toEntry), total: Number(total) };
}

export async function* exportAudit(db: Db, q: Omit<AuditQuery, 'page' | 'pageSize'>, pageSize = 2000): AsyncGenerator<AuditEntry> {
  let before = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = (await filtered(db, q).selectAll().where('seq', '<', before).orderBy('seq', 'desc').limit(pageSize).execute()) as AuditRow[];
    for (const r of rows) yield toEntry(r);
    if (rows.length < pageSize) return;
    before = rows[rows.length - 1]!.seq;
  }
}
