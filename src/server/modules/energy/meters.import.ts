import type { Tx } from '../../context';
import type { MappedRecord } from '../../imports/columns';
import { inScope } from '../../auth/scope';
import type { Carrier, MeterKind } from './energy.schemas';
import { formulaText, meterProblems, parseFormulaText } from './meter-rules';
import { meterGraph, unitParents } from './meters.service';

/** The column keys of the `meters` import kind (declared with their headers in modules/imports/imports.kinds.ts). */
type Key = 'code' | 'name' | 'carrier' | 'kind' | 'uom' | 'unit_code' | 'rollover' | 'multiplier' | 'parent_code' | 'formula' | 'interval_minutes';

/** Words a file may use for carriers and kinds. */
export const meterSynonyms = {
  carrier: {
    power: ['power', '电', '电力', '电能'], water: ['water', '水', '新水', '工业水'], air: ['air', '压缩空气', '压空', '空气'],
    gas: ['gas', '天然气', '燃气', '煤气'], steam: ['steam', '蒸汽'], heat: ['heat', '热', '热力', '热能'],
  } satisfies Record<Carrier, string[]>,
  kind: { counter: ['counter', '累计', '累计表', '计数'], interval: ['interval', '区间', '时段', '间隔'], virtual: ['virtual', '虚拟', '虚拟表'] } satisfies Record<MeterKind, string[]>,
};

/** The subset of the import framework's row checker the meters kind uses. */
export interface MeterRowChecker {
  errors: { row: number; column: string; value: string; message: string }[];
  fail(rec: MappedRecord<Key>, key: Key, message: string): null;
  text(rec: MappedRecord<Key>, key: Key, opts?: { required?: boolean; max?: number; pattern?: RegExp; patternMessage?: string }): string | null;
  number(rec: MappedRecord<Key>, key: Key, opts?: { required?: boolean; min?: number; max?: number; integer?: boolean }): number | null | undefined;
  choice<T extends Record<string, readonly string[]>>(rec: MappedRecord<Key>, key: Key, table: T, required?: boolean): keyof T | null | undefined;
}

const fieldColumn: Record<string, Key> = { rollover: 'rollover', formula: 'formula', parent: 'parent_code', unit: 'unit_code', carrier: 'carrier', validTo: 'code', kind: 'kind' };

/**
 * Checks every row of a meters file against the file and the database (the same rules as the API),
 * then inserts new meters and updates changed ones. Errors go into the checker; nothing is written
 * when there are any (the caller's transaction is all or nothing).
 */
