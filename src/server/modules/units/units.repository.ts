import type { Db, Tx } from '../../context';
import type { Unit } from './units.schemas';

export type UnitRow = {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  kind: string;
  parent_id: string | null;
  peer_class: string;
  valid_from: string;
  valid_to: string | null;
  sort_order: number;
  active: boolean;
  version: number;
};

const columns = ['id', 'code', 'name_zh', 'name_en', 'kind', 'parent_id', 'peer_class', 'valid_from', 'valid_to', 'sort_order', 'active', 'version'] as const;

export function toUnit(r: UnitRow): Unit {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    kind: r.kind as Unit['kind'],
    parentId: r.parent_id,
    peerClass: r.peer_class,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    sortOrder: r.sort_order,
    active: r.active,
    version: r.version,
  };
}

export async function listUnits(db: Db | Tx): Promise<UnitRow[]> {
  return db.selectFrom('units').select(columns).orderBy('sort_order').orderBy('code').execute();
}

export async function findUnit(db: Db | Tx, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').select(columns).where('id', '=', id).executeTakeFirst();
}

export async function findUnitByCode(db: Db | Tx, code: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').select(columns).where('code', '=', code).executeTakeFirst();
}

export async function insertUnit(
  trx: Tx,
  u: { code: string; nameZh: string; nameEn: string; kind: string; parentId: string | null; peerClass?: string; validFrom: string; sortOrder: number; now: Date },
): Promise<UnitRow> {
  return trx
    .insertInto('units')
    .values({
      code: u.code,
      name_zh: u.nameZh,
      name_en: u.nameEn,
      kind: u.kind,
      parent_id: u.parentId,
      peer_class: u.peerClass ?? '',
      valid_from: u.validFrom,
      sort_order: u.sortOrder,
      created_at: u.now,
      updated_at: u.now,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

export async function updateUnitVersioned(
  trx: Tx,
  id: string,
  version: number,
  patch: Partial<Omit<UnitRow, 'id' | 'version' | 'code'>>,
  now: Date,
): Promise<UnitRow | undefined> {
  return trx
    .updateTable('units')
    .set({ ...patch, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(columns)
    .executeTakeFirst();
}

export async function countActiveChildren(db: Db | Tx, id: string): Promise<number> {
  const r = await db
    .selectFrom('units')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
