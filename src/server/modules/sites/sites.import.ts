import { inScope } from '../../auth/scope';
import type { Deps, RequestContext, Tx } from '../../context';
import type { OpeningWindow } from '../../db/schema';
import type { MappedRecord } from '../../imports/columns';
import { audit } from '../audit/audit.service';
import type { RowChecker } from '../imports/imports.kinds';
import { listUnits } from '../units/units.repository';
import { invalidate } from '../../cache-bus';
import { openingHoursText, parseOpeningHours } from './opening-hours';
import type { AccessLevel, SiteKind } from './sites.schemas';

/** The column keys of the `sites` and `checkpoints` import kinds (declared with their headers in modules/imports/imports.kinds.ts). */
export type SiteImportKey = 'code' | 'name' | 'kind' | 'access_level' | 'unit_code' | 'name_en';
export type CheckpointImportKey = 'code' | 'name' | 'site_code' | 'opening_hours';

/** Words a file may use for site kinds and access levels. */
export const siteSynonyms = {
  kind: { community: ['community', '小区', '社区', '居民区'], plant: ['plant', '厂区', '工厂', '厂'] } satisfies Record<SiteKind, string[]>,
  accessLevel: { open: ['open', '开放', '正常'], restricted: ['restricted', '限行', '管控', '限制'], closed: ['closed', '封闭', '关闭'] } satisfies Record<AccessLevel, string[]>,
};

const codePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const codeMessage = 'letters, digits, _ . -, starting with a letter or digit (at most 40)';
type Counts = { inserted: number; updated: number; unchanged: number };

/**
 * Checks every row of a sites file (codes, words, units in the importer's scope, sites the importer
 * may change), then inserts new sites and updates changed ones. Without a unit_code cell a site
 * keeps its unit (a new one needs a unit unless the importer sees every unit); without a name_en
 * column it keeps its English name. A changed access level is audited as `site.access-level`.
 * Errors go into the checker and nothing is written (the caller's transaction is all or nothing).
 */
export async function importSites(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, scope: Set<string> | null, now: Date, records: MappedRecord<SiteImportKey>[], c: RowChecker<SiteImportKey>): Promise<Counts> {
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const unitByCode = new Map((await listUnits(trx)).map((u) => [u.code, u]));
  const existing = new Map((await trx.selectFrom('sites').select(['id', 'code', 'name_zh', 'name_en', 'kind', 'access_level', 'unit_id', 'version']).execute()).map((s) => [s.code, s]));
  const firstRow = new Map<string, number>();
  const rows = records.flatMap((rec) => {
    const code = c.text(rec, 'code', { required: true, max: 40, pattern: codePattern, patternMessage: codeMessage });
    const name = c.text(rec, 'name', { required: true, max: 100 });
    const kind = c.choice(rec, 'kind', siteSynonyms.kind);
    const level = c.choice(rec, 'access_level', siteSynonyms.accessLevel);
    const unitCode = c.text(rec, 'unit_code', { max: 32 });
    const nameEn = c.text(rec, 'name_en', { max: 200 });
    let unitId: string | null | undefined;
    if (unitCode) {
      const u = unitByCode.get(unitCode);
      if (!u || !inScope(scope, u.id)) c.fail(rec, 'unit_code', `no unit ${unitCode} in your scope`);
      else unitId = u.id;
    }
    if (code === null || name === null || !kind || !level || unitCode === null || nameEn === null || (unitCode && unitId === undefined)) return [];
    const first = firstRow.get(code);
    if (first !== undefined) return c.fail(rec, 'code', `duplicates row ${first}`) ?? [];
    firstRow.set(code, rec.row);
    const old = existing.get(code);
    if (old && !inScope(scope, old.unit_id)) return c.fail(rec, 'code', `the site ${code} belongs to a unit outside your scope`) ?? [];
    if (!old && unitId === undefined && scope !== null) return c.fail(rec, 'unit_code', 'required: a new site needs a unit within your scope') ?? [];
    return [{ code, name, kind: kind as SiteKind, level: level as AccessLevel, unitId: unitId ?? old?.unit_id ?? null, nameEn: rec.has('name_en') ? nameEn || null : (old?.name_en ?? null), old }];
  });
  if (c.errors.length) return counts;
  for (const r of rows) {
    const fields = { name_zh: r.name, name_en: r.nameEn, kind: r.kind, access_level: r.level, unit_id: r.unitId };
    const o = r.old;
    if (!o) {
      await trx.insertInto('sites').values({ code: r.code, ...fields, created_at: now, updated_at: now }).execute();
      counts.inserted++;
      continue;
    }
    if (o.name_zh === r.name && o.name_en === r.nameEn && o.kind === r.kind && o.access_level === r.level && o.unit_id === r.unitId) {
      counts.unchanged++;
      continue;
    }
    await trx.updateTable('sites').set({ ...fields, updated_at: now, version: o.version + 1 }).where('id', '=', o.id).execute();
    await invalidate(trx, 'gate-points');
    if (o.access_level !== r.level) {
      await audit(trx, deps, ctx, { action: 'site.access-level', objectType: 'site', objectId: r.code, changes: { accessLevel: { old: o.access_level, new: r.level } }, details: { site: r.code, name: r.name, via: 'import' } });
    }
    counts.updated++;
  }
  return counts;
}

