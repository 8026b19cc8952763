import { sql, type RawBuilder, type Updateable } from 'kysely';
import { normaliseIdNumber, normalisePhone } from '../../../domain/access/id-number';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { personalDataOf } from '../../crypto/personal-data';
import type { PeopleTable } from '../../db/schema';
import { businessRule, conflict, forbidden, notFound, staleVersion } from '../../errors';
import { writeXlsx } from '../../imports/export-table';
import { audit, diffChanges, withoutPersonalValues } from '../audit/audit.service';
import { findUserById } from '../users/users.repository';
import { findUnit } from '../units/units.repository';
import { todayInShanghai } from '../units/units.service';
import type { CreatePersonBody, Person, PersonList, PersonQuery, UpdatePersonBody, unmaskFields } from './people.schemas';
import {
  findSiteInScope,
  householdOf,
  idMaskStyle,
  idNumberOrThrow,
  likePrefix,
  personInScope,
  personRows,
  personScopeSql,
  phoneOrThrow,
  photoOrThrow,
  photoType,
  registryOnlyMessage,
  sealIdNumber,
  sealPhone,
  toPerson,
  writeRight,
} from './people.registry';

const personNotFound = () => notFound('PERSON_NOT_FOUND', 'No such person');
const siteNotFound = () => notFound('SITE_NOT_FOUND', 'No such site');
/** Fields whose values the audit log never holds (it says that they changed, not to what). */
const personalAuditFields = ['name', 'sex', 'id_number', 'phone', 'photo'] as const;

