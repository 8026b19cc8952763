import { shanghaiDay } from '../../../domain/notices/week';
import type { Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, notFound, staleVersion } from '../../errors';
import { audit } from '../audit/audit.service';
import type { ImportedRiskArea } from './risk-areas.import';
import type { CreateRiskAreaBody, RiskAreaView, UpdateRiskAreaBody } from './risk-areas.schemas';
import { refreshTravellersIn } from './risk-match';

type Level = RiskAreaView['level'];
const levelOrder: Record<Level, number> = { high: 0, medium: 1, low: 2 };

const areaRows = (trx: Db | Tx) => trx.selectFrom('risk_areas').select(['id', 'region', 'level', 'valid_from', 'valid_to', 'source', 'created_at', 'updated_at', 'version']);
type AreaRow = Awaited<ReturnType<ReturnType<typeof areaRows>['executeTakeFirstOrThrow']>>;

function toView(r: AreaRow, today: string): RiskAreaView {
  return {
    id: r.id,
    region: r.region,
    level: r.level as Level,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    source: r.source,
    active: r.valid_from <= today && (r.valid_to === null || r.valid_to >= today),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

function checkValidity(validFrom: string, validTo: string | null): void {
  if (validTo !== null && validTo < validFrom) throw businessRule('RISK_AREA_DATES', `validTo ${validTo} is before validFrom ${validFrom}`, { field: 'validTo' });
}

/**
 * Risk areas (风险地区, issue 7 item 3): a region with a level and validity days, entered by hand
 * or imported. Not personal data. Every change recomputes the status of the people of the active
 * incident who stayed in the region.
 */
export function riskAreaService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;
  const today = () => shanghaiDay(clock.now());

  async function byId(trx: Tx, id: string): Promise<AreaRow> {
    const row = await areaRows(trx).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('RISK_AREA_NOT_FOUND', 'No such risk area');
    return row;
  }

  return {
    async list(q: { active?: 'true' | 'false' | undefined }): Promise<{ rows: RiskAreaView[] }> {
      const day = today();
      const rows = (await areaRows(db).orderBy('region').orderBy('valid_from').limit(5000).execute()).map((r) => toView(r, day));
      const kept = q.active === undefined ? rows : rows.filter((r) => r.active === (q.active === 'true'));
      return { rows: kept.sort((a, b) => levelOrder[a.level] - levelOrder[b.level]) };
    },

    async create(ctx: RequestContext, body: CreateRiskAreaBody): Promise<RiskAreaView> {
      checkValidity(body.validFrom, body.validTo);
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const row = await trx
          .insertInto('risk_areas')
          .values({ region: body.region, level: body.level, valid_from: body.validFrom, valid_to: body.validTo, source: body.source ?? null, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        const refreshed = await refreshTravellersIn(trx, deps, [body.region]);
        await audit(trx, deps, ctx, {
          action: 'health.risk-area.create',
          objectType: 'risk_area',
          objectId: row.id,
          details: { region: body.region, level: body.level, validFrom: body.validFrom, validTo: body.validTo, source: body.source ?? null, refreshed },
        });
        return toView(await byId(trx, row.id), today());
      });
    },

    async update(ctx: RequestContext, id: string, body: UpdateRiskAreaBody): Promise<RiskAreaView> {
      checkValidity(body.validFrom, body.validTo);
      return db.transaction().execute(async (trx) => {
        const before = await byId(trx, id);
        if (before.version !== body.version) throw staleVersion();
        const r = await trx
          .updateTable('risk_areas')
          .set({ region: body.region, level: body.level, valid_from: body.validFrom, valid_to: body.validTo, source: body.source, updated_at: clock.now(), version: before.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const refreshed = await refreshTravellersIn(trx, deps, [...new Set([before.region, body.region])]);
        const after = { region: body.region, level: body.level, validFrom: body.validFrom, validTo: body.validTo, source: body.source };
        const was = { region: before.region, level: before.level, validFrom: before.valid_from, validTo: before.valid_to, source: before.source };
        await audit(trx, deps, ctx, { action: 'health.risk-area.update', objectType: 'risk_area', objectId: id, details: { before: was, after, refreshed } });
        return toView(await byId(trx, id), today());
      });
    },

    async end(ctx: RequestContext, id: string, validTo: string): Promise<RiskAreaView> {
      return db.transaction().execute(async (trx) => {
        const before = await byId(trx, id);
        checkValidity(before.valid_from, validTo);
        await trx.updateTable('risk_areas').set({ valid_to: validTo, updated_at: clock.now(), version: before.version + 1 }).where('id', '=', id).execute();
        const refreshed = await refreshTravellersIn(trx, deps, [before.region]);
        await audit(trx, deps, ctx, { action: 'health.risk-area.end', objectType: 'risk_area', objectId: id, details: { region: before.region, validTo, previousValidTo: before.valid_to, refreshed } });
        return toView(await byId(trx, id), today());
      });
    },

    /** Stores every area of a checked file in one transaction. */
    async importAreas(ctx: RequestContext, areas: ImportedRiskArea[], filename: string): Promise<{ inserted: number }> {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        for (let i = 0; i < areas.length; i += 500) {
          await trx
            .insertInto('risk_areas')
            .values(areas.slice(i, i + 500).map((a) => ({ region: a.region, level: a.level, valid_from: a.validFrom, valid_to: a.validTo, source: a.source, created_at: now, updated_at: now })))
            .execute();
        }
        const refreshed = await refreshTravellersIn(trx, deps, [...new Set(areas.map((a) => a.region))]);
        const levels = { high: 0, medium: 0, low: 0 };
        for (const a of areas) levels[a.level] += 1;
        await audit(trx, deps, ctx, { action: 'health.risk-area.import', objectType: 'risk_area', objectId: null, details: { file: filename, inserted: areas.length, levels, refreshed } });
        return { inserted: areas.length };
      });
    },
  };
}
export type RiskAreaService = ReturnType<typeof riskAreaService>;
