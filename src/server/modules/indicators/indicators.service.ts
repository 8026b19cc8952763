import { checkFormulas } from '../../../domain/benchmarking/formula';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { findUnit, findUnitByCode, type UnitRow } from '../units/units.repository';
import { findIndicatorByCode, insertIndicator, listAssignments, listIndicators, updateIndicatorVersioned } from './indicators.repository';
import type { CreateIndicatorBody, Indicator, IndicatorIssue, UpdateIndicatorBody } from './indicators.schemas';

export const indicatorNotFound = (code: string) => notFound('INDICATOR_NOT_FOUND', `No indicator ${code}`);

/**
 * The rules an indicator must meet on its own and within the library: a formula exactly when
 * aggregated by formula, a centre for bands, a sane range, and formulas that parse, name known
 * indicators and make no cycle.
 */
export async function checkIndicator(trx: Tx, candidate: Omit<Indicator, 'id' | 'version'>): Promise<void> {
  const issues: IndicatorIssue[] = [];
  const add = (code: IndicatorIssue['code'], field: IndicatorIssue['field'], message: string, codes: string[] = []) => issues.push({ code, field, codes, message });
  if ((candidate.aggregation === 'formula') !== (candidate.formula !== null)) add('FORMULA_MISMATCH', 'formula', 'A formula is required exactly when the aggregation is "formula"');
  if (candidate.direction === 'band' && candidate.bandCentre === null) add('BAND_CENTRE_MISSING', 'bandCentre', 'A band indicator needs a centre value');
  if (candidate.rangeMin !== null && candidate.rangeMax !== null && candidate.rangeMin > candidate.rangeMax) add('RANGE_REVERSED', 'rangeMax', 'The reasonable range is reversed');
  if (candidate.validTo !== null && candidate.validTo < candidate.validFrom) add('VALIDITY_REVERSED', 'validTo', 'Valid to is before valid from');
  if (candidate.ownerUnitId && !(await findUnit(trx, candidate.ownerUnitId))) add('OWNER_UNIT_MISSING', 'ownerUnitId', 'The owner unit does not exist');
  if (candidate.formula !== null) {
    const library = (await listIndicators(trx)).filter((i) => i.code !== candidate.code).map((i) => ({ code: i.code, formula: i.formula }));
    for (const p of checkFormulas([...library, { code: candidate.code, formula: candidate.formula }])) add(p.kind, 'formula', p.message, p.codes);
  }
  if (issues.length > 0) {
    // `problems` (the sentences) for people and older clients; `issues` with codes for programs.
    throw businessRule('INDICATOR_INVALID', issues.map((i) => i.message).join('; '), { problems: issues.map((i) => i.message), issues });
  }
}

export function indicatorService(deps: Deps) {
  const { db } = deps.database;

  async function visibleUnitByCode(trx: Tx, actor: Actor, code: string): Promise<UnitRow> {
    const unit = await findUnitByCode(trx, code);
    if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${code}`);
    return unit;
  }

  return {
    list: () => listIndicators(db),

    async get(code: string): Promise<Indicator> {
      const ind = await findIndicatorByCode(db, code);
      if (!ind) throw indicatorNotFound(code);
      return ind;
    },

    async create(ctx: RequestContext, body: CreateIndicatorBody): Promise<Indicator> {
      return db.transaction().execute(async (trx) => {
        if (await findIndicatorByCode(trx, body.code)) throw conflict('INDICATOR_CODE_TAKEN', `The indicator code ${body.code} is already used`);
        await checkIndicator(trx, body);
        const created = await insertIndicator(trx, body, deps.clock.now());
        const { id: _id, version: _v, ...fields } = created;
        await audit(trx, deps, ctx, { action: 'indicator.create', objectType: 'indicator', objectId: created.code, changes: diffChanges(null, fields) });
        return created;
      });
    },

    async update(ctx: RequestContext, code: string, body: UpdateIndicatorBody): Promise<Indicator> {
      return db.transaction().execute(async (trx) => {
        const current = await findIndicatorByCode(trx, code);
        if (!current) throw indicatorNotFound(code);
        if (current.version !== body.version) throw staleVersion();
        const { version, ...patch } = body;
        const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Indicator;
        if (next.aggregation !== current.aggregation || next.formula !== current.formula) {
          const used = await trx.selectFrom('measurements').select('id').where('indicator_id', '=', current.id).limit(1).executeTakeFirst();
          if (used && (next.aggregation === 'formula') !== (current.aggregation === 'formula')) {
            throw businessRule('INDICATOR_HAS_DATA', 'An indicator with reported data cannot switch between typed and derived');
          }
        }
        await checkIndicator(trx, next);
        const { id: _id, version: _v, code: _c, ...fields } = next;
        const updated = await updateIndicatorVersioned(trx, current.id, version, fields, deps.clock.now());
        if (!updated) throw staleVersion();
        await audit(trx, deps, ctx, { action: 'indicator.update', objectType: 'indicator', objectId: code, changes: diffChanges(current as unknown as Record<string, unknown>, fields) });
        return updated;
      });
    },

    async assignments(actor: Actor, unitCode: string) {
      const unit = await db.transaction().execute((trx) => visibleUnitByCode(trx, actor, unitCode));
      const rows = await listAssignments(db, unit.id);
      return { unit: unit.code, items: rows.map((r) => ({ indicator: r.indicator, weight: Number(r.weight), sortOrder: r.sort_order })) };
    },

    /** Replaces a unit's indicator set; indicators with data stay reportable through history. */
    async putAssignments(ctx: RequestContext, actor: Actor, unitCode: string, items: { indicator: string; weight: number }[]) {
      return db.transaction().execute(async (trx) => {
        const unit = await visibleUnitByCode(trx, actor, unitCode);
        const codes = [...new Set(items.map((i) => i.indicator))];
        if (codes.length !== items.length) throw businessRule('ASSIGNMENT_DUPLICATE', 'An indicator is listed twice');
        const found = codes.length ? await trx.selectFrom('indicators').select(['id', 'code']).where('code', 'in', codes).execute() : [];
        const missing = codes.filter((c) => !found.some((f) => f.code === c));
        if (missing.length) throw businessRule('INDICATOR_NOT_FOUND', `Unknown indicators: ${missing.join(', ')}`, { indicators: missing });
        const before = (await listAssignments(trx, unit.id)).map((r) => `${r.indicator}:${Number(r.weight)}`);
        await trx.deleteFrom('indicator_assignments').where('unit_id', '=', unit.id).execute();
        if (items.length) {
          await trx
            .insertInto('indicator_assignments')
            .values(items.map((it, i) => ({ unit_id: unit.id, indicator_id: found.find((f) => f.code === it.indicator)!.id, weight: it.weight, sort_order: i * 10, created_at: deps.clock.now() })))
            .execute();
        }
        const after = items.map((i) => `${i.indicator}:${i.weight}`);
        await audit(trx, deps, ctx, { action: 'assignment.set', objectType: 'unit', objectId: unit.id, changes: { indicators: { old: before, new: after } } });
        return { unit: unit.code, items: items.map((it, i) => ({ indicator: it.indicator, weight: it.weight, sortOrder: i * 10 })) };
      });
    },
  };
}
export type IndicatorService = ReturnType<typeof indicatorService>;