/** People of the organisation and the site registry; a person may have no login, and a login belongs to one person. */
export function peopleService(deps: Deps) {
  const { db } = deps.database;
  const pd = personalDataOf(deps.config);

  /** A unit the person may be put in: one the actor sees (404 otherwise). */
  async function checkUnit(trx: Tx, scope: Set<string> | null, unitId: string) {
    const unit = await findUnit(trx, unitId);
    if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', 'No such unit');
  }

  /** The linked account must exist and be inside the actor's scope. */
  async function checkUser(trx: Tx, scope: Set<string> | null, userId: string | null | undefined) {
    if (!userId) return;
    const user = await findUserById(trx, userId);
    if (!user || !inScope(scope, user.unit_id)) throw notFound('USER_NOT_FOUND', 'No such user');
  }

  async function proxyOf(trx: Tx, scope: Set<string> | null, code: string, selfCode: string): Promise<string> {
    if (code === selfCode) throw businessRule('PROXY_SELF', 'A person cannot be registered on their own behalf');
    const proxy = await personRows(trx).where('p.code', '=', code).executeTakeFirst();
    if (!proxy || !personInScope(scope, proxy.unit_id, proxy.site_unit_id)) throw notFound('PROXY_PERSON_NOT_FOUND', `No person ${code}`);
    return proxy.id;
  }

  async function checkIdNumberFree(trx: Tx, bidx: string | null, selfId: string | null) {
    if (bidx === null) return;
    const other = await trx.selectFrom('people').select('id').where('id_number_bidx', '=', bidx).$if(selfId !== null, (qb) => qb.where('id', '<>', selfId!)).executeTakeFirst();
    if (other) throw conflict('ID_NUMBER_TAKEN', 'Another person is registered with this ID number');
  }

  /** A person the actor sees, with everything the API shows and the blind indexes. */
  async function loadVisible(trx: Db | Tx, actor: Actor, id: string) {
    const scope = await visibleUnitIds(trx, actor);
    const person = await personRows(trx).select(['p.id_number_bidx', 'p.phone_bidx']).where('p.id', '=', id).executeTakeFirst();
    if (!person || !personInScope(scope, person.unit_id, person.site_unit_id)) throw personNotFound();
    return { person, scope };
  }

  /** The WHERE of a list or an export: the scope and every filter given. */
  async function filters(actor: Actor, q: Partial<PersonQuery>): Promise<RawBuilder<boolean>> {
    const scope = await visibleUnitIds(db, actor);
    const conds: RawBuilder<boolean>[] = [personScopeSql(scope)];
    if (q.site) {
      const site = await findSiteInScope(db, scope, q.site);
      if (!site) throw siteNotFound();
      conds.push(sql<boolean>`p.site_id = ${site.id}`);
    }
    if (q.q) conds.push(sql<boolean>`(p.code ilike ${likePrefix(q.q)} escape '\\' or p.name ilike ${likePrefix(q.q)} escape '\\')`);
    if (q.idNumber) conds.push(sql<boolean>`p.id_number_bidx = ${pd.blindIndex('people.id_number', normaliseIdNumber(q.idNumber))}`);
    if (q.phone) conds.push(sql<boolean>`p.phone_bidx = ${pd.blindIndex('people.phone', normalisePhone(q.phone))}`);
    if (q.household) conds.push(sql<boolean>`p.household_id in (select h.id from households h where h.code = ${q.household})`);
    if (q.category) conds.push(sql<boolean>`p.category = ${q.category}`);
    return sql<boolean>`(${sql.join(conds, sql` and `)})`;
  }

  /** People in the actor's scope, filtered; paged when page or pageSize is given, else every match. */
  async function list(actor: Actor, q: PersonQuery = {}): Promise<PersonList> {
    const where = await filters(actor, q);
    const paged = q.page !== undefined || q.pageSize !== undefined;
    const pageSize = q.pageSize ?? 50;
    const rows = await personRows(db)
      .where(where)
      .orderBy('p.code')
      .$if(paged, (qb) => qb.limit(pageSize).offset(((q.page ?? 1) - 1) * pageSize))
      .execute();
    const total = paged
      ? Number((await db.selectFrom('people as p').leftJoin('sites as ps', 'ps.id', 'p.site_id').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow()).n)
      : rows.length;
    const style = await idMaskStyle(db);
    return { items: rows.map((r) => toPerson(r, pd, style)), total };
  }

  return {
    list,

    async get(actor: Actor, id: string): Promise<Person> {
      const { person } = await loadVisible(db, actor, id);
      return toPerson(person, pd, await idMaskStyle(db));
    },

    async create(ctx: RequestContext, actor: Actor, body: CreatePersonBody): Promise<Person> {
      const category = body.category ?? 'employee';
      if (writeRight(actor) === 'registry' && (category === 'employee' || body.userId !== undefined || body.cadre !== undefined)) throw forbidden(registryOnlyMessage);
      return db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const scope = await visibleUnitIds(trx, actor);
        const unitId = body.unitId ?? null;
        const site = body.site ? await findSiteInScope(trx, scope, body.site) : null;
        if (site === undefined) throw siteNotFound();
        if (unitId !== null) await checkUnit(trx, scope, unitId);
        else if (scope !== null && !site) throw businessRule('UNIT_REQUIRED', 'Choose a unit or a site within your scope');
        await checkUser(trx, scope, body.userId);
        if (await trx.selectFrom('people').select('id').where('code', '=', body.code).executeTakeFirst()) throw conflict('PERSON_CODE_TAKEN', `The code ${body.code} is already used`);

        const today = todayInShanghai(now);
        const idType = body.idNumber ? (body.idType ?? 'resident-id') : (body.idType ?? null);
        const idNumber = body.idNumber ? idNumberOrThrow(idType ?? 'resident-id', body.idNumber, today) : null;
        const phone = body.phone ? phoneOrThrow(body.phone) : null;
        const photo = body.photo ? photoOrThrow(body.photo) : null;
        const sealedId = sealIdNumber(pd, idNumber);
        await checkIdNumberFree(trx, sealedId.id_number_bidx, null);
        let householdId: string | null = null;
        if (body.household) {
          if (!site) throw businessRule('HOUSEHOLD_NEEDS_SITE', 'A household belongs to a site: give the site too');
          const h = await householdOf(trx, site.id, body.household, now);
          if (h.created) await audit(trx, deps, ctx, { action: 'household.create', objectType: 'household', objectId: h.id, changes: { site: { new: site.code }, code: { new: body.household } } });
          householdId = h.id;
        }
        const proxyId = body.proxyPerson ? await proxyOf(trx, scope, body.proxyPerson, body.code) : null;

        const row = await trx
          .insertInto('people')
          .values({
            code: body.code, name: body.name, unit_id: unitId, user_id: body.userId ?? null, cadre: body.cadre ?? false, category, sex: body.sex ?? null, id_type: idType,
            ...sealedId, ...sealPhone(pd, phone), photo_enc: photo ? pd.encrypt('people.photo', photo) : null, site_id: site?.id ?? null, household_id: householdId, proxy_person_id: proxyId,
            created_at: now, updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const changes = diffChanges(null, {
          code: body.code, unit_id: unitId, user_id: body.userId ?? null, cadre: body.cadre ?? false, category, id_type: idType, site: site?.code ?? null, household: body.household ?? null,
          proxy_person: body.proxyPerson ?? null, sex: body.sex ?? undefined, id_number: idNumber ? 'set' : undefined, phone: phone ? 'set' : undefined, photo: photo ? 'set' : undefined,
        });
        await audit(trx, deps, ctx, { action: 'person.create', objectType: 'person', objectId: row.id, changes: withoutPersonalValues(changes, personalAuditFields) });
        const created = await personRows(trx).where('p.id', '=', row.id).executeTakeFirstOrThrow();
        return toPerson(created, pd, await idMaskStyle(trx));
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, body: UpdatePersonBody): Promise<Person> {
      const right = writeRight(actor);
      if (right === 'registry' && (body.userId !== undefined || body.cadre !== undefined)) throw forbidden(registryOnlyMessage);
      return db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const { person, scope } = await loadVisible(trx, actor, id);
        if (person.version !== body.version) throw staleVersion();
        if (right === 'registry') {
          const employee = person.category === 'employee';
          const renames = body.name !== undefined && body.name !== person.name;
          const moves = body.unitId !== undefined && body.unitId !== person.unit_id;
          const recategorises = body.category !== undefined && body.category !== person.category;
          if ((employee && (renames || moves || recategorises)) || (recategorises && body.category === 'employee')) throw forbidden(registryOnlyMessage);
        }
        const patch: Updateable<PeopleTable> = {};
        if (body.name !== undefined) patch.name = body.name;
        if (body.category !== undefined) patch.category = body.category;
        if (body.sex !== undefined) patch.sex = body.sex;
        if (body.cadre !== undefined) patch.cadre = body.cadre;
        if (body.userId !== undefined) {
          await checkUser(trx, scope, body.userId);
          patch.user_id = body.userId;
        }

        // Site and unit: the person must stay where the actor sees them.
        let site = person.site_id === null ? null : { id: person.site_id, code: person.site!, unit_id: person.site_unit_id };
        if (body.site !== undefined && body.site !== person.site) {
          const found = body.site === null ? null : await findSiteInScope(trx, scope, body.site);
          if (found === undefined) throw siteNotFound();
          site = found;
          patch.site_id = site?.id ?? null;
          if (body.household === undefined) patch.household_id = null; // the old household belongs to the old site
        }
        if (body.unitId !== undefined && body.unitId !== null) await checkUnit(trx, scope, body.unitId);
        const unitId = body.unitId !== undefined ? body.unitId : person.unit_id;
        if (body.unitId !== undefined) patch.unit_id = body.unitId;
        if (!personInScope(scope, unitId, site?.unit_id ?? null)) throw businessRule('UNIT_REQUIRED', 'Choose a unit or a site within your scope');

        if (body.household !== undefined) {
          if (body.household === null) patch.household_id = null;
          else {
            if (!site) throw businessRule('HOUSEHOLD_NEEDS_SITE', 'A household belongs to a site: give the site too');
            const h = await householdOf(trx, site.id, body.household, now);
            if (h.created) await audit(trx, deps, ctx, { action: 'household.create', objectType: 'household', objectId: h.id, changes: { site: { new: site.code }, code: { new: body.household } } });
            patch.household_id = h.id;
          }
        }
        if (body.proxyPerson !== undefined) patch.proxy_person_id = body.proxyPerson === null ? null : await proxyOf(trx, scope, body.proxyPerson, person.code);

        if (body.idType !== undefined || body.idNumber !== undefined) {
          const raw = body.idNumber !== undefined ? body.idNumber : person.id_number_enc ? pd.decryptText('people.id_number', person.id_number_enc) : null;
          const idType = body.idType !== undefined ? body.idType : (person.id_type as UpdatePersonBody['idType']);
          const type = raw !== null ? (idType ?? 'resident-id') : (idType ?? null);
          const sealed = sealIdNumber(pd, raw === null ? null : idNumberOrThrow(type ?? 'resident-id', raw, todayInShanghai(now)));
          if (sealed.id_number_bidx !== person.id_number_bidx) await checkIdNumberFree(trx, sealed.id_number_bidx, person.id);
          Object.assign(patch, sealed, { id_type: type });
        }
        if (body.phone !== undefined) Object.assign(patch, sealPhone(pd, body.phone === null ? null : phoneOrThrow(body.phone)));
        if (body.photo !== undefined) patch.photo_enc = body.photo === null ? null : pd.encrypt('people.photo', photoOrThrow(body.photo));

        const updated = await trx
          .updateTable('people')
          .set({ ...patch, updated_at: now, version: person.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .returning('id')
          .executeTakeFirst();
        if (!updated) throw staleVersion();
        const before = {
          name: person.name, unit_id: person.unit_id, user_id: person.user_id, cadre: person.cadre, category: person.category, sex: person.sex, id_type: person.id_type,
          id_number: person.id_number_bidx, phone: person.phone_bidx, photo: person.has_photo, site_id: person.site_id, household_id: person.household_id, proxy_person_id: person.proxy_person_id,
        };
        const after = {
          name: patch.name, unit_id: patch.unit_id, user_id: patch.user_id, cadre: patch.cadre, category: patch.category, sex: patch.sex, id_type: patch.id_type,
          id_number: patch.id_number_bidx, phone: patch.phone_bidx, photo: body.photo === undefined ? undefined : body.photo !== null,
          site_id: patch.site_id, household_id: patch.household_id, proxy_person_id: patch.proxy_person_id,
        };
        await audit(trx, deps, ctx, { action: 'person.update', objectType: 'person', objectId: id, changes: withoutPersonalValues(diffChanges(before, after), personalAuditFields) });
        const row = await personRows(trx).where('p.id', '=', id).executeTakeFirstOrThrow();
        return toPerson(row, pd, await idMaskStyle(trx));
      });
    },

    /** The full ID number or phone, for someone with personal.unmask and a reason; audited without the value. */
    async unmask(ctx: RequestContext, actor: Actor, id: string, body: { field: (typeof unmaskFields)[number]; reason: string }): Promise<{ value: string }> {
      const reason = body.reason.trim();
      if ([...reason].length < 4) throw businessRule('REASON_REQUIRED', 'Say why the full value is needed (at least 4 characters); the reason is written to the audit log');
      return db.transaction().execute(async (trx) => {
        const { person } = await loadVisible(trx, actor, id);
        const sealed = body.field === 'idNumber' ? person.id_number_enc : person.phone_enc;
        if (!sealed) throw notFound('VALUE_NOT_FOUND', `This person has no ${body.field === 'idNumber' ? 'ID number' : 'phone number'}`);
        const value = pd.decryptText(body.field === 'idNumber' ? 'people.id_number' : 'people.phone', sealed);
        await audit(trx, deps, ctx, { action: 'person.unmask', objectType: 'person', objectId: id, details: { field: body.field, reason } });
        return { value };
      });
    },

    /** The person's photo (decrypted), audited as a view. */
    async photo(ctx: RequestContext, actor: Actor, id: string): Promise<{ bytes: Buffer; type: 'image/jpeg' | 'image/png' }> {
      return db.transaction().execute(async (trx) => {
        await loadVisible(trx, actor, id);
        const row = await trx.selectFrom('people').select('photo_enc').where('id', '=', id).executeTakeFirstOrThrow();
        if (!row.photo_enc) throw notFound('PHOTO_NOT_FOUND', 'This person has no photo');
        const bytes = pd.decrypt('people.photo', row.photo_enc);
        await audit(trx, deps, ctx, { action: 'person.photo.view', objectType: 'person', objectId: id });
        return { bytes, type: photoType(bytes) ?? 'image/jpeg' };
      });
    },

    /** The filtered registry as xlsx, masked as on screen; the export is audited. */
    async exportXlsx(ctx: RequestContext, actor: Actor, q: Pick<PersonQuery, 'q' | 'site' | 'household' | 'category'>): Promise<Buffer> {
      const { items } = await list(actor, q);
      await db.transaction().execute((trx) => audit(trx, deps, ctx, { action: 'person.export', objectType: 'person', details: { filters: q, rows: items.length } }));
      const zh = actor.locale === 'zh-CN';
      const headers = zh
        ? ['人员编码', '姓名', '类别', '性别', '证件类型', '证件号码', '手机号', '单位编码', '小区编码', '户号', '代办人编码']
        : ['code', 'name', 'category', 'sex', 'id_type', 'id_number', 'phone', 'unit_code', 'site_code', 'household', 'proxy_person'];
      const rows = items.map((p) => [p.code, p.name, p.category, p.sex, p.idType, p.idNumber, p.phone, p.unit, p.site, p.household, p.proxyPerson]);
      return writeXlsx(zh ? '人员登记' : 'People', headers, rows, { columnWidths: [14, 12, 12, 8, 16, 22, 16, 12, 12, 12, 14] });
    },
  };
}
export type PeopleService = ReturnType<typeof peopleService>;
