import { ideaActionFrom, ideaStats, nextIdeaStatus, type IdeaStatus } from '../../../domain/results/ideas';
import { decimalOf, sumText, yuan } from '../../../domain/results/money';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit } from '../audit/audit.service';
import { findUnitByCode } from '../units/units.repository';
import type { Idea, IdeaSummary, ReviewIdeaBody, SubmitIdeaBody } from './ideas.schemas';

const done = { start: 'put under review', adopt: 'adopted', reject: 'rejected', implement: 'implemented' } as const;

/** Years are Shanghai years: [1 Jan 00:00 +08:00, next 1 Jan). */
const yearStart = (year: number) => new Date(`${year}-01-01T00:00:00+08:00`);

export function ideaService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  const rows = (trx: Db | Tx) =>
    trx
      .selectFrom('ideas as i')
      .innerJoin('units as u', 'u.id', 'i.unit_id')
      .leftJoin('people as p', 'p.id', 'i.submitter_person_id')
      .leftJoin('users as s', 's.id', 'i.submitter_user_id')
      .leftJoin('users as r', 'r.id', 'i.reviewer_user_id')
      .select([
        'i.id', 'i.number', 'i.unit_id', 'u.code as unit', 'u.name_zh as unit_name', 'p.code as person_code', 'p.name as person_name', 's.username', 's.display_name',
        'i.title', 'i.description', 'i.category', 'i.status', 'r.username as reviewer', 'i.review_note', 'i.benefit_yuan', 'i.submitted_at', 'i.adopted_at', 'i.implemented_at', 'i.version',
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof rows>['executeTakeFirstOrThrow']>>;
  const toIdea = (r: Row): Idea => ({
    id: r.id,
    number: r.number,
    unit: r.unit,
    unitName: r.unit_name,
    submitter: r.person_code ?? r.username ?? '',
    submitterName: r.person_name ?? r.display_name ?? '',
    title: r.title,
    description: r.description,
    category: r.category as Idea['category'],
    status: r.status as IdeaStatus,
    reviewer: r.reviewer,
    reviewNote: r.review_note,
    benefitYuan: r.benefit_yuan === null ? null : yuan(decimalOf(r.benefit_yuan)),
    submittedAt: r.submitted_at.toISOString(),
    adoptedAt: r.adopted_at?.toISOString() ?? null,
    implementedAt: r.implemented_at?.toISOString() ?? null,
    version: r.version,
  });

  return {
    /** Any signed-in user submits an idea for their own unit. */
    async submit(ctx: RequestContext, actor: Actor, body: SubmitIdeaBody): Promise<Idea> {
      return db.transaction().execute(async (trx) => {
        if (!actor.unitId) throw businessRule('UNIT_REQUIRED', 'Your account belongs to no unit, so an idea has nowhere to go; ask for a unit');
        const person = await trx.selectFrom('people').select('id').where('user_id', '=', actor.userId).executeTakeFirst();
        const now = clock.now();
        const row = await trx
          .insertInto('ideas')
          .values({ unit_id: actor.unitId, submitter_person_id: person?.id ?? null, submitter_user_id: actor.userId, title: body.title, description: body.description, category: body.category, submitted_at: now, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'idea.submit', objectType: 'idea', objectId: row.id, changes: { title: { new: body.title }, category: { new: body.category } } });
        return toIdea(await rows(trx).where('i.id', '=', row.id).executeTakeFirstOrThrow());
      });
    },

    async list(actor: Actor, filter: { unit?: string | undefined; status?: string | undefined; year?: number | undefined }): Promise<Idea[]> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        let q = rows(trx);
        if (filter.unit) {
          const unit = await findUnitByCode(trx, filter.unit);
          if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${filter.unit}`);
          q = q.where('i.unit_id', '=', unit.id);
        }
        if (filter.status) q = q.where('i.status', '=', filter.status);
        if (filter.year) q = q.where('i.submitted_at', '>=', yearStart(filter.year)).where('i.submitted_at', '<', yearStart(filter.year + 1));
        const all = await q.orderBy('i.number', 'desc').execute();
        return all.filter((r) => inScope(scope, r.unit_id)).map(toIdea);
      });
    },

    /** A review step: start, adopt (with the benefit), reject (with a note) or implement (with the benefit realised). */
    async review(ctx: RequestContext, actor: Actor, id: string, body: ReviewIdeaBody): Promise<Idea> {
      return db.transaction().execute(async (trx) => {
        const before = await rows(trx).where('i.id', '=', id).executeTakeFirst();
        if (!before || !inScope(await visibleUnitIds(trx, actor), before.unit_id)) throw notFound('IDEA_NOT_FOUND', 'No such idea');
        const from = before.status as IdeaStatus;
        const to = nextIdeaStatus(from, body.action);
        if (!to) throw conflict('IDEA_STATE', `An idea that is ${from} cannot be ${done[body.action]}; it must be ${ideaActionFrom(body.action).join(' or ')}`, { status: from });
        if (body.action === 'reject' && !body.note) throw businessRule('NOTE_REQUIRED', 'Say why the idea is rejected', { field: 'note' });
        if (body.action === 'implement' && (body.benefitYuan ?? before.benefit_yuan) === null) throw businessRule('BENEFIT_REQUIRED', 'Record the benefit of the implemented improvement (yuan)', { field: 'benefitYuan' });
        if (before.version !== body.version) throw staleVersion();
        const now = clock.now();
        const benefit = body.benefitYuan === undefined ? before.benefit_yuan : body.benefitYuan;
        const r = await trx
          .updateTable('ideas')
          .set({
            status: to,
            reviewer_user_id: actor.userId,
            review_note: body.note || before.review_note,
            benefit_yuan: benefit,
            ...(to === 'adopted' ? { adopted_at: now } : {}),
            ...(to === 'implemented' ? { implemented_at: now } : {}),
            updated_at: now,
            version: before.version + 1,
          })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const oldBenefit = before.benefit_yuan === null ? null : yuan(decimalOf(before.benefit_yuan));
        const newBenefit = benefit === null ? null : yuan(decimalOf(benefit));
        await audit(trx, deps, ctx, {
          action: `idea.${body.action}`,
          objectType: 'idea',
          objectId: id,
          changes: { status: { old: from, new: to }, ...(oldBenefit !== newBenefit ? { benefitYuan: { old: oldBenefit, new: newBenefit } } : {}), ...(body.note ? { note: { new: body.note } } : {}) },
        });
        return toIdea(await rows(trx).where('i.id', '=', id).executeTakeFirstOrThrow());
      });
    },

    /** Counts and benefit by unit of the ideas submitted in a year (Asia/Shanghai), units in scope. */
    async summary(actor: Actor, year: number): Promise<IdeaSummary> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const all = (await rows(trx).where('i.submitted_at', '>=', yearStart(year)).where('i.submitted_at', '<', yearStart(year + 1)).orderBy('u.sort_order').orderBy('u.code').orderBy('i.number').execute()).filter((r) => inScope(scope, r.unit_id));
        const names = new Map(all.map((r) => [r.unit, r.unit_name]));
        const stats = ideaStats(all.map((r) => ({ unit: r.unit, status: r.status as IdeaStatus, benefitYuan: r.benefit_yuan })));
        const total = {
          submitted: stats.reduce((a, s) => a + s.submitted, 0),
          adopted: stats.reduce((a, s) => a + s.adopted, 0),
          implemented: stats.reduce((a, s) => a + s.implemented, 0),
          rejected: stats.reduce((a, s) => a + s.rejected, 0),
          benefitYuan: yuan(sumText(stats.map((s) => s.benefitYuan))),
        };
        return { year, rows: stats.map((s) => ({ ...s, unitName: names.get(s.unit) ?? s.unit })), total };
      });
    },
  };
}
export type IdeaService = ReturnType<typeof ideaService>;
