import { visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, Tx } from '../../context';
import { personalDataOf } from '../../crypto/personal-data';
import type { MappedRecord } from '../../imports/columns';
import type { RowChecker } from '../imports/imports.kinds';
import { newPassToken, sealPassToken } from '../passes/passes.service';
import { todayInShanghai } from '../units/units.service';
import { checkIdNumber, checkPhone, personInScope, sealIdNumber, sealPhone, writeRight } from './people.registry';
import type { IdType, PersonCategory } from './people.schemas';

/** The column keys of the `people` import kind (declared with their headers in modules/imports/imports.kinds.ts). */
export type PeopleImportKey = 'code' | 'name' | 'id_type' | 'id_number' | 'phone' | 'category' | 'unit_code' | 'site_code' | 'household';
export type PeopleRowChecker = RowChecker<PeopleImportKey>;

/** Words a file may use for categories and ID types. */
export const peopleSynonyms = {
  category: {
    employee: ['employee', '员工', '职工'], resident: ['resident', '居民'], family: ['family', '家属'], contractor: ['contractor', '承包商', '外包'], visitor: ['visitor', '访客'],
  } satisfies Record<PersonCategory, string[]>,
  idType: {
    'resident-id': ['resident-id', '居民身份证', '身份证'], passport: ['passport', '护照'], 'hk-macao-permit': ['hk-macao-permit', '港澳通行证'], 'taiwan-permit': ['taiwan-permit', '台湾通行证', '台胞证'],
    'foreigner-permit': ['foreigner-permit', '外国人永久居留证'], other: ['other', '其他'],
  } satisfies Record<IdType, string[]>,
};

