import { assetStatus, ledgerSummary, overdueSteps, type AssetKind, type AssetStatus, type PlanStep } from '../../../domain/results/idle-assets';
import { cmp } from '../../../domain/evaluation/decimal';
import { decimalOf, yuan } from '../../../domain/results/money';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { findUnitByCode } from '../units/units.repository';
import { todayInShanghai } from '../units/units.service';
import type { CreateAssetBody, DisposeBody, IdleAsset, PutAssetBody } from './idle-assets.schemas';

export function idleAssetService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  const rows = (trx: Db | Tx) =>
    trx
      .selectFrom('idle_assets as a')
      .innerJoin('units as u', 'u.id', 'a.unit_id')
      .leftJoin('people as p', 'p.id', 'a.owner_person_id')
      .select(['a.id', 'a.code', 'a.name', 'a.kind', 'a.unit_id', 'u.code as unit', 'u.name_zh as unit_name', 'a.original_value', 'a.book_value', 'a.idle_since', 'a.disposal_route', 'a.plan', 'p.code as owner', 'p.name as owner_name', 'a.status', 'a.proceeds', 'a.disposed_on', 'a.note', 'a.version']);
  type Row = Awaited<ReturnType<ReturnType<typeof rows>['executeTakeFirstOrThrow']>>;

  const toAsset = (r: Row, today: string): IdleAsset => {
    const plan = r.plan as PlanStep[];
    const overdue = new Set(overdueSteps(plan, today));
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      kind: r.kind as AssetKind,
      unit: r.unit,
      unitName: r.unit_name,
      originalValue: yuan(decimalOf(r.original_value)),
      bookValue: yuan(decimalOf(r.book_value)),
      idleSince: r.idle_since,
      disposalRoute: r.disposal_route as IdleAsset['disposalRoute'],
      plan: plan.map((s) => ({ ...s, overdue: r.status !== 'disposed' && overdue.has(s) })),
      progress: plan.length === 0 ? 0 : Math.round((plan.filter((s) => s.done).length / plan.length) * 100),
      owner: r.owner,
      ownerName: r.owner_name,
      status: r.status as AssetStatus,
      proceeds: r.proceeds === null ? null : yuan(decimalOf(r.proceeds)),
      disposedOn: r.disposed_on,
      note: r.note,
      version: r.version,
    };
  };

  async function visible(trx: Tx, actor: Actor, id: string): Promise<Row> {
    const r = await rows(trx).where('a.id', '=', id).executeTakeFirst();
    if (!r || !inScope(await visibleUnitIds(trx, actor), r.unit_id)) throw notFound('ASSET_NOT_FOUND', 'No such idle asset');
    return r;
  }

  async function resolve(trx: Tx, actor: Actor, body: CreateAssetBody | PutAssetBody) {
    const unit = await findUnitByCode(trx, body.unit);
    if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${body.unit}`);
    let ownerId: string | null = null;
    if (body.owner) {
      const p = await trx.selectFrom('people').select('id').where('code', '=', body.owner).executeTakeFirst();
      if (!p) throw notFound('PERSON_NOT_FOUND', `No person ${body.owner}`);
      ownerId = p.id;
    }
    if (cmp(decimalOf(body.bookValue), decimalOf(body.originalValue)) > 0) {
      throw businessRule('BOOK_VALUE_ABOVE_ORIGINAL', 'The book value cannot exceed the original value', { field: 'bookValue' });
    }
    return { unitId: unit.id, ownerId };
  }

  const auditable = (b: CreateAssetBody | PutAssetBody) => ({ name: b.name, kind: b.kind, unit: b.unit, originalValue: yuan(decimalOf(b.originalValue)), bookValue: yuan(decimalOf(b.bookValue)), idleSince: b.idleSince, disposalRoute: b.disposalRoute, plan: b.plan, owner: b.owner, note: b.note });

  return {
    async list(actor: Actor, filter: { unit?: string | undefined; status?: string | undefined; kind?: string | undefined }): Promise<IdleAsset[]> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        let q = rows(trx);
        if (filter.unit) {
          const unit = await findUnitByCode(trx, filter.unit);
          if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${filter.unit}`);
          q = q.where('a.unit_id', '=', unit.id);
        }
        if (filter.status) q = q.where('a.status', '=', filter.status);
        if (filter.kind) q = q.where('a.kind', '=', filter.kind);
        const today = todayInShanghai(clock.now());
        return (await q.orderBy('a.code').execute()).filter((r) => inScope(scope, r.unit_id)).map((r) => toAsset(r, today));
      });
    },

    async summary(actor: Actor) {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const today = todayInShanghai(clock.now());
        const all = (await rows(trx).execute()).filter((r) => inScope(scope, r.unit_id));
        const s = ledgerSummary(all.map((r) => ({ kind: r.kind as AssetKind, status: r.status as AssetStatus, bookValue: r.book_value, proceeds: r.proceeds })));
        const overdue = all.filter((r) => r.status !== 'disposed').reduce((n, r) => n + overdueSteps(r.plan as PlanStep[], today).length, 0);
        return { ...s, overdueSteps: overdue };
      });
    },

    async create(ctx: RequestContext, actor: Actor, body: CreateAssetBody): Promise<IdleAsset> {
      return db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('idle_assets').select('id').where('code', '=', body.code).executeTakeFirst()) throw conflict('ASSET_EXISTS', `An idle asset ${body.code} already exists`);
        const { unitId, ownerId } = await resolve(trx, actor, body);
        const now = clock.now();
        const row = await trx
          .insertInto('idle_assets')
          .values({
            code: body.code, name: body.name, kind: body.kind, unit_id: unitId, original_value: body.originalValue, book_value: body.bookValue, idle_since: body.idleSince, disposal_route: body.disposalRoute,
            plan: JSON.stringify(body.plan), owner_person_id: ownerId, status: assetStatus(body.plan, false), note: body.note, created_at: now, updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'idle_asset.create', objectType: 'idle_asset', objectId: body.code, changes: diffChanges(null, auditable(body)) });
        return toAsset(await rows(trx).where('a.id', '=', row.id).executeTakeFirstOrThrow(), todayInShanghai(now));
      });
    },

    /** Replaces an asset's fields and plan (the code stays); its status follows from the plan. A disposed asset is final. */
    async update(ctx: RequestContext, actor: Actor, id: string, body: PutAssetBody): Promise<IdleAsset> {
      return db.transaction().execute(async (trx) => {
        const before = await visible(trx, actor, id);
        if (before.status === 'disposed') throw conflict('ASSET_DISPOSED', `${before.code} is disposed; its record is final`);
        const { unitId, ownerId } = await resolve(trx, actor, body);
        const now = clock.now();
        const r = await trx
          .updateTable('idle_assets')
          .set({
            name: body.name, kind: body.kind, unit_id: unitId, original_value: body.originalValue, book_value: body.bookValue, idle_since: body.idleSince, disposal_route: body.disposalRoute,
            plan: JSON.stringify(body.plan), owner_person_id: ownerId, status: assetStatus(body.plan, false), note: body.note, updated_at: now, version: before.version + 1,
          })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const old = toAsset(before, todayInShanghai(now));
        await audit(trx, deps, ctx, {
          action: 'idle_asset.update',
          objectType: 'idle_asset',
          objectId: before.code,
          changes: diffChanges({ ...old, plan: (before.plan as PlanStep[]).map((s) => ({ step: s.step, due: s.due, done: s.done })) } as unknown as Record<string, unknown>, auditable(body)),
        });
        return toAsset(await rows(trx).where('a.id', '=', id).executeTakeFirstOrThrow(), todayInShanghai(now));
      });
    },

    /** Marks one plan step done or not done. */
    async setStep(ctx: RequestContext, actor: Actor, id: string, index: number, body: { done: boolean; version: number }): Promise<IdleAsset> {
      return db.transaction().execute(async (trx) => {
        const before = await visible(trx, actor, id);
        if (before.status === 'disposed') throw conflict('ASSET_DISPOSED', `${before.code} is disposed; its record is final`);
        const plan = (before.plan as PlanStep[]).map((s) => ({ ...s }));
        const step = plan[index];
        if (!step) throw notFound('STEP_NOT_FOUND', `The plan of ${before.code} has no step ${index}`);
        step.done = body.done;
        const now = clock.now();
        const r = await trx
          .updateTable('idle_assets')
          .set({ plan: JSON.stringify(plan), status: assetStatus(plan, false), updated_at: now, version: before.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await audit(trx, deps, ctx, { action: 'idle_asset.step', objectType: 'idle_asset', objectId: before.code, changes: { [`plan.${index}.done`]: { old: !body.done, new: body.done } }, details: { step: step.step } });
        return toAsset(await rows(trx).where('a.id', '=', id).executeTakeFirstOrThrow(), todayInShanghai(now));
      });
    },

    /** Records the disposal with its proceeds: the asset leaves the idle ledger (final). */
    async dispose(ctx: RequestContext, actor: Actor, id: string, body: DisposeBody): Promise<IdleAsset> {
      return db.transaction().execute(async (trx) => {
        const before = await visible(trx, actor, id);
        if (before.status === 'disposed') throw conflict('ASSET_DISPOSED', `${before.code} is already disposed`);
        if (body.disposedOn < before.idle_since) throw businessRule('DISPOSED_BEFORE_IDLE', `${before.code} was idle only from ${before.idle_since}`, { field: 'disposedOn' });
        const now = clock.now();
        const note = body.note ? (before.note ? `${before.note}\n${body.note}` : body.note) : before.note;
        const r = await trx
          .updateTable('idle_assets')
          .set({ status: 'disposed', proceeds: body.proceedsYuan, disposed_on: body.disposedOn, note, updated_at: now, version: before.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await audit(trx, deps, ctx, { action: 'idle_asset.dispose', objectType: 'idle_asset', objectId: before.code, changes: { status: { old: before.status, new: 'disposed' }, proceeds: { new: yuan(decimalOf(body.proceedsYuan)) }, disposedOn: { new: body.disposedOn } } });
        return toAsset(await rows(trx).where('a.id', '=', id).executeTakeFirstOrThrow(), todayInShanghai(now));
      });
    },
  };
}
export type IdleAssetService = ReturnType<typeof idleAssetService>;
