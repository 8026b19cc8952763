import { sql } from 'kysely';
import type { Db, Tx } from '../../context';

/** A movement's signed change of the stock: in +, out −, adjust as signed. */
const signed = sql<string>`CASE WHEN m.kind = 'out' THEN -m.quantity ELSE m.quantity END`;

/** Every supply with its stock (2 decimals), by code. */
export const supplyRows = (trx: Db | Tx) =>
  trx
    .selectFrom('supplies as s')
    .select((eb) => [
      's.id', 's.code', 's.name_zh', 's.name_en', 's.unit_label', 's.kind', 's.version',
      eb
        .selectFrom('supply_movements as m')
        .whereRef('m.supply_id', '=', 's.id')
        .select(sql<string>`coalesce(sum(${signed}), 0)::numeric(30, 2)::text`.as('stock'))
        .as('stock'),
    ])
    .orderBy('s.code');
export type SupplyRow = Awaited<ReturnType<ReturnType<typeof supplyRows>['executeTakeFirstOrThrow']>>;

/** The latest purchase of each supply (by date, then entry), with the chosen quote. */
export const lastPurchases = (trx: Db | Tx, supplyIds: string[]) =>
  trx
    .selectFrom('supply_purchases as p')
    .innerJoin('supply_quotes as q', 'q.id', 'p.chosen_quote_id')
    .distinctOn('p.supply_id')
    .select(['p.supply_id', 'p.date', 'q.unit_price', 'q.supplier'])
    .where('p.supply_id', 'in', supplyIds)
    .orderBy('p.supply_id')
    .orderBy('p.date', 'desc')
    .orderBy('p.created_at', 'desc')
    .execute();

/** The supply by code, its row locked until the transaction ends (stock checks run one at a time per supply). */
export const lockSupply = (trx: Tx, code: string) =>
  trx.selectFrom('supplies').select(['id', 'code', 'name_zh', 'unit_label']).where('code', '=', code).forUpdate().executeTakeFirst();

/**
 * What may still leave the stock on a date without the balance going below zero on that date or
 * any later one (later movements already count on what is there): the least of the balance at the
 * end of the date and the balances at the end of every later date with movements. Also whether a
 * signed change keeps it at or above zero.
 */
export async function availableOn(trx: Tx, supplyId: string, date: string, change: string): Promise<{ available: string; enough: boolean }> {
  const r = await sql<{ available: string; enough: boolean }>`
    WITH daily AS (
      SELECT m.date, sum(${signed}) AS change FROM supply_movements m WHERE m.supply_id = ${supplyId} GROUP BY m.date
    ), later AS (
      SELECT c.balance FROM (SELECT date, sum(change) OVER (ORDER BY date) AS balance FROM daily) c WHERE c.date > ${date}::date
    ), a AS (
      SELECT least((SELECT coalesce(sum(change), 0) FROM daily WHERE date <= ${date}::date), (SELECT min(balance) FROM later)) AS available
    )
    SELECT available::numeric(30, 2)::text AS available, (available + ${change}::numeric) >= 0 AS enough FROM a`.execute(trx);
  const row = r.rows[0];
  return { available: row?.available ?? '0.00', enough: row?.enough === true };
}