/**
 * Checks every row of a checkpoints file (codes, sites in the importer's scope, opening hours such
 * as `06:00-22:00;23:00-05:00`), then inserts new checkpoints and updates changed ones. Without an
 * opening_hours column a checkpoint keeps its hours; an empty cell means always open.
 */
export async function importCheckpoints(trx: Tx, scope: Set<string> | null, now: Date, records: MappedRecord<CheckpointImportKey>[], c: RowChecker<CheckpointImportKey>): Promise<Counts> {
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const sites = new Map((await trx.selectFrom('sites').select(['id', 'code', 'unit_id']).execute()).map((s) => [s.code, s]));
  const siteById = new Map([...sites.values()].map((s) => [s.id, s]));
  const existing = new Map((await trx.selectFrom('checkpoints').select(['id', 'code', 'name_zh', 'site_id', 'opening_hours', 'version']).execute()).map((x) => [x.code, x]));
  const firstRow = new Map<string, number>();
  const rows = records.flatMap((rec) => {
    const code = c.text(rec, 'code', { required: true, max: 40, pattern: codePattern, patternMessage: codeMessage });
    const name = c.text(rec, 'name', { required: true, max: 100 });
    const siteCode = c.text(rec, 'site_code', { required: true, max: 40 });
    let site: { id: string; code: string; unit_id: string | null } | undefined;
    if (siteCode) {
      site = sites.get(siteCode);
      if (!site || !inScope(scope, site.unit_id)) {
        c.fail(rec, 'site_code', `no site ${siteCode} in your scope`);
        site = undefined;
      }
    }
    const hoursText = rec.get('opening_hours');
    const hours = parseOpeningHours(hoursText);
    if (!hours.ok) c.fail(rec, 'opening_hours', hours.message);
    if (code === null || name === null || !site || !hours.ok) return [];
    const first = firstRow.get(code);
    if (first !== undefined) return c.fail(rec, 'code', `duplicates row ${first}`) ?? [];
    firstRow.set(code, rec.row);
    const old = existing.get(code);
    if (old && !inScope(scope, siteById.get(old.site_id)?.unit_id ?? null)) return c.fail(rec, 'code', `the checkpoint ${code} belongs to a site outside your scope`) ?? [];
    const openingHours: OpeningWindow[] | null = rec.has('opening_hours') ? hours.windows : (old?.opening_hours ?? null);
    return [{ code, name, siteId: site.id, openingHours, old }];
  });
  if (c.errors.length) return counts;
  for (const r of rows) {
    const fields = { name_zh: r.name, site_id: r.siteId, opening_hours: r.openingHours === null ? null : JSON.stringify(r.openingHours) };
    const o = r.old;
    if (!o) {
      await trx.insertInto('checkpoints').values({ code: r.code, ...fields, created_at: now, updated_at: now }).execute();
      counts.inserted++;
    } else if (o.name_zh === r.name && o.site_id === r.siteId && openingHoursText(o.opening_hours) === openingHoursText(r.openingHours)) {
      counts.unchanged++;
    } else {
      await trx.updateTable('checkpoints').set({ ...fields, updated_at: now, version: o.version + 1 }).where('id', '=', o.id).execute();
      await invalidate(trx, 'gate-points');
      counts.updated++;
    }
  }
  return counts;
}
