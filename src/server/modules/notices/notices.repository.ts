import { sql } from 'kysely';
import type { MeasureFact } from '../../../domain/notices/daily-digest';
import type { ItemFact, NoticeUnit, ProblemFact, ValueFact, WarningFact } from '../../../domain/notices/weekly-notice';
import type { DayKey } from '../../../domain/notices/week';
import type { Scope } from '../../../domain/scope';
import type { Db, Tx } from '../../context';

type Q = Db | Tx;
const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const OPEN_ITEM_STATES = ['assigned', 'accepted', 'acting', 'reported'];

export async function loadNoticeUnits(db: Q): Promise<NoticeUnit[]> {
  const rows = await db.selectFrom('units').select(['id', 'code', 'name_zh', 'name_en', 'sort_order']).orderBy('sort_order').orderBy('code').execute();
  // The rank in the organisation's order (sort_order is per sibling group; code breaks ties).
  return rows.map((u, i) => ({ id: u.id, code: u.code, nameZh: u.name_zh, nameEn: u.name_en, sortOrder: i }));
}

/** Problems raised or closed in [from, to). */
export async function loadProblemFacts(db: Q, from: Date, to: Date): Promise<ProblemFact[]> {
  const rows = await db
    .selectFrom('problems')
    .select(['id', 'number', 'unit_id', 'title', 'source', 'severity', 'status', 'raised_at', 'closed_at'])
    .where((eb) => eb.or([eb.and([eb('raised_at', '>=', from), eb('raised_at', '<', to)]), eb.and([eb('closed_at', '>=', from), eb('closed_at', '<', to)])]))
    .execute();
  return rows.map((r) => ({ id: r.id, number: Number(r.number), unitId: r.unit_id, title: r.title, source: r.source, severity: r.severity, status: r.status, raisedAt: r.raised_at.toISOString(), closedAt: iso(r.closed_at) }));
}

// When an item was assigned: its first event, else its creation.
const assignedAt = sql<Date>`coalesce((select min(e.created_at) from supervision_events e where e.item_id = s.id), s.created_at)`;

function itemQuery(db: Q) {
  return db
    .selectFrom('supervision_items as s')
    .innerJoin('people as p', 'p.id', 's.owner_person_id')
    .innerJoin('units as u', 'u.id', 's.unit_id')
    .leftJoin('problems as pr', 'pr.id', 's.problem_id')
    .select(['s.id', 's.number', 's.unit_id', 'u.code as unit', 's.title', 'p.name as owner', 's.owner_person_id', 's.due_date', 's.yellow_days', 's.state', 's.closed_at', 'pr.number as problem_number', assignedAt.as('assigned_at')]);
}
type ItemRow = Awaited<ReturnType<ReturnType<typeof itemQuery>['execute']>>[number];
const toItemFact = (r: ItemRow): ItemFact & { unit: string; ownerPersonId: string } => ({
  id: r.id,
  number: Number(r.number),
  unitId: r.unit_id,
  unit: r.unit,
  title: r.title,
  owner: r.owner,
  ownerPersonId: r.owner_person_id,
  dueDate: r.due_date,
  yellowDays: r.yellow_days,
  state: r.state,
  assignedAt: new Date(r.assigned_at).toISOString(),
  closedAt: iso(r.closed_at),
  problemNumber: r.problem_number === null ? null : Number(r.problem_number),
});

/**
 * Supervision items the weekly notice may name: assigned or closed in [from, to), due from the day
 * before the week's Monday up to its Sunday (they may have gone red in it), or open and past due
 * on `today` (red now).
 */
export async function loadWeekItemFacts(db: Q, from: Date, to: Date, days: { dueFrom: DayKey; dueTo: DayKey; today: DayKey }) {
  const rows = await itemQuery(db)
    .where((eb) =>
      eb.or([
        eb.and([eb(assignedAt, '>=', from), eb(assignedAt, '<', to)]),
        eb.and([eb('s.closed_at', '>=', from), eb('s.closed_at', '<', to)]),
        eb.and([eb('s.due_date', '>=', days.dueFrom), eb('s.due_date', '<=', days.dueTo)]),
        eb.and([eb('s.state', 'in', OPEN_ITEM_STATES), eb('s.due_date', '<', days.today)]),
      ]),
    )
    .execute();
  return rows.map(toItemFact);
}