const codePattern = /^[A-Za-z0-9_-]{1,32}$/;
const householdPattern = /^[\p{L}\p{N}][\p{L}\p{N}_.#-]{0,39}$/u;
const CHUNK = 500;
type Counts = { inserted: number; updated: number; unchanged: number };

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The last day of a year's validity from `day` (2026-03-02 → 2027-03-01). */
function oneYearFrom(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + 1, m - 1, d) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * Checks every row of a people file with the API's rules (codes, categories and ID types in
 * English or Chinese, mainland ID check characters, phones, units and sites in the importer's
 * scope, who may write employees), then inserts new people and updates changed ones in batches.
 * A cell left empty changes nothing for a person already registered. Households are made as
 * needed; a row with a site_code gives the person an active pass for that site (from today, for a
 * year) unless they already hold an unexpired active (or suspended) one covering it. Errors go into the checker
 * and nothing is written (the caller's transaction is all or nothing).
 */
export async function importPeople(trx: Tx, deps: Deps, actor: Actor, now: Date, records: MappedRecord<PeopleImportKey>[], check: PeopleRowChecker): Promise<Counts> {
  const c = check;
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const pd = personalDataOf(deps.config);
  const right = writeRight(actor);
  const today = todayInShanghai(now);
  const scope = await visibleUnitIds(trx, actor);
  const units = new Map((await trx.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u]));
  const sites = new Map((await trx.selectFrom('sites').select(['id', 'code', 'unit_id']).execute()).map((s) => [s.code, s]));
  const siteById = new Map([...sites.values()].map((s) => [s.id, s]));

  const codes = [...new Set(records.map((r) => r.get('code').trim()).filter((x) => codePattern.test(x)))];
  const existing = new Map<string, { id: string; code: string; name: string; category: string; unit_id: string | null; site_id: string | null; household_id: string | null; id_type: string | null; id_number_bidx: string | null; phone_bidx: string | null; version: number }>();
  for (const part of chunks(codes, 1000)) {
    const rows = await trx.selectFrom('people').select(['id', 'code', 'name', 'category', 'unit_id', 'site_id', 'household_id', 'id_type', 'id_number_bidx', 'phone_bidx', 'version']).where('code', 'in', part).execute();
    for (const r of rows) existing.set(r.code, r);
  }

  const firstRow = new Map<string, number>();
  const firstId = new Map<string, number>();
  const rows = records.flatMap((rec) => {
    const code = c.text(rec, 'code', { required: true, max: 32, pattern: codePattern, patternMessage: 'letters, digits, _ - (at most 32)' });
    const name = c.text(rec, 'name', { required: true, max: 100 });
    const category = c.choice(rec, 'category', peopleSynonyms.category, false) as PersonCategory | null | undefined;
    const idTypeWord = c.choice(rec, 'id_type', peopleSynonyms.idType, false) as IdType | null | undefined;
    const idRaw = c.text(rec, 'id_number', { max: 40 });
    const phoneRaw = c.text(rec, 'phone', { max: 30 });
    const unitCode = c.text(rec, 'unit_code', { max: 32 });
    const siteCode = c.text(rec, 'site_code', { max: 40 });
    const householdCode = c.text(rec, 'household', { max: 40, pattern: householdPattern, patternMessage: 'letters, digits, _ . # - (at most 40)' });
    if (code === null || name === null || category === null || idTypeWord === null || idRaw === null || phoneRaw === null || unitCode === null || siteCode === null || householdCode === null) return [];
    const old = existing.get(code);

    let ok = true;
    const fail = (key: PeopleImportKey, message: string) => {
      c.fail(rec, key, message);
      ok = false;
    };
    if (firstRow.has(code)) fail('code', `duplicates row ${firstRow.get(code)}`);
    else firstRow.set(code, rec.row);

    const unit = unitCode ? units.get(unitCode) : undefined;
    if (unitCode && (!unit || (scope !== null && !scope.has(unit.id)))) fail('unit_code', `no unit ${unitCode} in your scope`);
    const site = siteCode ? sites.get(siteCode) : undefined;
    if (siteCode && (!site || (scope !== null && (site.unit_id === null || !scope.has(site.unit_id))))) fail('site_code', `no site ${siteCode} in your scope`);

    const cat = category ?? (old?.category as PersonCategory | undefined);
    if (!cat) fail('category', 'required for a new person: employee/员工, resident/居民, family/家属, contractor/承包商, visitor/访客');
    if (right === 'registry') {
      if (!old && cat === 'employee') fail('category', 'registering employees needs the permission person.write; ask the organisation’s administrator');
      else if (old?.category === 'employee' && ((cat && cat !== 'employee') || name !== old.name || (unit && unit.id !== old.unit_id))) fail('code', 'an employee’s name, unit and category need the permission person.write');
      else if (old && old.category !== 'employee' && cat === 'employee') fail('category', 'making someone an employee needs the permission person.write');
    }

    const unitId = unit ? unit.id : (old?.unit_id ?? null);
    const siteId = site ? site.id : (old?.site_id ?? null);
    const siteUnitId = siteId ? (siteById.get(siteId)?.unit_id ?? null) : null;
    if (old && !personInScope(scope, old.unit_id, old.site_id ? (siteById.get(old.site_id)?.unit_id ?? null) : null)) fail('code', `the person ${code} is registered outside your scope`);
    else if (ok && !personInScope(scope, unitId, siteUnitId)) fail('unit_code', 'a unit or a site within your scope is needed');
    if (householdCode && !siteId) fail('household', 'a household belongs to a site: give site_code too');

    let idNumber: string | null = null;
    const idType: IdType | null = idTypeWord ?? (old?.id_type as IdType | null | undefined) ?? (idRaw ? 'resident-id' : null);
    if (idRaw) {
      const r = checkIdNumber(idType ?? 'resident-id', idRaw, today);
      if (!r.ok) fail('id_number', `not a valid ID number: ${r.message}`);
      else {
        idNumber = r.value;
        const bidx = pd.blindIndex('people.id_number', idNumber);
        if (firstId.has(bidx)) fail('id_number', `the same ID number as row ${firstId.get(bidx)}`);
        else firstId.set(bidx, rec.row);
      }
    }
    let phone: string | null = null;
    if (phoneRaw) {
      phone = checkPhone(phoneRaw);
      if (phone === null) fail('phone', 'not a phone number: 11 digits starting with 1, or a landline');
    }
    if (!ok || !cat) return [];
    return [{ rec, code, name, category: cat, unitId, siteId, passSiteId: site?.id ?? null, householdCode: householdCode || null, idType, idNumber, phone, old }];
  });

  // ID numbers registered for someone else.
  const bidxOf = new Map(rows.filter((r) => r.idNumber !== null).map((r) => [pd.blindIndex('people.id_number', r.idNumber!), r]));
  for (const part of chunks([...bidxOf.keys()], 1000)) {
    const taken = await trx.selectFrom('people').select(['code', 'id_number_bidx']).where('id_number_bidx', 'in', part).execute();
    for (const t of taken) {
      const r = bidxOf.get(t.id_number_bidx!)!;
      if (t.code !== r.code) c.fail(r.rec, 'id_number', 'this ID number is registered for another person');
    }
  }
  if (c.errors.length) return counts;

  // Households: those the file names that do not exist yet are made.
  const householdKey = (siteId: string, code: string) => `${siteId}\u0000${code}`;
  const wanted = new Map<string, { site_id: string; code: string }>();
  for (const r of rows) if (r.householdCode && r.siteId) wanted.set(householdKey(r.siteId, r.householdCode), { site_id: r.siteId, code: r.householdCode });
  const households = new Map<string, string>();
  const wantedSites = [...new Set([...wanted.values()].map((w) => w.site_id))];
  for (const part of chunks(wantedSites, 200)) {
    for (const h of await trx.selectFrom('households').select(['id', 'site_id', 'code']).where('site_id', 'in', part).execute()) households.set(householdKey(h.site_id, h.code), h.id);
  }
  const missing = [...wanted.entries()].filter(([k]) => !households.has(k)).map(([, v]) => ({ ...v, created_at: now, updated_at: now }));
  for (const part of chunks(missing)) {
    for (const h of await trx.insertInto('households').values(part).returning(['id', 'site_id', 'code']).execute()) households.set(householdKey(h.site_id, h.code), h.id);
  }

  // People: new ones in batches, changed ones one by one.
  const personIds = new Map<string, string>();
  const fresh = [];
  for (const r of rows) {
    const householdId = r.householdCode && r.siteId ? households.get(householdKey(r.siteId, r.householdCode))! : r.siteId !== (r.old?.site_id ?? null) ? null : (r.old?.household_id ?? null);
    const idBidx = r.idNumber === null ? (r.old?.id_number_bidx ?? null) : pd.blindIndex('people.id_number', r.idNumber);
    const phoneBidx = r.phone === null ? (r.old?.phone_bidx ?? null) : pd.blindIndex('people.phone', r.phone);
    const fields = { name: r.name, category: r.category, unit_id: r.unitId, site_id: r.siteId, household_id: householdId, id_type: r.idType };
    if (!r.old) {
      fresh.push({ code: r.code, ...fields, ...sealIdNumber(pd, r.idNumber), ...sealPhone(pd, r.phone), created_at: now, updated_at: now });
      continue;
    }
    const o = r.old;
    personIds.set(r.code, o.id);
    const same = o.name === r.name && o.category === r.category && o.unit_id === r.unitId && o.site_id === r.siteId && o.household_id === householdId && o.id_type === r.idType && o.id_number_bidx === idBidx && o.phone_bidx === phoneBidx;
    if (same) {
      counts.unchanged++;
      continue;
    }
    await trx
      .updateTable('people')
      .set({ ...fields, ...(r.idNumber === null ? {} : sealIdNumber(pd, r.idNumber)), ...(r.phone === null ? {} : sealPhone(pd, r.phone)), updated_at: now, version: o.version + 1 })
      .where('id', '=', o.id)
      .execute();
    counts.updated++;
  }
  for (const part of chunks(fresh)) {
    for (const p of await trx.insertInto('people').values(part).returning(['id', 'code']).execute()) personIds.set(p.code, p.id);
    counts.inserted += part.length;
  }

  // Passes for the sites the file names, unless an unexpired pass already covers the site (a
  // suspended one counts: an import must not lift a suspension by issuing a second pass).
  const wantPass = rows.filter((r) => r.passSiteId !== null).map((r) => ({ personId: personIds.get(r.code)!, siteId: r.passSiteId! }));
  const covered = new Set<string>();
  const holders = rows.filter((r) => r.passSiteId !== null && r.old).map((r) => r.old!.id);
  for (const part of chunks([...new Set(holders)], 1000)) {
    const held = await trx
      .selectFrom('passes as pa')
      .innerJoin('pass_sites as x', 'x.pass_id', 'pa.id')
      .select(['pa.person_id', 'x.site_id'])
      .where('pa.person_id', 'in', part)
      .where('pa.status', 'in', ['active', 'suspended'])
      .where('pa.valid_to', '>=', today)
      .execute();
    for (const h of held) covered.add(`${h.person_id}\u0000${h.site_id}`);
  }
  const toIssue = wantPass.filter((w) => !covered.has(`${w.personId}\u0000${w.siteId}`));
  const validTo = oneYearFrom(today);
  for (const part of chunks(toIssue)) {
    const made = await trx
      .insertInto('passes')
      .values(part.map((w) => ({ person_id: w.personId, ...sealPassToken(pd, newPassToken()), valid_from: today, valid_to: validTo, created_by: actor.userId, created_at: now, updated_at: now })))
      .returning(['id', 'person_id'])
      .execute();
    const siteOf = new Map(part.map((w) => [w.personId, w.siteId]));
    await trx.insertInto('pass_sites').values(made.map((m) => ({ pass_id: m.id, site_id: siteOf.get(m.person_id)! }))).execute();
  }
  return counts;
}
