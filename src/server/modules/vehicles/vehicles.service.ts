import { maskPlate } from '../../../domain/access/mask';
import { shanghaiDay } from '../../../domain/notices/week';
import { inScope } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { normalisePlate, personInScope, platePattern, scopeOf, siteInScope, type Scope } from '../access-live/access-scope';
import { audit, diffChanges } from '../audit/audit.service';
import type { CreateVehicleBody, PatchVehicleBody, Vehicle, VehicleKind } from './vehicles.schemas';

const vehicleRows = (trx: Db | Tx) =>
  trx
    .selectFrom('vehicles as v')
    .leftJoin('people as p', 'p.id', 'v.owner_person_id')
    .select(['v.id', 'v.plate', 'v.kind', 'v.note', 'v.version', 'p.code as owner_code', 'p.name as owner_name']);
type VehicleRow = Awaited<ReturnType<ReturnType<typeof vehicleRows>['executeTakeFirstOrThrow']>>;
type SiteLink = { vehicle_id: string; site_id: string; valid_to: string | null; code: string; name_zh: string; unit_id: string | null };

const dateText = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));
const vehicleNotFound = () => notFound('VEHICLE_NOT_FOUND', 'No such vehicle');

/**
 * The vehicle registry (车辆): plates with the sites each may enter. A vehicle is seen through its
 * sites in scope. Plates are personal data of a kind: plain for access writers, masked for readers.
 */
