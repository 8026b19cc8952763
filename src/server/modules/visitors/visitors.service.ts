import { randomBytes } from 'node:crypto';
import { normaliseIdNumber, normalisePhone, phoneProblem, residentIdProblem } from '../../../domain/access/id-number';
import { maskIdNumber, maskPhone, type IdMaskStyle } from '../../../domain/access/mask';
import { addDays, shanghaiDay, startOfShanghaiDay } from '../../../domain/notices/week';
import { inScope } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { personalDataOf } from '../../crypto/personal-data';
import { businessRule, conflict, forbidden, notFound } from '../../errors';
import { idMaskStyle, normalisePlate, personByCode, scopeOf, siteNotFound, type Scope } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { issueVisitPass } from './visit-pass';
import { maxVisitDays, type CreateVisitBody, type NewVisitor, type Visit, type VisitQuery, type VisitStatus } from './visitors.schemas';

const visitRows = (trx: Db | Tx) =>
  trx
    .selectFrom('visits as v')
    .innerJoin('people as vp', 'vp.id', 'v.visitor_person_id')
    .innerJoin('people as hp', 'hp.id', 'v.host_person_id')
    .innerJoin('sites as s', 's.id', 'v.site_id')
    .select((eb) => [
      'v.id', 'v.number', 'v.starts_at', 'v.ends_at', 'v.purpose', 'v.plate', 'v.status', 'v.decided_at', 'v.decision_note', 'v.created_at', 'v.created_by', 'v.version',
      'v.visitor_person_id', 'v.site_id',
      'vp.code as visitor_code', 'vp.name as visitor_name', 'vp.category as visitor_category', 'vp.id_number_enc', 'vp.phone_enc',
      'hp.code as host_code', 'hp.name as host_name', 'hp.user_id as host_user_id',
      's.code as site_code', 's.name_zh as site_name_zh', 's.name_en as site_name_en', 's.unit_id as site_unit_id',
      eb.selectFrom('passes as ps').select('ps.id').whereRef('ps.visit_id', '=', 'v.id').orderBy('ps.created_at', 'desc').limit(1).as('pass_id'),
    ]);
type VisitRow = Awaited<ReturnType<ReturnType<typeof visitRows>['executeTakeFirstOrThrow']>>;

const visitNotFound = () => notFound('VISIT_NOT_FOUND', 'No such visit');

/**
 * Visits (访客预约): a visitor, a host, a site and a time window. Access administrators manage the
 * visits of the sites in their scope; anyone signed in may register and decide the visits they
 * host (their person record's user is the host's). Approval issues the visitor a pass for the
 * visit's dates and hours at that site; an approved visit is what the gate's `visitApproved` means.
 */