/** Every open supervision item (for the daily digests). */
export async function loadOpenItemFacts(db: Q) {
  return (await itemQuery(db).where('s.state', 'in', OPEN_ITEM_STATES).execute()).map(toItemFact);
}

/** Warnings whose notice went out in [from, to), or that began firing then (a muted rule sends none). */
export async function loadWarningFacts(db: Q, from: Date, to: Date): Promise<(WarningFact & { unit: string })[]> {
  const rows = await db
    .selectFrom('warnings as w')
    .innerJoin('warning_rules as r', 'r.id', 'w.rule_id')
    .innerJoin('units as u', 'u.id', 'w.unit_id')
    .innerJoin('indicators as i', 'i.id', 'w.indicator_id')
    .select(['w.id', 'w.unit_id', 'u.code as unit', 'i.code as indicator', 'i.name_zh', 'i.name_en', 'r.code as rule', 'w.state', 'w.last_period', 'w.notified_at', 'w.created_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('w.notified_at', '>=', from), eb('w.notified_at', '<', to)]),
        eb.and([eb('w.notified_at', 'is', null), eb('w.state', '=', 'firing'), eb('w.created_at', '>=', from), eb('w.created_at', '<', to)]),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unit_id,
    unit: r.unit,
    indicator: r.indicator,
    indicatorZh: r.name_zh,
    indicatorEn: r.name_en,
    rule: r.rule,
    state: r.state,
    period: r.last_period,
    firedAt: (r.notified_at ?? r.created_at).toISOString(),
  }));
}

/**
 * Every approved, unsuspected value of the unit × indicator pairs that had a value approved in
 * [from, to): what the records of the week are judged against.
 */
export async function loadValueFacts(db: Q, from: Date, to: Date): Promise<ValueFact[]> {
  const pairs = await db
    .selectFrom('measurements')
    .select(['unit_id', 'indicator_id'])
    .distinct()
    .where('status', '=', 'approved')
    .where('suspect', '=', false)
    .where('approved_at', '>=', from)
    .where('approved_at', '<', to)
    .execute();
  if (pairs.length === 0) return [];
  const out: ValueFact[] = [];
  for (let i = 0; i < pairs.length; i += 200) {
    const chunk = pairs.slice(i, i + 200);
    const rows = await db
      .selectFrom('measurements as m')
      .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
      .select(['m.id', 'm.unit_id', 'i.code', 'i.name_zh', 'i.name_en', 'i.uom', 'i.direction', 'm.period', 'm.value', 'm.approved_at'])
      .where('m.status', '=', 'approved')
      .where('m.suspect', '=', false)
      .where((eb) => eb.or(chunk.map((p) => eb.and([eb('m.unit_id', '=', p.unit_id), eb('m.indicator_id', '=', p.indicator_id)]))))
      .execute();
    for (const r of rows) {
      out.push({
        measurementId: r.id,
        unitId: r.unit_id,
        indicator: r.code,
        indicatorZh: r.name_zh,
        indicatorEn: r.name_en,
        uom: r.uom,
        direction: r.direction as ValueFact['direction'],
        period: r.period,
        value: Number(r.value),
        approvedAt: iso(r.approved_at),
      });
    }
  }
  return out;
}

/** Open measures with their problem (for the daily digests). */
export async function loadOpenMeasureFacts(db: Q): Promise<(MeasureFact & { ownerPersonId: string })[]> {
  const rows = await db
    .selectFrom('measures as m')
    .innerJoin('problems as p', 'p.id', 'm.problem_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['m.id', 'm.problem_id', 'p.number', 'p.title', 'p.unit_id', 'u.code as unit', 'm.description', 'm.due_date', 'm.progress', 'm.status', 'm.owner_person_id'])
    .where('m.status', '=', 'open')
    .where('p.status', 'in', ['open', 'in-progress', 'closing'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    problemId: r.problem_id,
    problemNumber: Number(r.number),
    problemTitle: r.title,
    unitId: r.unit_id,
    unit: r.unit,
    description: r.description,
    dueDate: r.due_date,
    progress: r.progress,
    status: r.status,
    ownerPersonId: r.owner_person_id,
  }));
}

