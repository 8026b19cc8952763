import { normaliseIdNumber, normalisePhone, phoneProblem } from '../../../domain/access/id-number';
import { maskName } from '../../../domain/access/mask';
import { shanghaiDay } from '../../../domain/notices/week';
import { inScope } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { personalDataOf } from '../../crypto/personal-data';
import { businessRule, conflict, notFound } from '../../errors';
import { personInScope, scopeOf, siteInScope, type Scope } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import type { BlockEntry, CreateBlockBody } from './block-list.schemas';

const entryRows = (trx: Db | Tx) =>
  trx
    .selectFrom('block_list as b')
    .leftJoin('people as p', 'p.id', 'b.person_id')
    .leftJoin('sites as s', 's.id', 'b.site_id')
    .leftJoin('users as cu', 'cu.id', 'b.created_by')
    .leftJoin('users as ru', 'ru.id', 'b.removed_by')
    .select([
      'b.id', 'b.id_number_bidx', 'b.phone_bidx', 'b.site_id', 'b.reason', 'b.valid_to', 'b.created_at', 'b.removed_at',
      'p.code as person_code', 'p.name as person_name', 'p.category as person_category',
      's.code as site_code', 's.name_zh as site_name_zh', 's.unit_id as site_unit_id',
      'cu.username as created_by', 'ru.username as removed_by',
    ]);
type EntryRow = Awaited<ReturnType<ReturnType<typeof entryRows>['executeTakeFirstOrThrow']>>;

const dateText = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

function toEntry(r: EntryRow, today: string): BlockEntry {
  const validTo = r.valid_to === null ? null : dateText(r.valid_to);
  return {
    id: r.id,
    person: r.person_code === null ? null : { code: r.person_code, name: maskName(r.person_name ?? ''), category: r.person_category ?? '' },
    byIdNumber: r.id_number_bidx !== null,
    byPhone: r.phone_bidx !== null,
    site: r.site_code === null ? null : { code: r.site_code, nameZh: r.site_name_zh ?? '' },
    reason: r.reason,
    validTo,
    active: r.removed_at === null && (validTo === null || validTo >= today),
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    removedAt: r.removed_at?.toISOString() ?? null,
    removedBy: r.removed_by,
  };
}

/**
 * The block list (黑名单): a registered person, or an ID number or phone kept only as its blind
 * index, for one site or every site. Entries for one site follow that site's scope; entries for
 * every site are seen and kept by every access reader and writer (the security department blocks
 * someone company-wide). Names are masked; ID numbers and phones never leave the server.
 */
export function blockListService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;
  const pd = personalDataOf(deps.config);
  const visibleEntry = (scope: Scope, r: { site_id: string | null; site_unit_id: string | null }) => r.site_id === null || inScope(scope, r.site_unit_id);

  return {
    async list(actor: Actor, q: { site?: string | undefined; removed?: 'true' | 'false' | undefined }): Promise<{ rows: BlockEntry[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        let query = entryRows(trx);
        if (q.site) {
          const site = await siteInScope(trx, scope, q.site);
          query = query.where((eb) => eb.or([eb('b.site_id', '=', site.id), eb('b.site_id', 'is', null)]));
        } else if (scope !== null) {
          const units = [...scope];
          query = query.where((eb) => eb.or([eb('b.site_id', 'is', null), ...(units.length > 0 ? [eb('s.unit_id', 'in', units)] : [])]));
        }
        if (q.removed !== 'true') query = query.where('b.removed_at', 'is', null);
        const rows = await query.orderBy('b.created_at', 'desc').limit(2000).execute();
        const today = shanghaiDay(clock.now());
        return { rows: rows.map((r) => toEntry(r, today)) };
      });
    },

    async add(ctx: RequestContext, actor: Actor, body: CreateBlockBody): Promise<BlockEntry> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const today = shanghaiDay(clock.now());
        if (body.validTo !== null && body.validTo < today) throw businessRule('BLOCK_VALID_TO_PAST', 'validTo is in the past', { field: 'validTo' });
        const site = body.site === null ? null : await siteInScope(trx, scope, body.site);
        const person = body.person === undefined ? null : await personInScope(trx, scope, body.person);
        let phoneBidx: string | null = null;
        if (body.phone !== undefined) {
          const phone = normalisePhone(body.phone);
          if (phoneProblem(phone)) throw businessRule('PHONE_INVALID', 'phone: not a phone number', { field: 'phone' });
          phoneBidx = pd.blindIndex('people.phone', phone);
        }
        const idBidx = body.idNumber === undefined ? null : pd.blindIndex('people.id_number', normaliseIdNumber(body.idNumber));
        const row = await trx
          .insertInto('block_list')
          .values({ person_id: person?.id ?? null, id_number_bidx: idBidx, phone_bidx: phoneBidx, site_id: site?.id ?? null, reason: body.reason, valid_to: body.validTo, created_by: actor.userId, created_at: clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, {
          action: 'block-list.add',
          objectType: 'block_list',
          objectId: row.id,
          // Whether an ID number or phone was given, never the value.
          details: { person: person?.code ?? null, byIdNumber: idBidx !== null, byPhone: phoneBidx !== null, site: site?.code ?? null, reason: body.reason, validTo: body.validTo },
        });
        return toEntry(await entryRows(trx).where('b.id', '=', row.id).executeTakeFirstOrThrow(), today);
      });
    },

    async remove(ctx: RequestContext, actor: Actor, id: string, reason: string): Promise<BlockEntry> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const entry = await entryRows(trx).where('b.id', '=', id).executeTakeFirst();
        if (!entry || !visibleEntry(scope, entry)) throw notFound('BLOCK_NOT_FOUND', 'No such block-list entry');
        const now = clock.now();
        const r = await trx.updateTable('block_list').set({ removed_at: now, removed_by: actor.userId }).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw conflict('BLOCK_ALREADY_REMOVED', 'This entry was already removed');
        await audit(trx, deps, ctx, { action: 'block-list.remove', objectType: 'block_list', objectId: id, details: { person: entry.person_code, site: entry.site_code, reason } });
        return toEntry(await entryRows(trx).where('b.id', '=', id).executeTakeFirstOrThrow(), shanghaiDay(now));
      });
    },
  };
}
export type BlockListService = ReturnType<typeof blockListService>;
