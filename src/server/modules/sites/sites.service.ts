import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { findUnitByCode } from '../units/units.repository';
import { invalidate } from '../../cache-bus';
import { findPersonForScope, findSite, siteRows, toSite } from './sites.repository';
import type {
  Building,
  CreateBuildingBody,
  CreateGridCellBody,
  CreateHouseholdBody,
  CreateSiteBody,
  GridCell,
  Household,
  PatchGridCellBody,
  PatchSiteBody,
  Site,
} from './sites.schemas';

type Scope = Set<string> | null;
type SiteRef = NonNullable<Awaited<ReturnType<typeof findSite>>>;

export const siteNotFound = (code: string) => notFound('SITE_NOT_FOUND', `No site ${code}`);

/** The site by code when the actor's scope covers its unit; else SITE_NOT_FOUND (404). */
export async function visibleSite(trx: Db | Tx, actor: Actor, code: string, scope?: Scope): Promise<SiteRef> {
  const site = await findSite(trx, code);
  if (!site || !inScope(scope === undefined ? await visibleUnitIds(trx, actor) : scope, site.unit_id)) throw siteNotFound(code);
  return site;
}

/** The unit a site is put in: one the actor sees; none only for those who see every unit. */
export async function siteUnit(trx: Db | Tx, scope: Scope, code: string | null): Promise<{ id: string; code: string } | null> {
  if (code === null) {
    if (scope !== null) throw businessRule('UNIT_REQUIRED', 'Choose a unit within your scope for the site', { field: 'unit' });
    return null;
  }
  const unit = await findUnitByCode(trx, code);
  if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${code}`);
  return unit;
}

/** A person (by code) the actor sees: by their unit, or without one by their site's unit. */
export async function visiblePerson(trx: Db | Tx, scope: Scope, code: string): Promise<{ id: string; code: string; name: string }> {
  const p = await findPersonForScope(trx, code);
  if (!p || !inScope(scope, p.unit_id !== null ? p.unit_id : p.site_unit_id)) throw notFound('PERSON_NOT_FOUND', `No person ${code}`);
  return p;
}

/** What the audit log records of a site (no counts, no ids). */
const auditable = (s: Pick<Site, 'nameZh' | 'nameEn' | 'kind' | 'unit' | 'temperatureMode' | 'feverThresholdC' | 'householdQuota' | 'capacity'>) => ({
  nameZh: s.nameZh, nameEn: s.nameEn, kind: s.kind, unit: s.unit, temperatureMode: s.temperatureMode, feverThresholdC: s.feverThresholdC, householdQuota: s.householdQuota, capacity: s.capacity,
});

const count = (n: unknown): number => Number(n ?? 0);

/** Sites (小区 / 厂区) and their grid cells, buildings and households. */
export function siteService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  const readSite = async (trx: Db | Tx, id: string): Promise<Site> => toSite(await siteRows(trx).where('s.id', '=', id).executeTakeFirstOrThrow());

  const gridCellRows = (trx: Db | Tx, siteId: string) =>
    trx
      .selectFrom('grid_cells as g')
      .innerJoin('sites as s', 's.id', 'g.site_id')
      .leftJoin('people as p', 'p.id', 'g.worker_person_id')
      .select((eb) => ['g.id', 's.code as site', 'g.code', 'g.name', 'p.code as worker_code', 'p.name as worker_name', 'g.version', eb.selectFrom('buildings as b').select(eb.fn.countAll().as('n')).whereRef('b.grid_cell_id', '=', 'g.id').as('buildings')])
      .where('g.site_id', '=', siteId);
  type GridCellRow = Awaited<ReturnType<ReturnType<typeof gridCellRows>['executeTakeFirstOrThrow']>>;
  const toGridCell = (r: GridCellRow): GridCell => ({
    id: r.id, site: r.site, code: r.code, name: r.name, worker: r.worker_code === null || r.worker_name === null ? null : { code: r.worker_code, name: r.worker_name }, buildings: count(r.buildings), version: r.version,
  });

  const buildingRows = (trx: Db | Tx, siteId: string) =>
    trx
      .selectFrom('buildings as b')
      .innerJoin('sites as s', 's.id', 'b.site_id')
      .leftJoin('grid_cells as g', 'g.id', 'b.grid_cell_id')
      .select((eb) => ['b.id', 's.code as site', 'b.code', 'b.name', 'g.code as grid_cell', 'b.version', eb.selectFrom('households as h').select(eb.fn.countAll().as('n')).whereRef('h.building_id', '=', 'b.id').as('households')])
      .where('b.site_id', '=', siteId);
  type BuildingRow = Awaited<ReturnType<ReturnType<typeof buildingRows>['executeTakeFirstOrThrow']>>;
  const toBuilding = (r: BuildingRow): Building => ({ id: r.id, site: r.site, code: r.code, name: r.name, gridCell: r.grid_cell, households: count(r.households), version: r.version });

  const householdRows = (trx: Db | Tx, siteId: string) =>
    trx
      .selectFrom('households as h')
      .innerJoin('sites as s', 's.id', 'h.site_id')
      .leftJoin('buildings as b', 'b.id', 'h.building_id')
      .select((eb) => ['h.id', 's.code as site', 'h.code', 'b.code as building', 'h.version', eb.selectFrom('people as p').select(eb.fn.countAll().as('n')).whereRef('p.household_id', '=', 'h.id').as('members')])
      .where('h.site_id', '=', siteId);
  type HouseholdRow = Awaited<ReturnType<ReturnType<typeof householdRows>['executeTakeFirstOrThrow']>>;
  const toHousehold = (r: HouseholdRow): Household => ({ id: r.id, site: r.site, code: r.code, building: r.building, members: count(r.members), version: r.version });

  return {
    async list(actor: Actor, q: { kind?: string | undefined; accessLevel?: string | undefined; unit?: string | undefined }): Promise<{ rows: Site[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        let query = siteRows(trx);
        if (q.unit) {
          const unit = await findUnitByCode(trx, q.unit);
          if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${q.unit}`);
          query = query.where('s.unit_id', '=', unit.id);
        }
        if (q.kind) query = query.where('s.kind', '=', q.kind);
        if (q.accessLevel) query = query.where('s.access_level', '=', q.accessLevel);
        const rows = await query.orderBy('s.code').execute();
        return { rows: rows.filter((r) => inScope(scope, r.unit_id)).map(toSite) };
      });
    },

    async get(actor: Actor, code: string): Promise<Site> {
      return db.transaction().execute(async (trx) => readSite(trx, (await visibleSite(trx, actor, code)).id));
    },

    async create(ctx: RequestContext, actor: Actor, body: CreateSiteBody): Promise<Site> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const unit = await siteUnit(trx, scope, body.unit);
        if (await findSite(trx, body.code)) throw conflict('SITE_EXISTS', `A site ${body.code} already exists`);
        const now = clock.now();
        const row = await trx
          .insertInto('sites')
          .values({
            code: body.code, name_zh: body.nameZh, name_en: body.nameEn, kind: body.kind, access_level: body.accessLevel, unit_id: unit?.id ?? null, temperature_mode: body.temperatureMode,
            fever_threshold_c: body.feverThresholdC, household_quota_days: body.householdQuota?.days ?? null, household_quota_count: body.householdQuota?.count ?? 1, capacity: body.capacity,
            created_at: now, updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'site.create', objectType: 'site', objectId: body.code, changes: diffChanges(null, { ...auditable(body), accessLevel: body.accessLevel }) });
        return readSite(trx, row.id);
      });
    },

    /**
     * Changes the fields given; a change of the access level is its own audit row
     * (`site.access-level`, old and new level), the other fields go into `site.update`.
     */
    async update(ctx: RequestContext, actor: Actor, code: string, body: PatchSiteBody): Promise<Site> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const ref = await visibleSite(trx, actor, code, scope);
        if (ref.version !== body.version) throw staleVersion();
        const before = await readSite(trx, ref.id);
        const unit = body.unit === undefined ? undefined : await siteUnit(trx, scope, body.unit);
        const given = <T>(value: T | undefined, old: T): T => (value === undefined ? old : value);
        const after: Site = {
          ...before,
          nameZh: given(body.nameZh, before.nameZh),
          nameEn: given(body.nameEn, before.nameEn),
          kind: given(body.kind, before.kind),
          accessLevel: given(body.accessLevel, before.accessLevel),
          unit: unit === undefined ? before.unit : (unit?.code ?? null),
          temperatureMode: given(body.temperatureMode, before.temperatureMode),
          feverThresholdC: given(body.feverThresholdC, before.feverThresholdC),
          householdQuota: given(body.householdQuota, before.householdQuota),
          capacity: given(body.capacity, before.capacity),
        };
        const changes = diffChanges(auditable(before), auditable(after));
        const levelChanged = after.accessLevel !== before.accessLevel;
        if (!changes && !levelChanged) return before;
        const r = await trx
          .updateTable('sites')
          .set({
            name_zh: after.nameZh, name_en: after.nameEn, kind: after.kind, access_level: after.accessLevel, temperature_mode: after.temperatureMode, fever_threshold_c: after.feverThresholdC,
            household_quota_days: after.householdQuota?.days ?? null, household_quota_count: after.householdQuota?.count ?? 1, capacity: after.capacity,
            ...(unit === undefined ? {} : { unit_id: unit?.id ?? null }),
            updated_at: clock.now(), version: ref.version + 1,
          })
          .where('id', '=', ref.id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await invalidate(trx, 'gate-points');
        if (levelChanged) {
          await audit(trx, deps, ctx, {
            action: 'site.access-level', objectType: 'site', objectId: code, changes: { accessLevel: { old: before.accessLevel, new: after.accessLevel } }, details: { site: code, name: before.nameZh },
          });
        }
        if (changes) await audit(trx, deps, ctx, { action: 'site.update', objectType: 'site', objectId: code, changes });
        return readSite(trx, ref.id);
      });
    },

    async gridCells(actor: Actor, code: string): Promise<{ rows: GridCell[] }> {
      return db.transaction().execute(async (trx) => {
        const site = await visibleSite(trx, actor, code);
        return { rows: (await gridCellRows(trx, site.id).orderBy('g.code').execute()).map(toGridCell) };
      });
    },

    async createGridCell(ctx: RequestContext, actor: Actor, code: string, body: CreateGridCellBody): Promise<GridCell> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const site = await visibleSite(trx, actor, code, scope);
        const worker = body.worker === null ? null : await visiblePerson(trx, scope, body.worker);
        if (await trx.selectFrom('grid_cells').select('id').where('site_id', '=', site.id).where('code', '=', body.code).executeTakeFirst()) {
          throw conflict('GRID_CELL_EXISTS', `${code} already has a grid cell ${body.code}`);
        }
        const now = clock.now();
        const row = await trx
          .insertInto('grid_cells')
          .values({ site_id: site.id, code: body.code, name: body.name, worker_person_id: worker?.id ?? null, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'grid-cell.create', objectType: 'grid-cell', objectId: `${code}/${body.code}`, changes: diffChanges(null, { name: body.name, worker: body.worker }) });
        return toGridCell(await gridCellRows(trx, site.id).where('g.id', '=', row.id).executeTakeFirstOrThrow());
      });
    },

    async updateGridCell(ctx: RequestContext, actor: Actor, code: string, cell: string, body: PatchGridCellBody): Promise<GridCell> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const site = await visibleSite(trx, actor, code, scope);
        const before = await gridCellRows(trx, site.id).where('g.code', '=', cell).executeTakeFirst();
        if (!before) throw notFound('GRID_CELL_NOT_FOUND', `${code} has no grid cell ${cell}`);
        if (before.version !== body.version) throw staleVersion();
        const worker = body.worker === undefined || body.worker === null ? body.worker : await visiblePerson(trx, scope, body.worker);
        const r = await trx
          .updateTable('grid_cells')
          .set({ ...(body.name === undefined ? {} : { name: body.name }), ...(worker === undefined ? {} : { worker_person_id: worker?.id ?? null }), updated_at: clock.now(), version: before.version + 1 })
          .where('id', '=', before.id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await audit(trx, deps, ctx, {
          action: 'grid-cell.update', objectType: 'grid-cell', objectId: `${code}/${cell}`, changes: diffChanges({ name: before.name, worker: before.worker_code }, { name: body.name, worker: body.worker }),
        });
        return toGridCell(await gridCellRows(trx, site.id).where('g.id', '=', before.id).executeTakeFirstOrThrow());
      });
    },

    async buildings(actor: Actor, code: string): Promise<{ rows: Building[] }> {
      return db.transaction().execute(async (trx) => {
        const site = await visibleSite(trx, actor, code);
        return { rows: (await buildingRows(trx, site.id).orderBy('b.code').execute()).map(toBuilding) };
      });
    },

    async createBuilding(ctx: RequestContext, actor: Actor, code: string, body: CreateBuildingBody): Promise<Building> {
      return db.transaction().execute(async (trx) => {
        const site = await visibleSite(trx, actor, code);
        let cellId: string | null = null;
        if (body.gridCell !== null) {
          const cell = await trx.selectFrom('grid_cells').select('id').where('site_id', '=', site.id).where('code', '=', body.gridCell).executeTakeFirst();
          if (!cell) throw notFound('GRID_CELL_NOT_FOUND', `${code} has no grid cell ${body.gridCell}`);
          cellId = cell.id;
        }
        if (await trx.selectFrom('buildings').select('id').where('site_id', '=', site.id).where('code', '=', body.code).executeTakeFirst()) {
          throw conflict('BUILDING_EXISTS', `${code} already has a building ${body.code}`);
        }
        const now = clock.now();
        const row = await trx.insertInto('buildings').values({ site_id: site.id, grid_cell_id: cellId, code: body.code, name: body.name, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'building.create', objectType: 'building', objectId: `${code}/${body.code}`, changes: diffChanges(null, { name: body.name, gridCell: body.gridCell }) });
        return toBuilding(await buildingRows(trx, site.id).where('b.id', '=', row.id).executeTakeFirstOrThrow());
      });
    },

    async households(actor: Actor, code: string, q: { building?: string | undefined }): Promise<{ rows: Household[] }> {
      return db.transaction().execute(async (trx) => {
        const site = await visibleSite(trx, actor, code);
        let query = householdRows(trx, site.id);
        if (q.building) query = query.where('b.code', '=', q.building);
        return { rows: (await query.orderBy('h.code').execute()).map(toHousehold) };
      });
    },

    async createHousehold(ctx: RequestContext, actor: Actor, code: string, body: CreateHouseholdBody): Promise<Household> {
      return db.transaction().execute(async (trx) => {
        const site = await visibleSite(trx, actor, code);
        let buildingId: string | null = null;
        if (body.building !== null) {
          const b = await trx.selectFrom('buildings').select('id').where('site_id', '=', site.id).where('code', '=', body.building).executeTakeFirst();
          if (!b) throw notFound('BUILDING_NOT_FOUND', `${code} has no building ${body.building}`);
          buildingId = b.id;
        }
        if (await trx.selectFrom('households').select('id').where('site_id', '=', site.id).where('code', '=', body.code).executeTakeFirst()) {
          throw conflict('HOUSEHOLD_EXISTS', `${code} already has a household ${body.code}`);
        }
        const now = clock.now();
        const row = await trx.insertInto('households').values({ site_id: site.id, building_id: buildingId, code: body.code, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'household.create', objectType: 'household', objectId: `${code}/${body.code}`, changes: diffChanges(null, { building: body.building }) });
        return toHousehold(await householdRows(trx, site.id).where('h.id', '=', row.id).executeTakeFirstOrThrow());
      });
    },
  };
}
export type SiteService = ReturnType<typeof siteService>;