export function vehicleService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function siteLinks(trx: Db | Tx, vehicleIds: string[]): Promise<SiteLink[]> {
    if (vehicleIds.length === 0) return [];
    return trx
      .selectFrom('vehicle_sites as vs')
      .innerJoin('sites as s', 's.id', 'vs.site_id')
      .select(['vs.vehicle_id', 'vs.site_id', 'vs.valid_to', 's.code', 's.name_zh', 's.unit_id'])
      .where('vs.vehicle_id', 'in', vehicleIds)
      .orderBy('s.code')
      .execute();
  }

  function toVehicles(actor: Actor, scope: Scope, rows: VehicleRow[], links: SiteLink[]): Vehicle[] {
    const today = shanghaiDay(clock.now());
    const plain = actor.permissions.has('access.write');
    return rows.map((r) => ({
      id: r.id,
      plate: plain ? r.plate : maskPlate(r.plate),
      owner: r.owner_code === null ? null : { code: r.owner_code, name: r.owner_name ?? '' },
      kind: r.kind as VehicleKind,
      note: r.note,
      sites: links
        .filter((l) => l.vehicle_id === r.id && inScope(scope, l.unit_id))
        .map((l) => {
          const validTo = l.valid_to === null ? null : dateText(l.valid_to);
          return { site: l.code, nameZh: l.name_zh, validTo, active: validTo === null || validTo >= today };
        }),
      version: r.version,
    }));
  }

  /** The vehicle by plate when one of its sites is in scope. */
  async function visible(trx: Tx, scope: Scope, rawPlate: string): Promise<{ row: VehicleRow; links: SiteLink[] }> {
    const row = await vehicleRows(trx).where('v.plate', '=', normalisePlate(rawPlate)).executeTakeFirst();
    if (!row) throw vehicleNotFound();
    const links = await siteLinks(trx, [row.id]);
    if (!links.some((l) => inScope(scope, l.unit_id))) throw vehicleNotFound();
    return { row, links };
  }

  /** The sites named, each in scope, as rows to link. */
  async function sitesOf(trx: Tx, scope: Scope, sites: { site: string; validTo: string | null }[]) {
    const out: { site_id: string; valid_to: string | null; code: string }[] = [];
    for (const s of sites) out.push({ site_id: (await siteInScope(trx, scope, s.site)).id, valid_to: s.validTo, code: s.site });
    return out;
  }

  return {
    async list(actor: Actor, q: { site?: string | undefined }): Promise<{ rows: Vehicle[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        let query = vehicleRows(trx);
        if (q.site) {
          const site = await siteInScope(trx, scope, q.site);
          query = query.where((eb) => eb.exists(eb.selectFrom('vehicle_sites as vs').select('vs.site_id').whereRef('vs.vehicle_id', '=', 'v.id').where('vs.site_id', '=', site.id)));
        } else if (scope !== null) {
          if (scope.size === 0) return { rows: [] };
          const units = [...scope];
          query = query.where((eb) =>
            eb.exists(eb.selectFrom('vehicle_sites as vs').innerJoin('sites as s', 's.id', 'vs.site_id').select('vs.site_id').whereRef('vs.vehicle_id', '=', 'v.id').where('s.unit_id', 'in', units)),
          );
        }
        const rows = await query.orderBy('v.plate').limit(5000).execute();
        return { rows: toVehicles(actor, scope, rows, await siteLinks(trx, rows.map((r) => r.id))) };
      });
    },

    async create(ctx: RequestContext, actor: Actor, body: CreateVehicleBody): Promise<Vehicle> {
      return db.transaction().execute(async (trx) => {
        const plate = normalisePlate(body.plate);
        if (!platePattern.test(plate)) throw businessRule('PLATE_INVALID', `plate: ${plate} is not a Chinese plate (e.g. 晋A12345)`, { field: 'plate' });
        const scope = await scopeOf(trx, actor);
        if (await trx.selectFrom('vehicles').select('id').where('plate', '=', plate).executeTakeFirst()) throw conflict('VEHICLE_EXISTS', `A vehicle ${plate} is already registered`);
        const owner = body.owner === null ? null : await personInScope(trx, scope, body.owner);
        const sites = await sitesOf(trx, scope, body.sites);
        const now = clock.now();
        const row = await trx
          .insertInto('vehicles')
          .values({ plate, owner_person_id: owner?.id ?? null, kind: body.kind, note: body.note, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('vehicle_sites').values(sites.map((s) => ({ vehicle_id: row.id, site_id: s.site_id, valid_to: s.valid_to }))).execute();
        await audit(trx, deps, ctx, {
          action: 'vehicle.create',
          objectType: 'vehicle',
          objectId: row.id,
          changes: diffChanges(null, { plate, owner: owner?.code ?? null, kind: body.kind, note: body.note, sites: body.sites }),
        });
        const created = await vehicleRows(trx).where('v.id', '=', row.id).executeTakeFirstOrThrow();
        return toVehicles(actor, scope, [created], await siteLinks(trx, [row.id]))[0]!;
      });
    },

    async update(ctx: RequestContext, actor: Actor, rawPlate: string, body: PatchVehicleBody): Promise<Vehicle> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const { row, links } = await visible(trx, scope, rawPlate);
        if (row.version !== body.version) throw staleVersion();
        const patch: { owner_person_id?: string | null; kind?: string; note?: string } = {};
        const after: Record<string, unknown> = {};
        if (body.owner !== undefined) {
          patch.owner_person_id = body.owner === null ? null : (await personInScope(trx, scope, body.owner)).id;
          after.owner = body.owner;
        }
        if (body.kind !== undefined) patch.kind = after.kind = body.kind;
        if (body.note !== undefined) patch.note = after.note = body.note;
        const r = await trx
          .updateTable('vehicles')
          .set({ ...patch, updated_at: clock.now(), version: row.version + 1 })
          .where('id', '=', row.id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const mine = links.filter((l) => inScope(scope, l.unit_id));
        if (body.sites !== undefined) {
          const sites = await sitesOf(trx, scope, body.sites);
          // Only the links in scope are replaced; a site outside the scope keeps its permission.
          if (mine.length > 0) await trx.deleteFrom('vehicle_sites').where('vehicle_id', '=', row.id).where('site_id', 'in', mine.map((l) => l.site_id)).execute();
          await trx.insertInto('vehicle_sites').values(sites.map((s) => ({ vehicle_id: row.id, site_id: s.site_id, valid_to: s.valid_to }))).execute();
          after.sites = body.sites;
        }
        const before = {
          owner: row.owner_code,
          kind: row.kind,
          note: row.note,
          sites: mine.map((l) => ({ site: l.code, validTo: l.valid_to === null ? null : dateText(l.valid_to) })),
        };
        await audit(trx, deps, ctx, { action: 'vehicle.update', objectType: 'vehicle', objectId: row.id, changes: diffChanges(before, after), details: { plate: row.plate } });
        const updated = await vehicleRows(trx).where('v.id', '=', row.id).executeTakeFirstOrThrow();
        return toVehicles(actor, scope, [updated], await siteLinks(trx, [row.id]))[0]!;
      });
    },
  };
}
export type VehicleService = ReturnType<typeof vehicleService>;