export interface NoticeReader {
  id: string;
  username: string;
  displayName: string;
  unitId: string | null;
  unit: string | null;
  personId: string | null;
  roles: { scope: Scope }[];
}

/** Active users holding problem.read through a role, with their roles' scopes and linked person. */
export async function loadNoticeReaders(db: Q): Promise<NoticeReader[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .innerJoin('roles as r', 'r.code', 'ur.role_code')
    .leftJoin('units as un', 'un.id', 'u.unit_id')
    .leftJoin('people as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.unit_id', 'un.code as unit', 'p.id as person_id', 'r.scope', 'r.permissions'])
    .where('u.status', '=', 'active')
    .orderBy('u.username')
    .execute();
  const users = new Map<string, NoticeReader & { allowed: boolean }>();
  for (const r of rows) {
    let u = users.get(r.id);
    if (!u) users.set(r.id, (u = { id: r.id, username: r.username, displayName: r.display_name, unitId: r.unit_id, unit: r.unit, personId: r.person_id, roles: [], allowed: false }));
    u.roles.push({ scope: r.scope as Scope });
    if (r.permissions.includes('problem.read')) u.allowed = true;
  }
  return [...users.values()].filter((u) => u.allowed).map(({ allowed: _a, ...u }) => u);
}

export type NoticeRow = { id: string; kind: string; period: string; recipient_user_id: string | null; title: string; content: Record<string, unknown>; published_at: Date };

export async function findNotice(db: Q, kind: string, period: string, recipient: string | null): Promise<NoticeRow | undefined> {
  let q = db.selectFrom('notices').selectAll().where('kind', '=', kind).where('period', '=', period);
  q = recipient === null ? q.where('recipient_user_id', 'is', null) : q.where('recipient_user_id', '=', recipient);
  return q.executeTakeFirst();
}

export async function findNoticeById(db: Q, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts a notice unless its kind, period and recipient exist; undefined when it existed. */
export async function insertNotice(db: Q, n: { kind: string; period: string; recipient: string | null; title: string; content: object; at: Date }): Promise<NoticeRow | undefined> {
  return db
    .insertInto('notices')
    .values({ kind: n.kind, period: n.period, recipient_user_id: n.recipient, title: n.title, content: JSON.stringify(n.content), published_at: n.at })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Notices a user may list: every weekly notice and the user's own digests, newest first, with the user's read time. */
export async function listNoticeRows(db: Q, userId: string, filter: { kind?: string; limit: number }) {
  let q = db
    .selectFrom('notices as n')
    .leftJoin('notice_reads as r', (j) => j.onRef('r.notice_id', '=', 'n.id').on('r.user_id', '=', userId))
    .select(['n.id', 'n.kind', 'n.period', 'n.title', 'n.published_at', 'r.read_at'])
    .where((eb) => eb.or([eb('n.kind', '=', 'weekly'), eb.and([eb('n.kind', '=', 'daily'), eb('n.recipient_user_id', '=', userId)])]));
  if (filter.kind) q = q.where('n.kind', '=', filter.kind);
  return q.orderBy('n.published_at', 'desc').orderBy('n.period', 'desc').limit(filter.limit).execute();
}

export async function readTimeOf(db: Q, noticeId: string, userId: string): Promise<Date | null> {
  return (await db.selectFrom('notice_reads').select('read_at').where('notice_id', '=', noticeId).where('user_id', '=', userId).executeTakeFirst())?.read_at ?? null;
}

/** Records the first read of a notice by a user; true when this call recorded it. */
export async function insertRead(db: Q, noticeId: string, userId: string, at: Date): Promise<boolean> {
  const r = await db.insertInto('notice_reads').values({ notice_id: noticeId, user_id: userId, read_at: at }).onConflict((oc) => oc.columns(['notice_id', 'user_id']).doNothing()).returning('notice_id').executeTakeFirst();
  return r !== undefined;
}

export async function readsOf(db: Q, noticeId: string): Promise<Map<string, Date>> {
  const rows = await db.selectFrom('notice_reads').select(['user_id', 'read_at']).where('notice_id', '=', noticeId).execute();
  return new Map(rows.map((r) => [r.user_id, r.read_at]));
}
