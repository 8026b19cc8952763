import { sql, type RawBuilder } from 'kysely';
import { normaliseIdNumber, normalisePhone, phoneProblem, residentIdProblem, type IdNumberProblem } from '../../../domain/access/id-number';
import { maskIdNumber, maskPhone, type IdMaskStyle } from '../../../domain/access/mask';
import type { Actor, Db, Tx } from '../../context';
import type { PersonalData } from '../../crypto/personal-data';
import { businessRule, forbidden } from '../../errors';
import type { IdType, Person, PersonCategory } from './people.schemas';

/**
 * The people registry's shared rules (issue 6): who sees a person (the data scope), who may write
 * which fields, how ID numbers and phones are checked, sealed and masked. The API
 * (people.service.ts), the import (people.import.ts), the export and the passes all use them.
 */

/** A person is in scope by their unit; without one, by their site's unit (scope null = all). */
export function personInScope(scope: Set<string> | null, unitId: string | null, siteUnitId: string | null): boolean {
  if (scope === null) return true;
  return unitId !== null ? scope.has(unitId) : siteUnitId !== null && scope.has(siteUnitId);
}

/** The same rule in SQL, over `people as p` left-joined to `sites as ps` (the person's site). */
export function personScopeSql(scope: Set<string> | null): RawBuilder<boolean> {
  if (scope === null) return sql<boolean>`true`;
  const ids = [...scope];
  if (ids.length === 0) return sql<boolean>`false`;
  const list = sql.join(ids);
  return sql<boolean>`(p.unit_id in (${list}) or (p.unit_id is null and ps.unit_id in (${list})))`;
}

/** The ID mask style: settings key 'access.idMask' `{ "style": "1+2" | "6+4" }`, else 1+2. */
export async function idMaskStyle(db: Db | Tx): Promise<IdMaskStyle> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'access.idMask').executeTakeFirst();
  const value = row?.value as { style?: unknown } | null | undefined;
  return value?.style === '6+4' ? '6+4' : '1+2';
}

/**
 * Who may write what. `person.write` (the organisation's people, the system side) may write
 * everything. `access.write` (the access administrator) registers residents, family members,
 * contractors and visitors, and may add the registry fields (ID, phone, photo, site, household,
 * proxy, sex) of employees, but not their name, unit or category, and nobody's account link or
 * cadre flag: those belong to the organisation's side.
 */
export type WriteRight = 'full' | 'registry';
export function writeRight(actor: Actor): WriteRight {
  if (actor.permissions.has('person.write')) return 'full';
  if (actor.permissions.has('access.write')) return 'registry';
  throw forbidden();
}
export const registryOnlyMessage = 'Employees’ name, unit and category, account links and the cadre flag need the permission person.write';

const idProblemText: Record<IdNumberProblem, string> = {
  LENGTH: 'a mainland resident ID number has 18 characters',
  CHARACTERS: 'a mainland resident ID number is 17 digits followed by a digit or X',
  BIRTH_DATE: 'characters 7–14 are not a real date of birth',
  CHECKSUM: 'the check character (the last one) does not match the first 17: a character is mistyped',
};
const otherIdPattern = /^[A-Z0-9]{4,32}$/;

/** Checks an ID number of a type; the normalised number, or the problem in words. */
export function checkIdNumber(idType: IdType, raw: string, today: string): { ok: true; value: string } | { ok: false; problem: IdNumberProblem; message: string } {
  const value = normaliseIdNumber(raw);
  if (idType === 'resident-id') {
    const problem = residentIdProblem(value, today);
    return problem ? { ok: false, problem, message: idProblemText[problem] } : { ok: true, value };
  }
  if (!otherIdPattern.test(value)) {
    const problem: IdNumberProblem = value.length < 4 || value.length > 32 ? 'LENGTH' : 'CHARACTERS';
    return { ok: false, problem, message: problem === 'LENGTH' ? 'a document number has 4–32 characters' : 'a document number has only letters and digits' };
  }
  return { ok: true, value };
}

/** The same check as an API error: 422 ID_NUMBER_<PROBLEM>. */
export function idNumberOrThrow(idType: IdType, raw: string, today: string): string {
  const r = checkIdNumber(idType, raw, today);
  if (!r.ok) throw businessRule(`ID_NUMBER_${r.problem}`, `The ID number is not valid: ${r.message}`, { problem: r.problem });
  return r.value;
}

/** A normalised phone number, or null when it is no phone number. */
export function checkPhone(raw: string): string | null {
  const value = normalisePhone(raw);
  return phoneProblem(value) ? null : value;
}

export function phoneOrThrow(raw: string): string {
  const value = checkPhone(raw);
  if (value === null) throw businessRule('PHONE_INVALID', 'The phone number is not valid: an 11-digit mobile number starting with 1, or a landline of 7–12 digits');
  return value;
}

/** Ciphertext and blind index of a normalised ID number (or nulls). */
export function sealIdNumber(pd: PersonalData, value: string | null) {
  return value === null ? { id_number_enc: null, id_number_bidx: null } : { id_number_enc: pd.encrypt('people.id_number', value), id_number_bidx: pd.blindIndex('people.id_number', value) };
}

