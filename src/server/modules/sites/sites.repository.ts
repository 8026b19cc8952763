import type { Db, Tx } from '../../context';
import type { OpeningWindow } from '../../db/schema';
import type { AccessLevel, Checkpoint, Site, SiteKind, TemperatureMode } from './sites.schemas';

const count = (n: unknown): number => Number(n ?? 0);

/** Sites with their unit and how many cells, buildings, households, checkpoints and people they have. */
export const siteRows = (trx: Db | Tx) =>
  trx
    .selectFrom('sites as s')
    .leftJoin('units as u', 'u.id', 's.unit_id')
    .select((eb) => [
      's.id', 's.code', 's.name_zh', 's.name_en', 's.kind', 's.access_level', 's.unit_id', 'u.code as unit', 'u.name_zh as unit_name', 's.temperature_mode', 's.fever_threshold_c',
      's.household_quota_days', 's.household_quota_count', 's.capacity', 's.version', 's.updated_at',
      eb.selectFrom('grid_cells as g').select(eb.fn.countAll().as('n')).whereRef('g.site_id', '=', 's.id').as('grid_cells'),
      eb.selectFrom('buildings as b').select(eb.fn.countAll().as('n')).whereRef('b.site_id', '=', 's.id').as('buildings'),
      eb.selectFrom('households as h').select(eb.fn.countAll().as('n')).whereRef('h.site_id', '=', 's.id').as('households'),
      eb.selectFrom('checkpoints as c').select(eb.fn.countAll().as('n')).whereRef('c.site_id', '=', 's.id').as('checkpoints'),
      eb.selectFrom('people as p').select(eb.fn.countAll().as('n')).whereRef('p.site_id', '=', 's.id').as('people'),
    ]);
export type SiteRow = Awaited<ReturnType<ReturnType<typeof siteRows>['executeTakeFirstOrThrow']>>;

export function toSite(r: SiteRow): Site {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    kind: r.kind as SiteKind,
    accessLevel: r.access_level as AccessLevel,
    unit: r.unit,
    unitName: r.unit_name,
    temperatureMode: r.temperature_mode as TemperatureMode,
    feverThresholdC: Number(r.fever_threshold_c),
    householdQuota: r.household_quota_days === null ? null : { days: r.household_quota_days, count: r.household_quota_count },
    capacity: r.capacity,
    counts: { gridCells: count(r.grid_cells), buildings: count(r.buildings), households: count(r.households), checkpoints: count(r.checkpoints), people: count(r.people) },
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The bare site row by code (for scope checks and references). */
export function findSite(trx: Db | Tx, code: string) {
  return trx.selectFrom('sites').select(['id', 'code', 'name_zh', 'unit_id', 'access_level', 'version']).where('code', '=', code).executeTakeFirst();
}

/** Checkpoints with their site and how many live devices they have. */
export const checkpointRows = (trx: Db | Tx) =>
  trx
    .selectFrom('checkpoints as c')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .select((eb) => [
      'c.id', 'c.code', 'c.name_zh', 'c.name_en', 'c.site_id', 's.code as site', 's.name_zh as site_name', 's.unit_id', 'c.opening_hours', 'c.vehicles', 'c.version', 'c.updated_at',
      eb.selectFrom('devices as d').select(eb.fn.countAll().as('n')).whereRef('d.checkpoint_id', '=', 'c.id').where('d.revoked_at', 'is', null).as('devices'),
    ]);
export type CheckpointRow = Awaited<ReturnType<ReturnType<typeof checkpointRows>['executeTakeFirstOrThrow']>>;

export function toCheckpoint(r: CheckpointRow): Checkpoint {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    site: r.site,
    siteName: r.site_name,
    openingHours: r.opening_hours === null ? null : (r.opening_hours as OpeningWindow[]).map((w) => ({ from: w.from, to: w.to })),
    vehicles: r.vehicles,
    devices: count(r.devices),
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * A person by code with what decides whether the actor sees them: their unit, or (without one)
 * their site's unit.
 */
export function findPersonForScope(trx: Db | Tx, code: string) {
  return trx
    .selectFrom('people as p')
    .leftJoin('sites as s', 's.id', 'p.site_id')
    .select(['p.id', 'p.code', 'p.name', 'p.unit_id', 's.unit_id as site_unit_id'])
    .where('p.code', '=', code)
    .executeTakeFirst();
}
