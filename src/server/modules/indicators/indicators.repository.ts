import type { Db, Tx } from '../../context';
import type { Indicator } from './indicators.schemas';

export type IndicatorRow = {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  category: string;
  uom: string;
  precision: number;
  direction: string;
  band_centre: string | null;
  band_tolerance: string | null;
  frequency: string;
  aggregation: string;
  formula: string | null;
  scope_text: string;
  scope_tag: string;
  range_min: string | null;
  range_max: string | null;
  owner_unit_id: string | null;
  description: string;
  valid_from: string;
  valid_to: string | null;
  version: number;
};

const num = (v: string | null): number | null => (v === null ? null : Number(v));

export function toIndicator(r: IndicatorRow): Indicator {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    category: r.category as Indicator['category'],
    uom: r.uom,
    precision: r.precision,
    direction: r.direction as Indicator['direction'],
    bandCentre: num(r.band_centre),
    bandTolerance: num(r.band_tolerance),
    frequency: r.frequency as Indicator['frequency'],
    aggregation: r.aggregation as Indicator['aggregation'],
    formula: r.formula,
    scopeText: r.scope_text,
    scopeTag: r.scope_tag,
    rangeMin: num(r.range_min),
    rangeMax: num(r.range_max),
    ownerUnitId: r.owner_unit_id,
    description: r.description,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    version: r.version,
  };
}

const columns = [
  'id', 'code', 'name_zh', 'name_en', 'category', 'uom', 'precision', 'direction', 'band_centre', 'band_tolerance', 'frequency', 'aggregation', 'formula',
  'scope_text', 'scope_tag', 'range_min', 'range_max', 'owner_unit_id', 'description', 'valid_from', 'valid_to', 'version',
] as const;

export async function listIndicators(db: Db | Tx): Promise<Indicator[]> {
  return (await db.selectFrom('indicators').select(columns).orderBy('code').execute()).map(toIndicator);
}

export async function findIndicatorByCode(db: Db | Tx, code: string): Promise<Indicator | undefined> {
  const r = await db.selectFrom('indicators').select(columns).where('code', '=', code).executeTakeFirst();
  return r ? toIndicator(r) : undefined;
}

/** The columns of an indicator as the database spells them. */
export function indicatorColumns(i: Omit<Indicator, 'id' | 'version' | 'code'>) {
  return {
    name_zh: i.nameZh,
    name_en: i.nameEn,
    category: i.category,
    uom: i.uom,
    precision: i.precision,
    direction: i.direction,
    band_centre: i.bandCentre,
    band_tolerance: i.bandTolerance,
    frequency: i.frequency,
    aggregation: i.aggregation,
    formula: i.formula,
    scope_text: i.scopeText,
    scope_tag: i.scopeTag,
    range_min: i.rangeMin,
    range_max: i.rangeMax,
    owner_unit_id: i.ownerUnitId,
    description: i.description,
    valid_from: i.validFrom,
    valid_to: i.validTo,
  };
}

export async function insertIndicator(trx: Tx, i: Omit<Indicator, 'id' | 'version'>, now: Date): Promise<Indicator> {
  const r = await trx
    .insertInto('indicators')
    .values({ code: i.code, ...indicatorColumns(i), created_at: now, updated_at: now })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toIndicator(r);
}

export async function updateIndicatorVersioned(trx: Tx, id: string, version: number, i: Omit<Indicator, 'id' | 'version' | 'code'>, now: Date): Promise<Indicator | undefined> {
  const r = await trx
    .updateTable('indicators')
    .set({ ...indicatorColumns(i), updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(columns)
    .executeTakeFirst();
  return r ? toIndicator(r) : undefined;
}

export async function listAssignments(db: Db | Tx, unitId: string) {
  return db
    .selectFrom('indicator_assignments as a')
    .innerJoin('indicators as i', 'i.id', 'a.indicator_id')
    .select(['i.code as indicator', 'a.weight', 'a.sort_order'])
    .where('a.unit_id', '=', unitId)
    .orderBy('a.sort_order')
    .orderBy('i.code')
    .execute();
}