export function sealPhone(pd: PersonalData, value: string | null) {
  return value === null ? { phone_enc: null, phone_bidx: null } : { phone_enc: pd.encrypt('people.phone', value), phone_bidx: pd.blindIndex('people.phone', value) };
}

export const MAX_PHOTO_BYTES = 200 * 1024;
const jpegMagic = Buffer.from([0xff, 0xd8, 0xff]);
const pngMagic = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image type of photo bytes by their magic number (JPEG or PNG), or null. */
export function photoType(bytes: Buffer): 'image/jpeg' | 'image/png' | null {
  if (bytes.subarray(0, 3).equals(jpegMagic)) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(pngMagic)) return 'image/png';
  return null;
}

/** Decodes a base64 photo (or data: URL) and checks it is a JPEG or PNG of at most 200 KB. */
export function photoOrThrow(text: string): Buffer {
  const body = text.replace(/^data:image\/(?:jpeg|png);base64,/, '').replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 === 1) throw businessRule('PHOTO_INVALID', 'The photo must be a base64 JPEG or PNG image');
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length > MAX_PHOTO_BYTES) throw businessRule('PHOTO_TOO_LARGE', `The photo may be at most ${MAX_PHOTO_BYTES / 1024} KB (it is ${Math.ceil(bytes.length / 1024)} KB)`);
  if (!photoType(bytes)) throw businessRule('PHOTO_INVALID', 'The photo must be a base64 JPEG or PNG image');
  return bytes;
}

/** The registry columns a person response is built from (see personRows). */
export interface PersonRow {
  id: string;
  code: string;
  name: string;
  unit_id: string | null;
  unit: string | null;
  user_id: string | null;
  cadre: boolean;
  category: string;
  sex: string | null;
  id_type: string | null;
  id_number_enc: Buffer | null;
  phone_enc: Buffer | null;
  site_id: string | null;
  site: string | null;
  site_unit_id: string | null;
  household_id: string | null;
  household: string | null;
  proxy_person_id: string | null;
  proxy_person: string | null;
  has_photo: boolean;
  version: number;
}

/** People with their unit, site, household and proxy by code, ready for toPerson and the scope check. */
export function personRows(db: Db | Tx) {
  return db
    .selectFrom('people as p')
    .leftJoin('sites as ps', 'ps.id', 'p.site_id')
    .leftJoin('units as pu', 'pu.id', 'p.unit_id')
    .leftJoin('households as ph', 'ph.id', 'p.household_id')
    .leftJoin('people as proxy', 'proxy.id', 'p.proxy_person_id')
    .select([
      'p.id', 'p.code', 'p.name', 'p.unit_id', 'pu.code as unit', 'p.user_id', 'p.cadre', 'p.category', 'p.sex', 'p.id_type', 'p.id_number_enc', 'p.phone_enc', 'p.site_id',
      'ps.code as site', 'ps.unit_id as site_unit_id', 'p.household_id', 'ph.code as household', 'p.proxy_person_id', 'proxy.code as proxy_person', 'p.version',
      sql<boolean>`p.photo_enc is not null`.as('has_photo'),
    ]);
}

/** The API view of a person: ID number and phone decrypted only to be masked here. */
export function toPerson(r: PersonRow, pd: PersonalData, style: IdMaskStyle): Person {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    unitId: r.unit_id,
    unit: r.unit,
    userId: r.user_id,
    cadre: r.cadre,
    category: r.category as PersonCategory,
    sex: r.sex as Person['sex'],
    idType: r.id_type as IdType | null,
    idNumber: r.id_number_enc ? maskIdNumber(pd.decryptText('people.id_number', r.id_number_enc), style) : null,
    phone: r.phone_enc ? maskPhone(pd.decryptText('people.phone', r.phone_enc)) : null,
    site: r.site,
    household: r.household,
    proxyPerson: r.proxy_person,
    hasPhoto: Boolean(r.has_photo),
    version: r.version,
  };
}

/** Escapes LIKE wildcards so that user text matches literally (with `escape '\'`). */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The site a person may be placed at: by code, inside the actor's scope. */
export async function findSiteInScope(db: Db | Tx, scope: Set<string> | null, code: string) {
  const site = await db.selectFrom('sites').select(['id', 'code', 'unit_id']).where('code', '=', code).executeTakeFirst();
  return site && (scope === null || (site.unit_id !== null && scope.has(site.unit_id))) ? site : undefined;
}

/** A household of a site by its number, made when new; `created` says whether it was. */
export async function householdOf(trx: Tx, siteId: string, code: string, now: Date): Promise<{ id: string; created: boolean }> {
  const found = await trx.selectFrom('households').select('id').where('site_id', '=', siteId).where('code', '=', code).executeTakeFirst();
  if (found) return { id: found.id, created: false };
  const row = await trx.insertInto('households').values({ site_id: siteId, code, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, created: true };
}
