import { randomUUID } from 'node:crypto';
import { inScope } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound } from '../../errors';
import { checkpointInScope, scopeOf } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { below, lineTotal, priceText } from './decimal-text';
import { availableOn, distributedBySupply, distributedTotals, lastPurchases, lockSupply, movementRows, purchaseRows, supplyRows, type MovementRow, type SupplyRow } from './supplies.repository';
import {
  minQuotes,
  type AdjustmentBody,
  type CreateSupplyBody,
  type DistributionBody,
  type DistributionSummary,
  type Movement,
  type Purchase,
  type PurchaseBody,
  type PurchaseCreated,
  type Supply,
} from './supplies.schemas';

type Range = { from?: string | undefined; to?: string | undefined };

const supplyNotFound = (code: string) => notFound('SUPPLY_NOT_FOUND', `No supply ${code}`);
/** Supplier names compared as people read them: case, surrounding and repeated spaces ignored. */
const supplierKey = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function toMovement(r: MovementRow): Movement {
  return {
    id: r.id,
    supply: r.supply_code,
    date: r.date,
    kind: r.kind as Movement['kind'],
    change: r.change,
    balance: r.balance,
    purchaseId: r.purchase_id,
    unit: r.unit_code === null ? null : { code: r.unit_code, nameZh: r.unit_name_zh ?? '' },
    checkpoint: r.checkpoint_code === null ? null : { code: r.checkpoint_code, nameZh: r.checkpoint_name_zh ?? '', site: r.checkpoint_site_code ?? '' },
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Prevention supplies (防疫物资): the catalogue, purchases compared over at least three quotes
 * (the lowest bought, or a reason written down), and the stock as movements: in (a purchase),
 * out (to a unit or a checkpoint) and signed corrections after a count. The stock is one company
 * store that every health reader sees; the data scope applies to where supplies may be sent.
 * Stock never goes below zero on any date: changes that take from it lock the supply's row first.
 */
export function suppliesService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function supplies(trx: Tx, codes?: string[]): Promise<Supply[]> {
    let q = supplyRows(trx);
    if (codes) q = q.where('s.code', 'in', codes);
    const rows = await q.execute();
    const last = rows.length === 0 ? [] : await lastPurchases(trx, rows.map((r) => r.id));
    const lastOf = new Map(last.map((l) => [l.supply_id, { date: l.date, unitPrice: priceText(l.unit_price), supplier: l.supplier }]));
    return rows.map((r: SupplyRow) => ({
      id: r.id,
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      unitLabel: r.unit_label,
      kind: r.kind as Supply['kind'],
      stock: r.stock ?? '0.00',
      lastPurchase: lastOf.get(r.id) ?? null,
      version: r.version,
    }));
  }

  /** Inserts a movement that takes from the stock (or corrects it) once the locked stock allows it. */
  async function takeFromStock(trx: Tx, actor: Actor, m: { supply: string; date: string; kind: 'out' | 'adjust'; quantity: string; unitId?: string | null; checkpointId?: string | null; note: string | null }) {
    const supply = await lockSupply(trx, m.supply);
    if (!supply) throw supplyNotFound(m.supply);
    const change = m.kind === 'out' ? `-${m.quantity}` : m.quantity;
    if (change.startsWith('-')) {
      const { available, enough } = await availableOn(trx, supply.id, m.date, change);
      if (!enough) throw businessRule('STOCK_INSUFFICIENT', `Only ${available} ${supply.unit_label} of ${supply.code} can leave the stock on ${m.date}`, { available, date: m.date });
    }
    const row = await trx
      .insertInto('supply_movements')
      .values({ supply_id: supply.id, date: m.date, kind: m.kind, quantity: m.quantity, unit_id: m.unitId ?? null, checkpoint_id: m.checkpointId ?? null, note: m.note, created_by: actor.userId, created_at: clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, supply };
  }

  const movement = async (trx: Tx, id: string) => toMovement(await movementRows(trx, {}).where('mv.id', '=', id).executeTakeFirstOrThrow());

  return {
    async list(): Promise<{ rows: Supply[] }> {
      return db.transaction().execute(async (trx) => ({ rows: await supplies(trx) }));
    },

    async create(ctx: RequestContext, body: CreateSupplyBody): Promise<Supply> {
      return db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('supplies').select('id').where('code', '=', body.code).executeTakeFirst()) throw conflict('SUPPLY_CODE_TAKEN', `There is already a supply ${body.code}`);
        const now = clock.now();
        const row = await trx
          .insertInto('supplies')
          .values({ code: body.code, name_zh: body.nameZh, name_en: body.nameEn, unit_label: body.unitLabel, kind: body.kind, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'supply.create', objectType: 'supply', objectId: row.id, details: { code: body.code, nameZh: body.nameZh, unitLabel: body.unitLabel, kind: body.kind } });
        return (await supplies(trx, [body.code]))[0]!;
      });
    },

    async purchase(ctx: RequestContext, actor: Actor, body: PurchaseBody): Promise<PurchaseCreated> {
      if (body.quotes.length < minQuotes) throw businessRule('QUOTES_TOO_FEW', `Compare at least ${minQuotes} quotes (${body.quotes.length} given)`, { given: body.quotes.length, required: minQuotes });
      const seen = new Set<string>();
      for (const q of body.quotes) {
        const key = supplierKey(q.supplier);
        if (seen.has(key)) throw businessRule('QUOTES_DUPLICATE_SUPPLIER', `Two quotes from ${q.supplier}: each quote must come from another supplier`, { supplier: q.supplier });
        seen.add(key);
      }
      let lowest = 0;
      body.quotes.forEach((q, i) => {
        if (below(q.unitPrice, body.quotes[lowest]!.unitPrice)) lowest = i;
      });
      const chosen = body.quotes[body.chosen]!;
      const lowestChosen = !below(body.quotes[lowest]!.unitPrice, chosen.unitPrice);
      if (!lowestChosen && body.reason === undefined) {
        throw businessRule('QUOTE_REASON_REQUIRED', `The chosen quote (${chosen.supplier}) is not the lowest (${body.quotes[lowest]!.supplier}): give a reason`, { field: 'reason', lowest });
      }
      return db.transaction().execute(async (trx) => {
        const supply = await lockSupply(trx, body.supply);
        if (!supply) throw supplyNotFound(body.supply);
        const quoteIds = body.quotes.map(() => randomUUID());
        const now = clock.now();
        // chosen_quote_id's foreign key is deferred: the purchase names its quote before the quotes exist.
        const purchase = await trx
          .insertInto('supply_purchases')
          .values({ supply_id: supply.id, date: body.date, quantity: body.quantity, chosen_quote_id: quoteIds[body.chosen]!, reason: body.reason ?? null, created_by: actor.userId, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('supply_quotes')
          .values(body.quotes.map((q, i) => ({ id: quoteIds[i]!, purchase_id: purchase.id, supplier: q.supplier, unit_price: q.unitPrice, note: q.note ?? null })))
          .execute();
        await trx
          .insertInto('supply_movements')
          .values({ supply_id: supply.id, date: body.date, kind: 'in', quantity: body.quantity, purchase_id: purchase.id, created_by: actor.userId, created_at: now })
          .execute();
        const total = lineTotal(body.quantity, chosen.unitPrice);
        await audit(trx, deps, ctx, {
          action: 'supply.purchase',
          objectType: 'supply_purchase',
          objectId: purchase.id,
          details: { supply: supply.code, date: body.date, quantity: body.quantity, quotes: body.quotes.length, supplier: chosen.supplier, unitPrice: chosen.unitPrice, total, lowestChosen, reason: body.reason ?? null },
        });
        return { id: purchase.id, supply: supply.code, date: body.date, quantity: body.quantity, chosen: body.chosen, lowest, total, reason: body.reason ?? null };
      });
    },

    async purchases(q: Range & { supply?: string | undefined }): Promise<{ rows: Purchase[] }> {
      return db.transaction().execute(async (trx) => {
        let query = purchaseRows(trx);
        if (q.supply) query = query.where('s.code', '=', q.supply);
        if (q.from) query = query.where('p.date', '>=', q.from);
        if (q.to) query = query.where('p.date', '<=', q.to);
        const rows = await query.orderBy('p.date', 'desc').orderBy('p.created_at', 'desc').limit(2000).execute();
        const quotes = rows.length === 0 ? [] : await trx.selectFrom('supply_quotes').selectAll().where('purchase_id', 'in', rows.map((r) => r.id)).orderBy('unit_price').orderBy('supplier').execute();
        return {
          rows: rows.map((r) => {
            const own = quotes.filter((x) => x.purchase_id === r.id);
            const min = own[0]?.unit_price;
            const chosen = own.find((x) => x.id === r.chosen_quote_id);
            return {
              id: r.id,
              supply: { code: r.supply_code, nameZh: r.supply_name_zh, unitLabel: r.unit_label },
              date: r.date,
              quantity: r.quantity,
              quotes: own.map((x) => ({ supplier: x.supplier, unitPrice: priceText(x.unit_price), note: x.note, chosen: x.id === r.chosen_quote_id, lowest: min !== undefined && !below(min, x.unit_price) })),
              total: r.total ?? '0.00',
              lowestChosen: chosen !== undefined && min !== undefined && !below(min, chosen.unit_price),
              reason: r.reason,
              createdBy: r.created_by,
              createdAt: r.created_at.toISOString(),
            };
          }),
        };
      });
    },

    async distribute(ctx: RequestContext, actor: Actor, body: DistributionBody): Promise<Movement> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        let unit: { id: string; code: string } | null = null;
        let checkpoint: { id: string; code: string; site_code: string } | null = null;
        if (body.unit !== undefined) {
          const u = await trx.selectFrom('units').select(['id', 'code']).where('code', '=', body.unit).executeTakeFirst();
          if (!u || !inScope(scope, u.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${body.unit}`);
          unit = u;
        } else if (body.checkpoint !== undefined) {
          checkpoint = await checkpointInScope(trx, scope, body.checkpoint);
        }
        const { id, supply } = await takeFromStock(trx, actor, { supply: body.supply, date: body.date, kind: 'out', quantity: body.quantity, unitId: unit?.id ?? null, checkpointId: checkpoint?.id ?? null, note: body.note ?? null });
        await audit(trx, deps, ctx, {
          action: 'supply.distribute',
          objectType: 'supply_movement',
          objectId: id,
          details: { supply: supply.code, date: body.date, quantity: body.quantity, unit: unit?.code ?? null, checkpoint: checkpoint?.code ?? null, site: checkpoint?.site_code ?? null },
        });
        return movement(trx, id);
      });
    },

    async adjust(ctx: RequestContext, actor: Actor, body: AdjustmentBody): Promise<Movement> {
      return db.transaction().execute(async (trx) => {
        const { id, supply } = await takeFromStock(trx, actor, { supply: body.supply, date: body.date, kind: 'adjust', quantity: body.quantity, note: body.note });
        await audit(trx, deps, ctx, { action: 'supply.adjust', objectType: 'supply_movement', objectId: id, details: { supply: supply.code, date: body.date, quantity: body.quantity, note: body.note } });
        return movement(trx, id);
      });
    },

    async movements(q: Range & { supply?: string | undefined }): Promise<{ rows: Movement[] }> {
      return db.transaction().execute(async (trx) => {
        let supplyId: string | undefined;
        if (q.supply) {
          const s = await trx.selectFrom('supplies').select('id').where('code', '=', q.supply).executeTakeFirst();
          if (!s) throw supplyNotFound(q.supply);
          supplyId = s.id;
        }
        const rows = await movementRows(trx, { supplyId, from: q.from, to: q.to }).limit(5000).execute();
        return { rows: rows.map(toMovement) };
      });
    },

    async summary(q: Range): Promise<DistributionSummary> {
      return db.transaction().execute(async (trx) => {
        const [rows, totals] = await Promise.all([distributedTotals(trx, q), distributedBySupply(trx, q)]);
        const supply = (r: { supply_code: string; supply_name_zh: string; unit_label: string }) => ({ code: r.supply_code, nameZh: r.supply_name_zh, unitLabel: r.unit_label });
        return {
          from: q.from ?? null,
          to: q.to ?? null,
          totals: totals.map((r) => ({ supply: supply(r), quantity: r.quantity })),
          byUnit: rows.filter((r) => r.unit_code !== null).map((r) => ({ unit: { code: r.unit_code!, nameZh: r.unit_name_zh ?? '' }, supply: supply(r), quantity: r.quantity })),
          byCheckpoint: rows
            .filter((r) => r.checkpoint_code !== null)
            .map((r) => ({ checkpoint: { code: r.checkpoint_code!, nameZh: r.checkpoint_name_zh ?? '', site: r.site_code ?? '' }, supply: supply(r), quantity: r.quantity })),
        };
      });
    },
  };
}
export type SuppliesService = ReturnType<typeof suppliesService>;
