import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../context';
import type { SupervisionItemsTable } from '../../db/schema';

export type ItemRow = Selectable<SupervisionItemsTable> & {
  unit: string;
  problem_number: number | null;
  owner_code: string;
  owner_name: string;
  owner_user_id: string | null;
  owner_username: string | null;
  supervisor_username: string;
  supervisor_name: string;
  reviewer_username: string | null;
  reviewer_name: string | null;
};

/** Supervision items with their codes and names (unitIds null = every unit). */
export async function listItemRows(
  db: Db | Tx,
  filter: { unitIds?: string[] | null; orUserId?: string; state?: string; problemId?: string; id?: string; open?: boolean },
): Promise<ItemRow[]> {
  let q = db
    .selectFrom('supervision_items as s')
    .innerJoin('units as u', 'u.id', 's.unit_id')
    .innerJoin('people as p', 'p.id', 's.owner_person_id')
    .leftJoin('users as ou', 'ou.id', 'p.user_id')
    .innerJoin('users as su', 'su.id', 's.supervisor_user_id')
    .leftJoin('users as ru', 'ru.id', 's.reviewer_user_id')
    .leftJoin('problems as pr', 'pr.id', 's.problem_id')
    .selectAll('s')
    .select([
      'u.code as unit',
      'pr.number as problem_number',
      'p.code as owner_code',
      'p.name as owner_name',
      'p.user_id as owner_user_id',
      'ou.username as owner_username',
      'su.username as supervisor_username',
      'su.display_name as supervisor_name',
      'ru.username as reviewer_username',
      'ru.display_name as reviewer_name',
    ]);
  const { unitIds, orUserId } = filter;
  if (unitIds) {
    // The units in scope, and the items the user plays a part in wherever they are.
    q = q.where((eb) => {
      const parts = [];
      if (unitIds.length) parts.push(eb('s.unit_id', 'in', unitIds));
      if (orUserId) parts.push(eb('p.user_id', '=', orUserId), eb('s.supervisor_user_id', '=', orUserId), eb('s.reviewer_user_id', '=', orUserId));
      return parts.length ? eb.or(parts) : eb.val(false);
    });
  }
  if (filter.state) q = q.where('s.state', '=', filter.state);
  if (filter.open) q = q.where('s.state', 'not in', ['closed', 'cancelled']);
  if (filter.problemId) q = q.where('s.problem_id', '=', filter.problemId);
  if (filter.id) q = q.where('s.id', '=', filter.id);
  return q.orderBy('s.due_date').orderBy('s.number').execute() as Promise<ItemRow[]>;
}

export type EventRow = {
  id: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  note: string;
  attachment_ids: string[];
  created_at: Date;
  username: string | null;
  display_name: string | null;
};

/** The steps of an item, oldest first. */
export function listEventRows(db: Db | Tx, itemId: string): Promise<EventRow[]> {
  return db
    .selectFrom('supervision_events as e')
    .leftJoin('users as u', 'u.id', 'e.created_by')
    .select(['e.id', 'e.action', 'e.from_state', 'e.to_state', 'e.note', 'e.attachment_ids', 'e.created_at', 'u.username', 'u.display_name'])
    .where('e.item_id', '=', itemId)
    .orderBy('e.created_at')
    .orderBy('e.seq')
    .execute();
}

/** Names and sizes of attachments (content left out). */
export function attachmentInfo(db: Db | Tx, ids: readonly string[]): Promise<{ id: string; file_name: string; mime_type: string; size_bytes: number }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('attachments').select(['id', 'file_name', 'mime_type', 'size_bytes']).where('id', 'in', [...ids]).execute();
}

export async function insertEvent(
  trx: Tx,
  e: { itemId: string; action: string; from: string | null; to: string | null; note?: string; attachmentIds?: string[]; by: string | null; at: Date },
): Promise<void> {
  await trx
    .insertInto('supervision_events')
    .values({ item_id: e.itemId, action: e.action, from_state: e.from, to_state: e.to, note: e.note ?? '', attachment_ids: e.attachmentIds ?? [], created_by: e.by, created_at: e.at })
    .execute();
}

/**
 * Active users holding the unit-leader role whose unit is the given unit or one of its ancestors,
 * nearest first.
 */
export async function unitLeadersOf(db: Db | Tx, unitId: string): Promise<{ id: string; username: string; unit_id: string }[]> {
  const units = await db.selectFrom('units').select(['id', 'parent_id']).execute();
  const parent = new Map(units.map((u) => [u.id, u.parent_id]));
  const chain: string[] = [];
  for (let id: string | null | undefined = unitId; id && !chain.includes(id); id = parent.get(id)) chain.push(id);
  const leaders = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.username', 'u.unit_id'])
    .where('r.role_code', '=', 'unit-leader')
    .where('u.status', '=', 'active')
    .where('u.unit_id', 'in', chain)
    .execute();
  return leaders
    .filter((l): l is { id: string; username: string; unit_id: string } => l.unit_id !== null)
    .sort((a, b) => chain.indexOf(a.unit_id) - chain.indexOf(b.unit_id) || a.username.localeCompare(b.username));
}