export function visitService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;
  const pd = personalDataOf(deps.config);

  function toVisit(r: VisitRow, style: IdMaskStyle): Visit {
    return {
      id: r.id,
      number: Number(r.number),
      visitor: {
        code: r.visitor_code,
        name: r.visitor_name,
        category: r.visitor_category,
        idNumber: r.id_number_enc ? maskIdNumber(pd.decryptText('people.id_number', r.id_number_enc), style) : null,
        phone: r.phone_enc ? maskPhone(pd.decryptText('people.phone', r.phone_enc)) : null,
      },
      host: { code: r.host_code, name: r.host_name },
      site: { code: r.site_code, nameZh: r.site_name_zh, nameEn: r.site_name_en },
      startsAt: r.starts_at.toISOString(),
      endsAt: r.ends_at.toISOString(),
      purpose: r.purpose,
      plate: r.plate,
      status: r.status as VisitStatus,
      decidedAt: r.decided_at?.toISOString() ?? null,
      decisionNote: r.decision_note,
      passId: r.pass_id,
      createdAt: r.created_at.toISOString(),
      version: r.version,
    };
  }

  const manages = (actor: Actor, scope: Scope, siteUnitId: string | null) => actor.permissions.has('access.write') && inScope(scope, siteUnitId);
  const reads = (actor: Actor, scope: Scope, r: VisitRow) =>
    (actor.permissions.has('access.read') && inScope(scope, r.site_unit_id)) || r.host_user_id === actor.userId || r.created_by === actor.userId;

  /** The visit when the actor may see it (else 404, as for an unknown id). */
  async function visible(trx: Tx, actor: Actor, id: string): Promise<{ row: VisitRow; scope: Scope }> {
    const row = await visitRows(trx).where('v.id', '=', id).executeTakeFirst();
    const scope = await scopeOf(trx, actor);
    if (!row || !reads(actor, scope, row)) throw visitNotFound();
    return { row, scope };
  }

  /** Finds the visitor by code, or by ID number (blind index), or registers them as a visitor. */
  async function visitorOf(trx: Tx, ctx: RequestContext, v: CreateVisitBody['visitor'], siteId: string): Promise<{ id: string; code: string }> {
    if ('code' in v) {
      const p = await personByCode(trx, v.code);
      if (!p) throw notFound('PERSON_NOT_FOUND', `No person ${v.code}`);
      return p;
    }
    const fields = personalFields(v, shanghaiDay(clock.now()));
    if (fields.idBidx) {
      const known = await trx.selectFrom('people').select(['id', 'code']).where('id_number_bidx', '=', fields.idBidx).orderBy('created_at').executeTakeFirst();
      if (known) return known;
    }
    const now = clock.now();
    const code = `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const row = await trx
      .insertInto('people')
      .values({
        code,
        name: v.name,
        category: 'visitor',
        sex: v.sex ?? null,
        id_type: fields.idType,
        id_number_enc: fields.idEnc,
        id_number_bidx: fields.idBidx,
        phone_enc: fields.phoneEnc,
        phone_bidx: fields.phoneBidx,
        site_id: siteId,
        created_at: now,
        updated_at: now,
      })
      .returning(['id', 'code'])
      .executeTakeFirstOrThrow();
    // The log says who was registered, never the name, ID number or phone.
    await audit(trx, deps, ctx, { action: 'person.create', objectType: 'person', objectId: row.id, details: { code, category: 'visitor', idNumber: fields.idEnc !== null, phone: fields.phoneEnc !== null } });
    return row;
  }

  function personalFields(v: NewVisitor, today: string) {
    let idType: string | null = null;
    let idEnc: Buffer | null = null;
    let idBidx: string | null = null;
    if (v.idNumber !== undefined) {
      const id = normaliseIdNumber(v.idNumber);
      idType = v.idType ?? 'resident-id';
      if (idType === 'resident-id') {
        const problem = residentIdProblem(id, today);
        if (problem) throw businessRule('ID_NUMBER_INVALID', `visitor.idNumber: not a valid resident ID number (${problem})`, { field: 'visitor.idNumber', problem });
      }
      idEnc = pd.encrypt('people.id_number', id);
      idBidx = pd.blindIndex('people.id_number', id);
    } else if (v.idType) {
      idType = v.idType;
    }
    let phoneEnc: Buffer | null = null;
    let phoneBidx: string | null = null;
    if (v.phone !== undefined) {
      const phone = normalisePhone(v.phone);
      if (phoneProblem(phone)) throw businessRule('PHONE_INVALID', 'visitor.phone: not a phone number', { field: 'visitor.phone' });
      phoneEnc = pd.encrypt('people.phone', phone);
      phoneBidx = pd.blindIndex('people.phone', phone);
    }
    return { idType, idEnc, idBidx, phoneEnc, phoneBidx };
  }

  async function decide(ctx: RequestContext, actor: Actor, id: string, approve: boolean, note: string | undefined): Promise<Visit> {
    return db.transaction().execute(async (trx) => {
      const { row, scope } = await visible(trx, actor, id);
      if (!manages(actor, scope, row.site_unit_id) && row.host_user_id !== actor.userId) throw forbidden('Only the host or an access administrator of the site decides a visit');
      if (row.status !== 'pending') throw conflict('VISIT_NOT_PENDING', `This visit is already ${row.status}`);
      const now = clock.now();
      if (approve && row.ends_at.getTime() <= now.getTime()) throw businessRule('VISIT_ENDED', 'The visit has already ended; register a new one');
      const updated = await trx
        .updateTable('visits')
        .set({ status: approve ? 'approved' : 'rejected', decided_by: actor.userId, decided_at: now, decision_note: note ?? null, updated_at: now, version: row.version + 1 })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw conflict('VISIT_NOT_PENDING', 'This visit was decided meanwhile');
      if (approve) {
        const pass = await issueVisitPass(trx, deps, { id, personId: row.visitor_person_id, siteId: row.site_id, startsAt: row.starts_at, endsAt: row.ends_at }, actor.userId);
        await audit(trx, deps, ctx, { action: 'pass.create', objectType: 'pass', objectId: pass.id, details: { visit: id, person: row.visitor_code, sites: [row.site_code], validFrom: pass.validFrom, validTo: pass.validTo, windows: pass.windows } });
      }
      await audit(trx, deps, ctx, {
        action: approve ? 'visit.approve' : 'visit.reject',
        objectType: 'visit',
        objectId: id,
        changes: { status: { old: 'pending', new: approve ? 'approved' : 'rejected' } },
        details: note ? { note } : null,
      });
      return toVisit(await visitRows(trx).where('v.id', '=', id).executeTakeFirstOrThrow(), await idMaskStyle(trx));
    });
  }

  return {
    async create(ctx: RequestContext, actor: Actor, body: CreateVisitBody): Promise<Visit> {
      return db.transaction().execute(async (trx) => {
        const startsAt = new Date(body.startsAt);
        const endsAt = new Date(body.endsAt);
        if (endsAt.getTime() <= startsAt.getTime()) throw businessRule('VISIT_WINDOW_INVALID', 'endsAt must be after startsAt', { field: 'endsAt' });
        if (endsAt.getTime() - startsAt.getTime() > maxVisitDays * 86_400_000) throw businessRule('VISIT_TOO_LONG', `A visit lasts at most ${maxVisitDays} days`, { field: 'endsAt' });
        if (endsAt.getTime() <= clock.now().getTime()) throw businessRule('VISIT_IN_PAST', 'The visit has already ended', { field: 'endsAt' });

        const site = await trx.selectFrom('sites').select(['id', 'code', 'unit_id']).where('code', '=', body.site).executeTakeFirst();
        const host = await personByCode(trx, body.host);
        const scope = await scopeOf(trx, actor);
        const hosting = host?.user_id === actor.userId;
        if (!hosting && !actor.permissions.has('access.write')) throw forbidden('You may register visits only to yourself (as host)');
        if (!site || (!hosting && !inScope(scope, site.unit_id))) throw siteNotFound(body.site);
        if (!host) throw notFound('PERSON_NOT_FOUND', `No host ${body.host}`);

        const visitor = await visitorOf(trx, ctx, body.visitor, site.id);
        if (visitor.id === host.id) throw businessRule('VISITOR_IS_HOST', 'The visitor and the host are the same person', { field: 'visitor' });
        const now = clock.now();
        const row = await trx
          .insertInto('visits')
          .values({
            visitor_person_id: visitor.id,
            host_person_id: host.id,
            site_id: site.id,
            starts_at: startsAt,
            ends_at: endsAt,
            purpose: body.purpose,
            plate: body.plate === null ? null : normalisePlate(body.plate),
            created_by: actor.userId,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, {
          action: 'visit.create',
          objectType: 'visit',
          objectId: row.id,
          details: { visitor: visitor.code, host: host.code, site: site.code, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
        });
        return toVisit(await visitRows(trx).where('v.id', '=', row.id).executeTakeFirstOrThrow(), await idMaskStyle(trx));
      });
    },

    async list(actor: Actor, q: VisitQuery): Promise<{ rows: Visit[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        let query = visitRows(trx);
        const readsSites = actor.permissions.has('access.read') && q.mine !== 'true';
        if (q.mine === 'true') query = query.where('hp.user_id', '=', actor.userId);
        else if (!readsSites || scope !== null) {
          const units = readsSites && scope !== null ? [...scope] : [];
          query = query.where((eb) =>
            eb.or([eb('hp.user_id', '=', actor.userId), eb('v.created_by', '=', actor.userId), ...(units.length > 0 ? [eb('s.unit_id', 'in', units)] : [])]),
          );
        }
        if (q.site) {
          const site = await trx.selectFrom('sites').select('id').where('code', '=', q.site).executeTakeFirst();
          if (!site) throw siteNotFound(q.site);
          query = query.where('v.site_id', '=', site.id);
        }
        if (q.status) query = query.where('v.status', '=', q.status);
        if (q.date) query = query.where('v.starts_at', '<', startOfShanghaiDay(addDays(q.date, 1))).where('v.ends_at', '>', startOfShanghaiDay(q.date));
        const rows = await query.orderBy('v.starts_at', 'desc').orderBy('v.number', 'desc').limit(1000).execute();
        const style = await idMaskStyle(trx);
        return { rows: rows.map((r) => toVisit(r, style)) };
      });
    },

    async get(actor: Actor, id: string): Promise<Visit> {
      return db.transaction().execute(async (trx) => toVisit((await visible(trx, actor, id)).row, await idMaskStyle(trx)));
    },

    approve: (ctx: RequestContext, actor: Actor, id: string, note?: string) => decide(ctx, actor, id, true, note),
    reject: (ctx: RequestContext, actor: Actor, id: string, note?: string) => decide(ctx, actor, id, false, note),
  };
}
export type VisitService = ReturnType<typeof visitService>;
