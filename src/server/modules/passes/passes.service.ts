import { sql, type RawBuilder } from 'kysely';
import { createHash, randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { maskName } from '../../../domain/access/mask';
import { visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { personalDataOf, type PersonalData } from '../../crypto/personal-data';
import type { PassWindow } from '../../db/schema';
import { businessRule, conflict, forbidden, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { findSiteInScope, personInScope, personRows, personScopeSql } from '../people/people.registry';
import type { CreatePassBody, MyPasses, Pass, PassPage, PassQuery, PassStatus } from './passes.schemas';

/** A pass token: 18 random bytes as base64url (24 characters); the QR code carries exactly this. */
export function newPassToken(): string {
  return randomBytes(18).toString('base64url');
}

/** The token's SHA-256 (hex, for the lookup at the gate) and its ciphertext (to print the card again). */
export function sealPassToken(pd: PersonalData, token: string): { token_hash: string; token_enc: Buffer } {
  return { token_hash: createHash('sha256').update(token, 'utf8').digest('hex'), token_enc: pd.encrypt('passes.token', token) };
}

/** The QR image of a token, readable by any standard reader. */
export function passQrPng(token: string): Promise<Buffer> {
  return QRCode.toBuffer(token, { errorCorrectionLevel: 'M', margin: 2, width: 320 });
}

const passNotFound = () => notFound('PASS_NOT_FOUND', 'No such pass');
const personNotFound = () => notFound('PERSON_NOT_FOUND', 'No such person');
const siteNotFound = (code: string) => notFound('SITE_NOT_FOUND', `No site ${code}`);

/** Passes with their holder (and what decides whether the actor sees the holder). */
const passRows = (db: Db | Tx) =>
  db
    .selectFrom('passes as pa')
    .innerJoin('people as p', 'p.id', 'pa.person_id')
    .leftJoin('sites as ps', 'ps.id', 'p.site_id')
    .select([
      'pa.id', 'pa.number', 'pa.person_id', 'p.code as person', 'p.name as person_name', 'p.user_id as person_user_id', 'p.unit_id as person_unit_id', 'ps.unit_id as person_site_unit_id',
      'pa.valid_from', 'pa.valid_to', 'pa.windows', 'pa.essential', 'pa.status', 'pa.status_reason', 'pa.status_changed_at', 'pa.created_at', 'pa.version', 'pa.token_enc',
    ]);
type PassRow = Awaited<ReturnType<ReturnType<typeof passRows>['executeTakeFirstOrThrow']>>;

/** A pass is in the actor's scope when its holder is, or one of its sites is. */
function passScopeSql(scope: Set<string> | null): RawBuilder<boolean> {
  if (scope === null) return sql<boolean>`true`;
  const ids = [...scope];
  if (ids.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${personScopeSql(scope)} or exists (select 1 from pass_sites x join sites s on s.id = x.site_id where x.pass_id = pa.id and s.unit_id in (${sql.join(ids)})))`;
}

/** The state machine of a pass: suspension can be lifted, revocation is final. */
const transitions = {
  revoke: { from: ['active', 'suspended'], to: 'revoked' },
  suspend: { from: ['active'], to: 'suspended' },
  reactivate: { from: ['suspended'], to: 'active' },
} as const satisfies Record<string, { from: readonly PassStatus[]; to: PassStatus }>;
export type PassAction = keyof typeof transitions;

/** Passes (通行证): per person, for sites, with validity dates, time windows and a status. */
export function passesService(deps: Deps) {
  const { db } = deps.database;
  const pd = personalDataOf(deps.config);

  async function toPasses(trx: Db | Tx, rows: PassRow[]): Promise<Pass[]> {
    const ids = rows.map((r) => r.id);
    const sites = ids.length
      ? await trx.selectFrom('pass_sites as x').innerJoin('sites as s', 's.id', 'x.site_id').select(['x.pass_id', 's.code', 's.name_zh', 's.name_en']).where('x.pass_id', 'in', ids).orderBy('s.code').execute()
      : [];
    return rows.map((r) => ({
      id: r.id,
      number: Number(r.number),
      person: r.person,
      personName: maskName(r.person_name),
      sites: sites.filter((s) => s.pass_id === r.id).map((s) => ({ code: s.code, nameZh: s.name_zh, nameEn: s.name_en })),
      validFrom: r.valid_from,
      validTo: r.valid_to,
      windows: r.windows === null ? null : r.windows.map((w: PassWindow) => ({ days: w.days, from: w.from, to: w.to })),
      essential: r.essential,
      status: r.status as PassStatus,
      statusReason: r.status_reason,
      statusChangedAt: r.status_changed_at ? r.status_changed_at.toISOString() : null,
      createdAt: r.created_at.toISOString(),
      version: r.version,
    }));
  }

  /** A pass the actor sees (404 otherwise). */
  async function loadVisible(trx: Db | Tx, actor: Actor, id: string): Promise<PassRow> {
    const scope = await visibleUnitIds(trx, actor);
    const row = await passRows(trx).where('pa.id', '=', id).where(passScopeSql(scope)).executeTakeFirst();
    if (!row) throw passNotFound();
    return row;
  }

  async function transition(ctx: RequestContext, actor: Actor, id: string, action: PassAction, body: { reason?: string; version?: number | undefined }): Promise<Pass> {
    return db.transaction().execute(async (trx) => {
      const pass = await loadVisible(trx, actor, id);
      if (body.version !== undefined && body.version !== pass.version) throw staleVersion();
      const rule = transitions[action];
      if (pass.status === 'revoked') throw conflict('PASS_REVOKED', 'This pass is revoked; revocation is final: issue a new pass');
      if (!(rule.from as readonly string[]).includes(pass.status)) {
        throw conflict(action === 'reactivate' ? 'PASS_NOT_SUSPENDED' : 'PASS_NOT_ACTIVE', action === 'reactivate' ? 'Only a suspended pass can be reactivated' : 'Only an active pass can be suspended');
      }
      const now = deps.clock.now();
      const updated = await trx
        .updateTable('passes')
        .set({ status: rule.to, status_reason: body.reason ?? null, status_changed_at: now, status_changed_by: actor.userId, updated_at: now, version: pass.version + 1 })
        .where('id', '=', id)
        .where('version', '=', pass.version)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw staleVersion();
      await audit(trx, deps, ctx, { action: `pass.${action}`, objectType: 'pass', objectId: id, changes: { status: { old: pass.status, new: rule.to } }, details: body.reason ? { reason: body.reason } : null });
      return (await toPasses(trx, [await passRows(trx).where('pa.id', '=', id).executeTakeFirstOrThrow()]))[0]!;
    });
  }

  return {
    /** A person's passes, a site's, or every pass in scope; by status; newest first, paged. */
    async list(actor: Actor, q: PassQuery): Promise<PassPage> {
      const scope = await visibleUnitIds(db, actor);
      const conds: RawBuilder<boolean>[] = [passScopeSql(scope)];
      if (q.person) {
        const person = await personRows(db).where('p.code', '=', q.person).executeTakeFirst();
        if (!person || !personInScope(scope, person.unit_id, person.site_unit_id)) throw personNotFound();
        conds.push(sql<boolean>`pa.person_id = ${person.id}`);
      }
      if (q.site) {
        const site = await findSiteInScope(db, scope, q.site);
        if (!site) throw siteNotFound(q.site);
        conds.push(sql<boolean>`exists (select 1 from pass_sites y where y.pass_id = pa.id and y.site_id = ${site.id})`);
      }
      if (q.status) conds.push(sql<boolean>`pa.status = ${q.status}`);
      const where = sql<boolean>`(${sql.join(conds, sql` and `)})`;
      const rows = await passRows(db)
        .where(where)
        .orderBy('pa.number', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      const total = await db
        .selectFrom('passes as pa')
        .innerJoin('people as p', 'p.id', 'pa.person_id')
        .leftJoin('sites as ps', 'ps.id', 'p.site_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(where)
        .executeTakeFirstOrThrow();
      return { rows: await toPasses(db, rows), total: Number(total.n), page: q.page, pageSize: q.pageSize };
    },

    async get(actor: Actor, id: string): Promise<Pass> {
      return (await toPasses(db, [await loadVisible(db, actor, id)]))[0]!;
    },

    /** Issues a pass: the holder and every site must be in the actor's scope; a fresh random token. */
    async create(ctx: RequestContext, actor: Actor, body: CreatePassBody): Promise<Pass> {
      if (body.validTo < body.validFrom) throw businessRule('PASS_DATES_INVALID', 'validTo must not be before validFrom');
      const siteCodes = [...new Set(body.sites)];
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const person = await personRows(trx).where('p.code', '=', body.person).executeTakeFirst();
        if (!person || !personInScope(scope, person.unit_id, person.site_unit_id)) throw personNotFound();
        const sites = [];
        for (const code of siteCodes) {
          const site = await findSiteInScope(trx, scope, code);
          if (!site) throw siteNotFound(code);
          sites.push(site);
        }
        const now = deps.clock.now();
        const windows = body.windows ? body.windows.map((w) => ({ days: [...w.days].sort((a, b) => a - b), from: w.from, to: w.to })) : null;
        const row = await trx
          .insertInto('passes')
          .values({
            person_id: person.id, ...sealPassToken(pd, newPassToken()), valid_from: body.validFrom, valid_to: body.validTo, windows: windows ? JSON.stringify(windows) : null,
            essential: body.essential ?? false, created_by: actor.userId, created_at: now, updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('pass_sites').values(sites.map((s) => ({ pass_id: row.id, site_id: s.id }))).execute();
        await audit(trx, deps, ctx, {
          action: 'pass.create',
          objectType: 'pass',
          objectId: row.id,
          changes: diffChanges(null, { person: person.code, sites: sites.map((s) => s.code), valid_from: body.validFrom, valid_to: body.validTo, windows, essential: body.essential ?? false }),
        });
        return (await toPasses(trx, [await passRows(trx).where('pa.id', '=', row.id).executeTakeFirstOrThrow()]))[0]!;
      });
    },

    revoke: (ctx: RequestContext, actor: Actor, id: string, body: { reason: string; version?: number | undefined }) => transition(ctx, actor, id, 'revoke', body),
    suspend: (ctx: RequestContext, actor: Actor, id: string, body: { reason: string; version?: number | undefined }) => transition(ctx, actor, id, 'suspend', body),
    reactivate: (ctx: RequestContext, actor: Actor, id: string, body: { version?: number | undefined }) => transition(ctx, actor, id, 'reactivate', body),

    /**
     * The QR image of a pass, for access.read within the scope, or for the holder themself (the
     * phone view). The view is audited (the image is the credential), never with the token.
     */
    async qrPng(ctx: RequestContext, actor: Actor, id: string): Promise<Buffer> {
      const row = await passRows(db).where('pa.id', '=', id).executeTakeFirst();
      const holder = row !== undefined && row.person_user_id === actor.userId;
      if (!holder) {
        if (!actor.permissions.has('access.read')) throw forbidden();
        await loadVisible(db, actor, id);
      }
      const token = pd.decryptText('passes.token', row!.token_enc);
      await db.transaction().execute((trx) => audit(trx, deps, ctx, { action: 'pass.qr.view', objectType: 'pass', objectId: id, details: holder ? { holder: true } : null }));
      return passQrPng(token);
    },

    /** The signed-in user's own passes (their person record is the one linked to their account). */
    async mine(actor: Actor): Promise<MyPasses> {
      const person = await db.selectFrom('people').select(['id', 'code', 'name']).where('user_id', '=', actor.userId).executeTakeFirst();
      if (!person) return { person: null, rows: [] };
      const rows = await passRows(db).where('pa.person_id', '=', person.id).orderBy('pa.number', 'desc').execute();
      return { person: { code: person.code, name: person.name }, rows: await toPasses(db, rows) };
    },
  };
}
export type PassesService = ReturnType<typeof passesService>;
