import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { listUnits } from '../units/units.repository';
import type { CreateMeterBody, FormulaTerm, Meter, MeterKind, PutMeterBody, Replacement, ReplacementBody } from './energy.schemas';
import { meterProblems, type MeterNode, type UnitParents } from './meter-rules';
import { parseReadingTime } from './reading-time';

/** The meters with their unit and parent codes, as the API shows them. */
export const meterRows = (trx: Db | Tx) =>
  trx
    .selectFrom('meters as m')
    .innerJoin('units as u', 'u.id', 'm.unit_id')
    .leftJoin('meters as p', 'p.id', 'm.parent_id')
    .select([
      'm.id', 'm.key', 'm.code', 'm.name_zh', 'm.name_en', 'm.carrier', 'm.kind', 'm.uom', 'm.unit_id', 'u.code as unit', 'u.name_zh as unit_name', 'p.code as parent',
      'm.rollover', 'm.multiplier', 'm.interval_minutes', 'm.formula', 'm.valid_from', 'm.valid_to', 'm.active', 'm.sort_order', 'm.version',
    ]);
export type MeterRow = Awaited<ReturnType<ReturnType<typeof meterRows>['executeTakeFirstOrThrow']>>;

const dateText = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

export function toMeter(r: MeterRow): Meter {
  return {
    id: r.id,
    key: r.key,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    carrier: r.carrier as Meter['carrier'],
    kind: r.kind as MeterKind,
    uom: r.uom,
    unit: r.unit,
    unitName: r.unit_name,
    parent: r.parent,
    rollover: r.rollover === null ? null : Number(r.rollover),
    multiplier: Number(r.multiplier),
    intervalMinutes: r.interval_minutes,
    formula: r.formula,
    validFrom: dateText(r.valid_from),
    validTo: r.valid_to === null ? null : dateText(r.valid_to),
    active: r.active,
    sortOrder: r.sort_order,
    version: r.version,
  };
}

export const nodeOf = (m: Meter, unitId: string): MeterNode => ({
  code: m.code, kind: m.kind, carrier: m.carrier, uom: m.uom, unitId, parentCode: m.parent, rollover: m.rollover, formula: m.formula, validFrom: m.validFrom, validTo: m.validTo,
});

/** Every meter as a node of the graph the rules check, by code. */
export async function meterGraph(trx: Db | Tx): Promise<{ graph: Map<string, MeterNode>; rows: MeterRow[] }> {
  const rows = await meterRows(trx).execute();
  return { graph: new Map(rows.map((r) => [r.code, nodeOf(toMeter(r), r.unit_id)])), rows };
}

export async function unitParents(trx: Db | Tx): Promise<{ parents: UnitParents; byCode: Map<string, { id: string; code: string }> }> {
  const units = await listUnits(trx);
  return { parents: new Map(units.map((u) => [u.id, u.parent_id])), byCode: new Map(units.map((u) => [u.code, u])) };
}

const auditable = (b: CreateMeterBody | PutMeterBody) => ({
  nameZh: b.nameZh, nameEn: b.nameEn, carrier: b.carrier, kind: b.kind, uom: b.uom, unit: b.unit, parent: b.parent, rollover: b.rollover, multiplier: b.multiplier,
  intervalMinutes: b.intervalMinutes, formula: b.formula, validFrom: b.validFrom, validTo: b.validTo, sortOrder: b.sortOrder, ...('active' in b ? { active: b.active } : {}),
});

