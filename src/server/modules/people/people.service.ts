import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges, withoutPersonalValues } from '../audit/audit.service';
import { findUserById } from '../users/users.repository';
import { findUnit } from '../units/units.repository';
import type { Person } from './people.schemas';

type PersonRow = { id: string; code: string; name: string; unit_id: string | null; user_id: string | null; cadre: boolean; version: number };
const columns = ['id', 'code', 'name', 'unit_id', 'user_id', 'cadre', 'version'] as const;
const toPerson = (r: PersonRow): Person => ({ id: r.id, code: r.code, name: r.name, unitId: r.unit_id, userId: r.user_id, cadre: r.cadre, version: r.version });
const personNotFound = () => notFound('PERSON_NOT_FOUND', 'No such person');

/** People of the organisation; a person may have no login, and a login belongs to one person. */
export function peopleService(deps: Deps) {
  const { db } = deps.database;

  /** A person may be put only in a unit the actor sees; without a unit only with scope all. */
  async function checkUnit(trx: Tx, actor: Actor, unitId: string | null) {
    const scope = await visibleUnitIds(trx, actor);
    if (unitId === null) {
      if (scope !== null) throw businessRule('UNIT_REQUIRED', 'Choose a unit within your scope');
      return;
    }
    const unit = await findUnit(trx, unitId);
    if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', 'No such unit');
  }

  /** The linked account must exist and be inside the actor's scope. */
  async function checkUser(trx: Tx, actor: Actor, userId: string | null | undefined) {
    if (!userId) return;
    const user = await findUserById(trx, userId);
    if (!user || !inScope(await visibleUnitIds(trx, actor), user.unit_id)) throw notFound('USER_NOT_FOUND', 'No such user');
  }

  return {
    async list(actor: Actor): Promise<Person[]> {
      const scope = await visibleUnitIds(db, actor);
      const rows = await db.selectFrom('people').select(columns).orderBy('code').execute();
      return rows.filter((p) => inScope(scope, p.unit_id)).map(toPerson);
    },

    async create(ctx: RequestContext, actor: Actor, body: { code: string; name: string; unitId: string | null; userId?: string | null; cadre?: boolean }): Promise<Person> {
      return db.transaction().execute(async (trx) => {
        await checkUnit(trx, actor, body.unitId);
        await checkUser(trx, actor, body.userId);
        if (await trx.selectFrom('people').select('id').where('code', '=', body.code).executeTakeFirst()) throw conflict('PERSON_CODE_TAKEN', `The code ${body.code} is already used`);
        const now = deps.clock.now();
        const row = await trx
          .insertInto('people')
          .values({ code: body.code, name: body.name, unit_id: body.unitId, user_id: body.userId ?? null, cadre: body.cadre ?? false, created_at: now, updated_at: now })
          .returning(columns)
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'person.create', objectType: 'person', objectId: row.id, changes: diffChanges(null, { code: row.code, unit_id: row.unit_id, user_id: row.user_id, cadre: row.cadre }) });
        return toPerson(row);
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, body: { version: number; name?: string; unitId?: string | null; userId?: string | null; cadre?: boolean }): Promise<Person> {
      return db.transaction().execute(async (trx) => {
        const person = await trx.selectFrom('people').select(columns).where('id', '=', id).executeTakeFirst();
        if (!person || !inScope(await visibleUnitIds(trx, actor), person.unit_id)) throw personNotFound();
        if (person.version !== body.version) throw staleVersion();
        const patch: Partial<PersonRow> = {};
        if (body.name !== undefined) patch.name = body.name;
        if (body.unitId !== undefined) {
          await checkUnit(trx, actor, body.unitId);
          patch.unit_id = body.unitId;
        }
        if (body.userId !== undefined) {
          await checkUser(trx, actor, body.userId);
          patch.user_id = body.userId;
        }
        if (body.cadre !== undefined) patch.cadre = body.cadre;
        const row = await trx
          .updateTable('people')
          .set({ ...patch, updated_at: deps.clock.now(), version: person.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .returning(columns)
          .executeTakeFirst();
        if (!row) throw staleVersion();
        await audit(trx, deps, ctx, { action: 'person.update', objectType: 'person', objectId: id, changes: withoutPersonalValues(diffChanges(person, patch), ['name']) });
        return toPerson(row);
      });
    },
  };
}
export type PeopleService = ReturnType<typeof peopleService>;
