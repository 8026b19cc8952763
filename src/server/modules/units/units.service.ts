import { wouldCreateCycle } from '../../../domain/scope';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { countActiveChildren, findUnit, findUnitByCode, insertUnit, listUnits, toUnit, updateUnitVersioned, type UnitRow } from './units.repository';
import type { CreateUnitBody, Unit, UpdateUnitBody } from './units.schemas';

const unitNotFound = () => notFound('UNIT_NOT_FOUND', 'No such unit');

/** Today's date in China, where the company's calendar runs. */
export function todayInShanghai(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function unitService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  /** Loads a unit the actor may see; outside the scope it does not exist (404, not 403). */
  async function visibleUnit(trx: Tx, actor: Actor, id: string): Promise<UnitRow> {
    const unit = await findUnit(trx, id);
    if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw unitNotFound();
    return unit;
  }

  async function change(ctx: RequestContext, actor: Actor, id: string, version: number, action: string, build: (unit: UnitRow, trx: Tx) => Promise<Partial<UnitRow>>): Promise<Unit> {
    return db.transaction().execute(async (trx) => {
      const unit = await visibleUnit(trx, actor, id);
      if (unit.version !== version) throw staleVersion();
      const patch = await build(unit, trx);
      const updated = await updateUnitVersioned(trx, id, version, patch, clock.now());
      if (!updated) throw staleVersion();
      await audit(trx, deps, ctx, { action, objectType: 'unit', objectId: id, changes: diffChanges(unit, patch) });
      return toUnit(updated);
    });
  }

  return {
    async list(actor: Actor): Promise<Unit[]> {
      const scope = await visibleUnitIds(db, actor);
      return (await listUnits(db)).filter((u) => inScope(scope, u.id)).map(toUnit);
    },

    async create(ctx: RequestContext, actor: Actor, body: CreateUnitBody): Promise<Unit> {
      return db.transaction().execute(async (trx) => {
        if (body.parentId === null) {
          if (actor.roles.every((r) => r.scope !== 'all')) throw unitNotFound();
        } else {
          const parent = await visibleUnit(trx, actor, body.parentId);
          if (!parent.active) throw businessRule('UNIT_INACTIVE', 'The parent unit is deactivated');
        }
        if (await findUnitByCode(trx, body.code)) throw conflict('UNIT_CODE_TAKEN', `The code ${body.code} is already used`);
        const created = await insertUnit(trx, {
          code: body.code,
          nameZh: body.nameZh,
          nameEn: body.nameEn,
          kind: body.kind,
          parentId: body.parentId,
          peerClass: body.peerClass ?? '',
          validFrom: body.validFrom ?? todayInShanghai(clock.now()),
          sortOrder: body.sortOrder ?? 0,
          now: clock.now(),
        });
        const unit = toUnit(created);
        await audit(trx, deps, ctx, {
          action: 'unit.create',
          objectType: 'unit',
          objectId: unit.id,
          changes: diffChanges(null, { code: unit.code, name_zh: unit.nameZh, name_en: unit.nameEn, kind: unit.kind, parent_id: unit.parentId, peer_class: unit.peerClass, valid_from: unit.validFrom }),
        });
        return unit;
      });
    },

    update(ctx: RequestContext, actor: Actor, id: string, body: UpdateUnitBody): Promise<Unit> {
      return change(ctx, actor, id, body.version, 'unit.update', async (unit) => {
        const patch: Partial<UnitRow> = {};
        if (body.nameZh !== undefined) patch.name_zh = body.nameZh;
        if (body.nameEn !== undefined) patch.name_en = body.nameEn;
        if (body.kind !== undefined) patch.kind = body.kind;
        if (body.peerClass !== undefined) patch.peer_class = body.peerClass;
        if (body.sortOrder !== undefined) patch.sort_order = body.sortOrder;
        if (body.validFrom !== undefined) patch.valid_from = body.validFrom;
        if (body.validTo !== undefined) patch.valid_to = body.validTo;
        const from = patch.valid_from ?? unit.valid_from;
        const to = patch.valid_to === undefined ? unit.valid_to : patch.valid_to;
        if (to !== null && to < from) throw businessRule('UNIT_VALIDITY', 'Valid to must not be before valid from');
        return patch;
      });
    },

    move(ctx: RequestContext, actor: Actor, id: string, version: number, parentId: string): Promise<Unit> {
      return change(ctx, actor, id, version, 'unit.move', async (unit, trx) => {
        const parent = await visibleUnit(trx, actor, parentId);
        if (!parent.active) throw businessRule('UNIT_INACTIVE', 'The new parent unit is deactivated');
        if (wouldCreateCycle(await trx.selectFrom('units').select(['id', 'parent_id as parentId']).execute(), unit.id, parentId)) {
          throw businessRule('UNIT_CYCLE', 'A unit cannot move under itself or one of its own sub-units');
        }
        return { parent_id: parentId };
      });
    },

    deactivate(ctx: RequestContext, actor: Actor, id: string, version: number, validTo?: string): Promise<Unit> {
      return change(ctx, actor, id, version, 'unit.deactivate', async (unit, trx) => {
        if (!unit.active) throw businessRule('UNIT_INACTIVE', 'The unit is already deactivated');
        if ((await countActiveChildren(trx, unit.id)) > 0) throw businessRule('UNIT_HAS_ACTIVE_CHILDREN', 'Deactivate or move its sub-units first');
        const end = validTo ?? todayInShanghai(clock.now());
        if (end < unit.valid_from) throw businessRule('UNIT_VALIDITY', 'Valid to must not be before valid from');
        return { active: false, valid_to: end };
      });
    },

    activate(ctx: RequestContext, actor: Actor, id: string, version: number): Promise<Unit> {
      return change(ctx, actor, id, version, 'unit.activate', async (unit, trx) => {
        if (unit.active) throw businessRule('UNIT_ACTIVE', 'The unit is already active');
        if (unit.parent_id) {
          const parent = await findUnit(trx, unit.parent_id);
          if (parent && !parent.active) throw businessRule('UNIT_INACTIVE', 'Activate the parent unit first');
        }
        return { active: true, valid_to: null };
      });
    },
  };
}
export type UnitService = ReturnType<typeof unitService>;
