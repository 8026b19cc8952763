/**
 * What the visitor, block-list, vehicle, duty and live-view modules share: the codes their APIs
 * take, the data scope of sites, checkpoints and people (contract: a site is in scope when its
 * unit is; a person when its unit is, or without a unit when its site's unit is), the ID mask
 * style, and Asia/Shanghai local times.
 */
import { z } from 'zod';
import type { IdMaskStyle } from '../../../domain/access/mask';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Tx } from '../../context';
import { notFound } from '../../errors';

export type Scope = Set<string> | null;

/** Codes of sites and checkpoints (the database checks the same pattern). */
export const siteCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'code: 1–40 letters, digits, _ . -, starting with a letter or digit');
export const checkpointCode = siteCode;
export const personCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'person code: 1–32 letters, digits, _ -');
/** A local time HH:MM, 00:00–23:59. */
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM, 00:00–23:59');

export interface SiteRow {
  id: string;
  code: string;
  name_zh: string;
  name_en: string | null;
  kind: string;
  access_level: string;
  unit_id: string | null;
  capacity: number | null;
}

const siteColumns = ['s.id', 's.code', 's.name_zh', 's.name_en', 's.kind', 's.access_level', 's.unit_id', 's.capacity'] as const;

export const siteNotFound = (code: string) => notFound('SITE_NOT_FOUND', `No site ${code}`);

/** A site by code, when the scope reaches it (else the same 404 as an unknown code). */
export async function siteInScope(trx: Db | Tx, scope: Scope, code: string): Promise<SiteRow> {
  const site = await trx.selectFrom('sites as s').select(siteColumns).where('s.code', '=', code).executeTakeFirst();
  if (!site || !inScope(scope, site.unit_id)) throw siteNotFound(code);
  return site;
}

/** Every site the scope reaches, by code. */
export async function sitesInScope(trx: Db | Tx, scope: Scope): Promise<SiteRow[]> {
  let q = trx.selectFrom('sites as s').select(siteColumns).orderBy('s.code');
  if (scope !== null) {
    if (scope.size === 0) return [];
    q = q.where('s.unit_id', 'in', [...scope]);
  }
  return q.execute();
}

export interface CheckpointRow {
  id: string;
  code: string;
  name_zh: string;
  name_en: string | null;
  site_id: string;
  site_code: string;
  site_unit_id: string | null;
}

/** A checkpoint by code, when the scope reaches its site. */
export async function checkpointInScope(trx: Db | Tx, scope: Scope, code: string): Promise<CheckpointRow> {
  const c = await trx
    .selectFrom('checkpoints as c')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .select(['c.id', 'c.code', 'c.name_zh', 'c.name_en', 'c.site_id', 's.code as site_code', 's.unit_id as site_unit_id'])
    .where('c.code', '=', code)
    .executeTakeFirst();
  if (!c || !inScope(scope, c.site_unit_id)) throw notFound('CHECKPOINT_NOT_FOUND', `No checkpoint ${code}`);
  return c;
}

export interface PersonRow {
  id: string;
  code: string;
  name: string;
  category: string;
  unit_id: string | null;
  site_id: string | null;
  user_id: string | null;
  site_unit_id: string | null;
}

/** A person by code, whatever the scope (callers decide what the scope allows). */
export function personByCode(trx: Db | Tx, code: string): Promise<PersonRow | undefined> {
  return trx
    .selectFrom('people as p')
    .leftJoin('sites as s', 's.id', 'p.site_id')
    .select(['p.id', 'p.code', 'p.name', 'p.category', 'p.unit_id', 'p.site_id', 'p.user_id', 's.unit_id as site_unit_id'])
    .where('p.code', '=', code)
    .executeTakeFirst();
}

/** A person is in scope by their unit, or without a unit by their site's unit. */
export function personVisible(scope: Scope, p: { unit_id: string | null; site_unit_id: string | null }): boolean {
  return inScope(scope, p.unit_id ?? p.site_unit_id);
}

/** A person by code when the scope reaches them (else PERSON_NOT_FOUND). */
export async function personInScope(trx: Db | Tx, scope: Scope, code: string): Promise<PersonRow> {
  const p = await personByCode(trx, code);
  if (!p || !personVisible(scope, p)) throw notFound('PERSON_NOT_FOUND', `No person ${code}`);
  return p;
}

export const scopeOf = (trx: Db | Tx, actor: Actor): Promise<Scope> => visibleUnitIds(trx, actor);

/** The configured ID mask style (settings 'access.idMask'; default 1+2). */
export async function idMaskStyle(trx: Db | Tx): Promise<IdMaskStyle> {
  const row = await trx.selectFrom('settings').select('value').where('key', '=', 'access.idMask').executeTakeFirst();
  return (row?.value as { style?: unknown } | undefined)?.style === '6+4' ? '6+4' : '1+2';
}

const shanghaiOffsetMs = 8 * 3_600_000;

/** The Asia/Shanghai local time HH:MM of an instant. */
export function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + shanghaiOffsetMs).toISOString().slice(11, 16);
}

/** Plates as stored and compared: upper case, without spaces, dots or hyphens. */
export function normalisePlate(raw: string): string {
  return raw.replace(/[\s·.\-_]/g, '').toUpperCase();
}

/**
 * A Chinese plate, checked loosely: a province character (or 使/领, or WJ and two digits), a letter,
 * 4–6 letters or digits (new-energy plates have 6), and an optional 挂/学/警/港/澳/领/试/超.
 */
export const platePattern = /^(?:[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-Z]|WJ\d{2})[A-Z0-9]{4,6}[挂学警港澳领试超]?$/;