/** Movements with their running balance per supply (over all of the supply's movements), then filtered by date. */
export function movementRows(trx: Db | Tx, q: { supplyId?: string | undefined; from?: string | undefined; to?: string | undefined }) {
  let inner = trx
    .selectFrom('supply_movements as m')
    .select([
      'm.id', 'm.supply_id', 'm.date', 'm.kind', 'm.purchase_id', 'm.unit_id', 'm.checkpoint_id', 'm.note', 'm.created_by', 'm.created_at',
      sql<number>`CASE m.kind WHEN 'in' THEN 0 WHEN 'adjust' THEN 1 ELSE 2 END`.as('kind_order'),
      sql<string>`(${signed})::numeric(30, 2)::text`.as('change'),
      // Same date and entry time (a fake clock): receipts before corrections before issues.
      sql<string>`(sum(${signed}) OVER (PARTITION BY m.supply_id ORDER BY m.date, m.created_at, CASE m.kind WHEN 'in' THEN 0 WHEN 'adjust' THEN 1 ELSE 2 END, m.id))::numeric(30, 2)::text`.as('balance'),
    ]);
  if (q.supplyId) inner = inner.where('m.supply_id', '=', q.supplyId);
  let outer = trx
    .selectFrom(inner.as('mv'))
    .innerJoin('supplies as s', 's.id', 'mv.supply_id')
    .leftJoin('units as u', 'u.id', 'mv.unit_id')
    .leftJoin('checkpoints as c', 'c.id', 'mv.checkpoint_id')
    .leftJoin('sites as cs', 'cs.id', 'c.site_id')
    .leftJoin('users as cu', 'cu.id', 'mv.created_by')
    .select([
      'mv.id', 'mv.date', 'mv.kind', 'mv.change', 'mv.balance', 'mv.purchase_id', 'mv.note', 'mv.created_at',
      's.code as supply_code',
      'u.code as unit_code', 'u.name_zh as unit_name_zh',
      'c.code as checkpoint_code', 'c.name_zh as checkpoint_name_zh', 'cs.code as checkpoint_site_code',
      'cu.username as created_by',
    ]);
  if (q.from) outer = outer.where('mv.date', '>=', q.from);
  if (q.to) outer = outer.where('mv.date', '<=', q.to);
  return outer.orderBy('s.code').orderBy('mv.date').orderBy('mv.created_at').orderBy('mv.kind_order').orderBy('mv.id');
}
export type MovementRow = Awaited<ReturnType<ReturnType<typeof movementRows>['executeTakeFirstOrThrow']>>;

/** Purchases with their supply, chosen quote and total (quantity × chosen unit price, to cents). */
export const purchaseRows = (trx: Db | Tx) =>
  trx
    .selectFrom('supply_purchases as p')
    .innerJoin('supplies as s', 's.id', 'p.supply_id')
    .leftJoin('supply_quotes as q', 'q.id', 'p.chosen_quote_id')
    .leftJoin('users as cu', 'cu.id', 'p.created_by')
    .select([
      'p.id', 'p.date', 'p.quantity', 'p.chosen_quote_id', 'p.reason', 'p.created_at',
      's.code as supply_code', 's.name_zh as supply_name_zh', 's.unit_label',
      sql<string | null>`round(p.quantity * q.unit_price, 2)::text`.as('total'),
      'cu.username as created_by',
    ]);

/** Distributed quantities in a date range, by supply and by unit or checkpoint. */
export function distributedTotals(trx: Db | Tx, q: { from?: string | undefined; to?: string | undefined }) {
  let base = trx
    .selectFrom('supply_movements as m')
    .innerJoin('supplies as s', 's.id', 'm.supply_id')
    .leftJoin('units as u', 'u.id', 'm.unit_id')
    .leftJoin('checkpoints as c', 'c.id', 'm.checkpoint_id')
    .leftJoin('sites as cs', 'cs.id', 'c.site_id')
    .where('m.kind', '=', 'out');
  if (q.from) base = base.where('m.date', '>=', q.from);
  if (q.to) base = base.where('m.date', '<=', q.to);
  return base
    .select([
      's.code as supply_code', 's.name_zh as supply_name_zh', 's.unit_label',
      'u.code as unit_code', 'u.name_zh as unit_name_zh',
      'c.code as checkpoint_code', 'c.name_zh as checkpoint_name_zh', 'cs.code as site_code',
      sql<string>`sum(m.quantity)::numeric(30, 2)::text`.as('quantity'),
    ])
    .groupBy(['s.code', 's.name_zh', 's.unit_label', 'u.code', 'u.name_zh', 'c.code', 'c.name_zh', 'cs.code'])
    .orderBy('s.code')
    .orderBy('u.code')
    .orderBy('c.code')
    .execute();
}

/** Distributed quantities in a date range, per supply. */
export function distributedBySupply(trx: Db | Tx, q: { from?: string | undefined; to?: string | undefined }) {
  let base = trx.selectFrom('supply_movements as m').innerJoin('supplies as s', 's.id', 'm.supply_id').where('m.kind', '=', 'out');
  if (q.from) base = base.where('m.date', '>=', q.from);
  if (q.to) base = base.where('m.date', '<=', q.to);
  return base
    .select(['s.code as supply_code', 's.name_zh as supply_name_zh', 's.unit_label', sql<string>`sum(m.quantity)::numeric(30, 2)::text`.as('quantity')])
    .groupBy(['s.code', 's.name_zh', 's.unit_label'])
    .orderBy('s.code')
    .execute();
}