export function meterService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function visible(trx: Db | Tx, actor: Actor, code: string): Promise<MeterRow> {
    const r = await meterRows(trx).where('m.code', '=', code).executeTakeFirst();
    if (!r || !inScope(await visibleUnitIds(trx, actor), r.unit_id)) throw notFound('METER_NOT_FOUND', `No meter ${code}`);
    return r;
  }

  /** Puts the changed meter into the graph and throws the first broken rule. */
  async function check(trx: Tx, actor: Actor, code: string, body: CreateMeterBody | PutMeterBody): Promise<{ unitId: string; parentId: string | null }> {
    const scope = await visibleUnitIds(trx, actor);
    const { parents, byCode } = await unitParents(trx);
    const unit = byCode.get(body.unit);
    if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${body.unit}`);
    const { graph, rows } = await meterGraph(trx);
    graph.set(code, { code, kind: body.kind, carrier: body.carrier, uom: body.uom, unitId: unit.id, parentCode: body.parent, rollover: body.rollover, formula: body.formula, validFrom: body.validFrom, validTo: body.validTo });
    const problem = meterProblems(graph, parents, code)[0];
    if (problem) throw businessRule(problem.code, problem.message, { field: problem.field });
    return { unitId: unit.id, parentId: body.parent === null ? null : rows.find((r) => r.code === body.parent)!.id };
  }

  const fields = (body: CreateMeterBody | PutMeterBody, unitId: string, parentId: string | null) => ({
    name_zh: body.nameZh, name_en: body.nameEn, carrier: body.carrier, kind: body.kind, uom: body.uom, unit_id: unitId, parent_id: parentId, rollover: body.rollover, multiplier: body.multiplier,
    interval_minutes: body.intervalMinutes, formula: JSON.stringify(body.formula as FormulaTerm[]), valid_from: body.validFrom, valid_to: body.validTo, sort_order: body.sortOrder,
  });

  return {
    async list(actor: Actor, q: { unit?: string | undefined; carrier?: string | undefined }): Promise<{ rows: Meter[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        let query = meterRows(trx);
        if (q.unit) {
          const { byCode } = await unitParents(trx);
          const unit = byCode.get(q.unit);
          if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${q.unit}`);
          query = query.where('m.unit_id', '=', unit.id);
        }
        if (q.carrier) query = query.where('m.carrier', '=', q.carrier);
        const rows = await query.orderBy('u.code').orderBy('m.sort_order').orderBy('m.code').execute();
        return { rows: rows.filter((r) => inScope(scope, r.unit_id)).map(toMeter) };
      });
    },

    async get(actor: Actor, code: string): Promise<Meter & { replacements: Replacement[] }> {
      return db.transaction().execute(async (trx) => {
        const r = await visible(trx, actor, code);
        const reps = await trx.selectFrom('meter_replacements').selectAll().where('meter_id', '=', r.id).orderBy('at').execute();
        return { ...toMeter(r), replacements: reps.map((x) => ({ id: x.id, meter: r.code, at: x.at.toISOString(), oldFinal: Number(x.old_final), newInitial: Number(x.new_initial), note: x.note })) };
      });
    },

    async create(ctx: RequestContext, actor: Actor, body: CreateMeterBody): Promise<Meter> {
      return db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('meters').select('id').where('code', '=', body.code).executeTakeFirst()) throw conflict('METER_EXISTS', `A meter ${body.code} already exists`);
        const { unitId, parentId } = await check(trx, actor, body.code, body);
        const now = clock.now();
        await trx.insertInto('meters').values({ code: body.code, ...fields(body, unitId, parentId), created_at: now, updated_at: now }).execute();
        await audit(trx, deps, ctx, { action: 'meter.create', objectType: 'meter', objectId: body.code, changes: diffChanges(null, auditable(body)) });
        return toMeter(await meterRows(trx).where('m.code', '=', body.code).executeTakeFirstOrThrow());
      });
    },

    async update(ctx: RequestContext, actor: Actor, code: string, body: PutMeterBody): Promise<Meter> {
      return db.transaction().execute(async (trx) => {
        const before = await visible(trx, actor, code);
        if (before.kind !== body.kind && (before.kind === 'virtual' || body.kind === 'virtual')) {
          const hasReadings = await trx.selectFrom('meter_readings').select('meter_key').where('meter_key', '=', before.key).limit(1).executeTakeFirst();
          if (hasReadings) throw businessRule('METER_HAS_READINGS', `${code} has readings; it cannot become or stop being a virtual meter`, { field: 'kind' });
        }
        const { unitId, parentId } = await check(trx, actor, code, body);
        const now = clock.now();
        const r = await trx
          .updateTable('meters')
          .set({ ...fields(body, unitId, parentId), active: body.active, updated_at: now, version: before.version + 1 })
          .where('id', '=', before.id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const old = toMeter(before);
        await audit(trx, deps, ctx, { action: 'meter.update', objectType: 'meter', objectId: code, changes: diffChanges(old as unknown as Record<string, unknown>, auditable(body)) });
        return toMeter(await meterRows(trx).where('m.id', '=', before.id).executeTakeFirstOrThrow());
      });
    },

    /** Records a meter exchanged in place: the old register's final reading and the new one's first. */
    async replace(ctx: RequestContext, actor: Actor, code: string, body: ReplacementBody): Promise<Replacement> {
      return db.transaction().execute(async (trx) => {
        const m = await visible(trx, actor, code);
        if (m.kind !== 'counter') throw businessRule('REPLACEMENT_NOT_COUNTER', `${code} is a ${m.kind} meter; only a counter is replaced with final and initial readings`, { field: 'kind' });
        const at = parseReadingTime(body.at);
        if (!at.ok) throw businessRule('INVALID_TIME', at.message, { field: 'at' });
        if (at.ms > clock.now().getTime() + 86_400_000) throw businessRule('TIME_IN_FUTURE', 'at: the replacement is in the future', { field: 'at' });
        const rollover = m.rollover === null ? null : Number(m.rollover);
        if (rollover !== null && (body.oldFinal >= rollover || body.newInitial >= rollover)) throw businessRule('ABOVE_ROLLOVER', `Readings of ${code} stay below its rollover ${rollover}`, { field: body.oldFinal >= rollover ? 'oldFinal' : 'newInitial' });
        const when = new Date(at.ms);
        if (await trx.selectFrom('meter_replacements').select('id').where('meter_id', '=', m.id).where('at', '=', when).executeTakeFirst()) {
          throw conflict('REPLACEMENT_EXISTS', `${code} already has a replacement at ${when.toISOString()}`);
        }
        const row = await trx
          .insertInto('meter_replacements')
          .values({ meter_id: m.id, at: when, old_final: body.oldFinal, new_initial: body.newInitial, note: body.note, created_by: actor.userId, created_at: clock.now() })
          .returning(['id', 'at', 'old_final', 'new_initial', 'note'])
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'meter.replace', objectType: 'meter', objectId: code, details: { at: when.toISOString(), oldFinal: body.oldFinal, newInitial: body.newInitial, note: body.note } });
        return { id: row.id, meter: code, at: row.at.toISOString(), oldFinal: Number(row.old_final), newInitial: Number(row.new_initial), note: row.note };
      });
    },
  };
}
export type MeterService = ReturnType<typeof meterService>;
