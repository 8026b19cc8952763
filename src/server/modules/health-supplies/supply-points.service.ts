import { inWindow } from '../../../domain/access/gate-decision';
import { isoWeekday, shanghaiDay } from '../../../domain/notices/week';
import { inScope } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import type { PassWindow } from '../../db/schema';
import { conflict, notFound, staleVersion } from '../../errors';
import { scopeOf, shanghaiTime, siteInScope, siteNotFound } from '../access-live/access-scope';
import { audit, diffChanges } from '../audit/audit.service';
import type { CreatePointBody, PublicPoints, PutPointBody, SupplyPoint } from './supply-points.schemas';

const pointRows = (trx: Db | Tx) =>
  trx
    .selectFrom('supply_points as sp')
    .innerJoin('sites as s', 's.id', 'sp.site_id')
    .select([
      'sp.id', 'sp.name', 'sp.location', 'sp.goods', 'sp.opening_hours', 'sp.phone', 'sp.active', 'sp.version',
      's.code as site_code', 's.name_zh as site_name_zh', 's.name_en as site_name_en', 's.unit_id as site_unit_id',
    ]);
type PointRow = Awaited<ReturnType<ReturnType<typeof pointRows>['executeTakeFirstOrThrow']>>;

const pointNotFound = () => notFound('SUPPLY_POINT_NOT_FOUND', 'No such supply point');

/** Where "now" falls in the week, Asia/Shanghai. */
function localNow(now: Date) {
  const date = shanghaiDay(now);
  return { date, time: shanghaiTime(now), weekday: isoWeekday(date) };
}

/** Open at a local time and weekday: inside one of the windows (none given: never). */
const openAt = (hours: PassWindow[], at: { time: string; weekday: number }) => hours.some((w) => inWindow(w, at.time, at.weekday));

/** The fields as the audit compares them (a shop's details, nothing personal). */
const auditable = (p: { name: string; location: string | null; goods: string | null; opening_hours: PassWindow[]; phone: string | null }) => ({
  name: p.name,
  location: p.location,
  goods: p.goods,
  openingHours: p.opening_hours,
  phone: p.phone,
});

/**
 * Supply points (供应点): shops and stalls of a community with their opening hours, kept by the
 * health administrators of the site's unit and shown to residents on a public page that says
 * which are open now (Asia/Shanghai time).
 */
export function supplyPointService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  function toPoint(r: PointRow, at: { time: string; weekday: number }): SupplyPoint {
    return {
      id: r.id,
      site: { code: r.site_code, nameZh: r.site_name_zh, nameEn: r.site_name_en },
      name: r.name,
      location: r.location,
      goods: r.goods,
      openingHours: r.opening_hours,
      phone: r.phone,
      active: r.active,
      openNow: r.active && openAt(r.opening_hours, at),
      version: r.version,
    };
  }

  /** The point when its site is in the actor's scope (else 404, as for an unknown id). */
  async function visible(trx: Tx, actor: Actor, id: string): Promise<PointRow> {
    const row = await pointRows(trx).where('sp.id', '=', id).executeTakeFirst();
    if (!row || !inScope(await scopeOf(trx, actor), row.site_unit_id)) throw pointNotFound();
    return row;
  }

  const reload = async (trx: Tx, id: string) => toPoint(await pointRows(trx).where('sp.id', '=', id).executeTakeFirstOrThrow(), localNow(clock.now()));

  return {
    async list(actor: Actor, q: { site?: string | undefined; active?: 'true' | 'false' | undefined }): Promise<{ rows: SupplyPoint[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        let query = pointRows(trx);
        if (q.site) query = query.where('sp.site_id', '=', (await siteInScope(trx, scope, q.site)).id);
        else if (scope !== null) {
          if (scope.size === 0) return { rows: [] };
          query = query.where('s.unit_id', 'in', [...scope]);
        }
        if (q.active) query = query.where('sp.active', '=', q.active === 'true');
        const rows = await query.orderBy('s.code').orderBy('sp.name').limit(2000).execute();
        const at = localNow(clock.now());
        return { rows: rows.map((r) => toPoint(r, at)) };
      });
    },

    async create(ctx: RequestContext, actor: Actor, body: CreatePointBody): Promise<SupplyPoint> {
      return db.transaction().execute(async (trx) => {
        const site = await siteInScope(trx, await scopeOf(trx, actor), body.site);
        const now = clock.now();
        const row = await trx
          .insertInto('supply_points')
          .values({ site_id: site.id, name: body.name, location: body.location, goods: body.goods, opening_hours: JSON.stringify(body.openingHours), phone: body.phone, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, {
          action: 'supply-point.create',
          objectType: 'supply_point',
          objectId: row.id,
          changes: diffChanges(null, { site: site.code, name: body.name, location: body.location, goods: body.goods, openingHours: body.openingHours, phone: body.phone }),
        });
        return reload(trx, row.id);
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, body: PutPointBody): Promise<SupplyPoint> {
      return db.transaction().execute(async (trx) => {
        const row = await visible(trx, actor, id);
        if (row.version !== body.version) throw staleVersion();
        const r = await trx
          .updateTable('supply_points')
          .set({ name: body.name, location: body.location, goods: body.goods, opening_hours: JSON.stringify(body.openingHours), phone: body.phone, updated_at: clock.now(), version: row.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await audit(trx, deps, ctx, {
          action: 'supply-point.update',
          objectType: 'supply_point',
          objectId: id,
          changes: diffChanges(auditable(row), auditable({ ...body, opening_hours: body.openingHours })),
        });
        return reload(trx, id);
      });
    },

    async deactivate(ctx: RequestContext, actor: Actor, id: string, version: number | undefined): Promise<SupplyPoint> {
      return db.transaction().execute(async (trx) => {
        const row = await visible(trx, actor, id);
        if (version !== undefined && row.version !== version) throw staleVersion();
        if (!row.active) throw conflict('SUPPLY_POINT_INACTIVE', 'This supply point is already deactivated');
        const r = await trx.updateTable('supply_points').set({ active: false, updated_at: clock.now(), version: row.version + 1 }).where('id', '=', id).where('version', '=', row.version).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await audit(trx, deps, ctx, { action: 'supply-point.deactivate', objectType: 'supply_point', objectId: id, changes: { active: { old: true, new: false } }, details: { site: row.site_code, name: row.name } });
        return reload(trx, id);
      });
    },

    /** The public page: every active point (of one site, when asked), grouped by site. */
    async publicList(q: { site?: string | undefined }): Promise<PublicPoints> {
      let query = pointRows(db).where('sp.active', '=', true);
      if (q.site) {
        const site = await db.selectFrom('sites').select('id').where('code', '=', q.site).executeTakeFirst();
        if (!site) throw siteNotFound(q.site);
        query = query.where('sp.site_id', '=', site.id);
      }
      const rows = await query.orderBy('s.code').orderBy('sp.name').limit(2000).execute();
      const at = localNow(clock.now());
      const sites: PublicPoints['sites'] = [];
      for (const r of rows) {
        let group = sites.at(-1);
        if (!group || group.site.code !== r.site_code) {
          group = { site: { code: r.site_code, nameZh: r.site_name_zh, nameEn: r.site_name_en }, points: [] };
          sites.push(group);
        }
        group.points.push({ name: r.name, location: r.location, goods: r.goods, openingHours: r.opening_hours, phone: r.phone, openNow: openAt(r.opening_hours, at) });
      }
      return { localDate: at.date, localTime: at.time, weekday: at.weekday, sites };
    },
  };
}
export type SupplyPointService = ReturnType<typeof supplyPointService>;