export async function importMeters(
  trx: Tx,
  scope: Set<string> | null,
  now: Date,
  records: MappedRecord<Key>[],
  c: MeterRowChecker,
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  const { parents, byCode } = await unitParents(trx);
  const { graph, rows: existing } = await meterGraph(trx);
  const existingByCode = new Map(existing.map((r) => [r.code, r]));
  const firstRow = new Map<string, number>();
  const rows = records.flatMap((rec) => {
    const code = c.text(rec, 'code', { required: true, max: 64, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, patternMessage: 'letters, digits, _ . -, starting with a letter or digit' });
    const name = c.text(rec, 'name', { required: true, max: 200 });
    const carrier = c.choice(rec, 'carrier', meterSynonyms.carrier);
    const kind = c.choice(rec, 'kind', meterSynonyms.kind);
    const uom = c.text(rec, 'uom', { required: true, max: 20 });
    const unitCode = c.text(rec, 'unit_code', { required: true, max: 32 });
    const rollover = c.number(rec, 'rollover', { min: Number.MIN_VALUE, max: 1e18 });
    const multiplier = c.number(rec, 'multiplier', { min: Number.MIN_VALUE, max: 1e9 });
    const parentCode = c.text(rec, 'parent_code', { max: 64 });
    const formulaRaw = c.text(rec, 'formula', { max: 2000 });
    const interval = c.number(rec, 'interval_minutes', { integer: true, min: 1, max: 1440 });
    if (interval !== undefined && interval !== null && ![1, 5, 10, 15, 30, 60, 1440].includes(interval)) c.fail(rec, 'interval_minutes', 'one of 1, 5, 10, 15, 30, 60, 1440 minutes');
    let unit: { id: string; code: string } | null = null;
    if (unitCode) {
      const u = byCode.get(unitCode);
      if (!u || !inScope(scope, u.id)) c.fail(rec, 'unit_code', `no unit ${unitCode} in your scope`);
      else unit = u;
    }
    const formula = formulaRaw ? parseFormulaText(formulaRaw) : { ok: true as const, terms: [] };
    if (!formula.ok) c.fail(rec, 'formula', formula.message);
    if (code === null || name === null || !carrier || !kind || uom === null || !unit || rollover === null || multiplier === null || parentCode === null || !formula.ok || interval === null) return [];
    if (code) {
      const first = firstRow.get(code);
      if (first !== undefined) return c.fail(rec, 'code', `duplicates row ${first}`) ?? [];
      firstRow.set(code, rec.row);
    }
    const old = existingByCode.get(code);
    if (old && !inScope(scope, old.unit_id)) return c.fail(rec, 'code', `the meter ${code} belongs to a unit outside your scope`) ?? [];
    return [{ rec, code, name, carrier: carrier as Carrier, kind: kind as MeterKind, uom, unit, rollover: rollover ?? null, multiplier: multiplier ?? 1, parentCode: parentCode || null, formula: formula.terms, interval: interval ?? old?.interval_minutes ?? 15, old }];
  });
  // The graph as it will be once the file is in, then every rule on every row.
  for (const r of rows) {
    graph.set(r.code, { code: r.code, kind: r.kind, carrier: r.carrier, uom: r.uom, unitId: r.unit.id, parentCode: r.parentCode, rollover: r.rollover, formula: r.formula, validFrom: r.old ? String(r.old.valid_from) : '2000-01-01', validTo: r.old?.valid_to === null || !r.old ? null : String(r.old.valid_to) });
  }
  for (const r of rows) {
    for (const p of meterProblems(graph, parents, r.code)) c.fail(r.rec, fieldColumn[p.field] ?? 'code', p.message);
    if (r.old && r.old.kind !== r.kind && (r.old.kind === 'virtual' || r.kind === 'virtual')) {
      const has = await trx.selectFrom('meter_readings').select('meter_key').where('meter_key', '=', r.old.key).limit(1).executeTakeFirst();
      if (has) c.fail(r.rec, 'kind', `${r.code} has readings; it cannot become or stop being a virtual meter`);
    }
  }
  if (c.errors.length) return counts;
  const ids = new Map(existing.map((r) => [r.code, r.id]));
  // Insert or update without parents first (a parent may come later in the file), then set the parents.
  for (const r of rows) {
    const fields = { name_zh: r.name, carrier: r.carrier, kind: r.kind, uom: r.uom, unit_id: r.unit.id, rollover: r.rollover, multiplier: r.multiplier, interval_minutes: r.interval, formula: JSON.stringify(r.formula) };
    if (r.old) {
      const o = r.old;
      const same =
        o.name_zh === r.name && o.carrier === r.carrier && o.kind === r.kind && o.uom === r.uom && o.unit_id === r.unit.id && (o.rollover === null ? null : Number(o.rollover)) === r.rollover &&
        Number(o.multiplier) === r.multiplier && o.interval_minutes === r.interval && formulaText(o.formula) === formulaText(r.formula) && (o.parent ?? null) === r.parentCode;
      if (same) {
        counts.unchanged++;
        continue;
      }
      await trx.updateTable('meters').set({ ...fields, updated_at: now, version: o.version + 1 }).where('id', '=', o.id).execute();
      counts.updated++;
    } else {
      const row = await trx.insertInto('meters').values({ code: r.code, ...fields, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
      ids.set(r.code, row.id);
      counts.inserted++;
    }
  }
  for (const r of rows) {
    if ((r.old?.parent ?? null) === r.parentCode && r.old) continue;
    await trx.updateTable('meters').set({ parent_id: r.parentCode === null ? null : ids.get(r.parentCode)! }).where('code', '=', r.code).execute();
  }
  return counts;
}

