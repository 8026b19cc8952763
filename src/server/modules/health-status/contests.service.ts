import { maskName } from '../../../domain/access/mask';
import { addDays, shanghaiDay } from '../../../domain/notices/week';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { personByCode, personVisible, scopeOf, type Scope } from '../access-live/access-scope';
import { audit } from '../audit/audit.service';
import { activeIncident } from '../health-incidents/incident';
import { refreshHealthStatus } from './refresh';
import type { ContestView, DecideBody, DecideResult } from './status.schemas';

/** Days an overturned status holds when the reviewer gives no date. */
const defaultValidDays = 7;

export const contestRows = (trx: Db | Tx) =>
  trx
    .selectFrom('health_status_contests as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('sites as s', 's.id', 'p.site_id')
    .leftJoin('users as su', 'su.id', 'c.submitted_by')
    .leftJoin('users as ru', 'ru.id', 'c.reviewer_id')
    .select([
      'c.id', 'c.incident_id', 'c.person_id', 'c.status', 'c.rule', 'c.facts', 'c.reason', 'c.submitted_at', 'c.decision', 'c.new_status', 'c.valid_until',
      'c.decision_note', 'c.decided_at', 'c.version', 'p.code as person_code', 'p.name as person_name', 'p.unit_id', 's.unit_id as site_unit_id',
      'su.username as submitted_by', 'ru.username as reviewer',
    ]);
type ContestRow = Awaited<ReturnType<ReturnType<typeof contestRows>['executeTakeFirstOrThrow']>>;

export function toContest(r: ContestRow): ContestView {
  return {
    id: r.id,
    person: { code: r.person_code, name: maskName(r.person_name) },
    incidentId: r.incident_id,
    status: r.status as ContestView['status'],
    rule: r.rule,
    facts: r.facts,
    reason: r.reason,
    submittedAt: r.submitted_at.toISOString(),
    submittedBy: r.submitted_by,
    decision: r.decision as ContestView['decision'],
    newStatus: r.new_status as ContestView['newStatus'],
    validUntil: r.valid_until,
    decisionNote: r.decision_note,
    reviewer: r.reviewer,
    decidedAt: r.decided_at?.toISOString() ?? null,
    version: r.version,
  };
}

/** Restricts contest rows to people in the scope (by their unit, or without one by their site's unit). */
function inScopeRows<Q extends ReturnType<typeof contestRows>>(q: Q, scope: Scope): Q {
  if (scope === null) return q;
  const units = [...scope];
  if (units.length === 0) return q.where((eb) => eb.val(false)) as Q;
  return q.where((eb) => eb.or([eb('p.unit_id', 'in', units), eb.and([eb('p.unit_id', 'is', null), eb('s.unit_id', 'in', units)])])) as Q;
}

/**
 * Contests (申诉) of a health status: the person, a member of their household or a grid worker
 * whose scope reaches them submits one with a reason; a health administrator upholds it or
 * overturns it to another colour until a given day. Every step is audited and recomputes the status.
 */
export function contestService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  return {
    async list(actor: Actor, q: { state?: 'open' | 'decided' | undefined; person?: string | undefined }): Promise<{ rows: ContestView[] }> {
      return db.transaction().execute(async (trx) => {
        let query = inScopeRows(contestRows(trx), await scopeOf(trx, actor));
        if (q.state === 'open') query = query.where('c.decision', 'is', null);
        if (q.state === 'decided') query = query.where('c.decision', 'is not', null);
        if (q.person) query = query.where('p.code', '=', q.person);
        const rows = await query.orderBy('c.submitted_at', 'desc').orderBy('c.id').limit(1000).execute();
        return { rows: rows.map(toContest) };
      });
    },

    async submit(ctx: RequestContext, actor: Actor, body: { person: string; reason: string }): Promise<ContestView> {
      return db.transaction().execute(async (trx) => {
        const person = await personByCode(trx, body.person);
        const refused = () => notFound('PERSON_NOT_FOUND', `No person ${body.person}`);
        if (!person) throw refused();
        // Who may contest: the person, their household, or a declarer (grid worker) whose scope reaches them.
        const [target, own] = await Promise.all([
          trx.selectFrom('people').select('household_id').where('id', '=', person.id).executeTakeFirstOrThrow(),
          trx.selectFrom('people').select(['id', 'household_id']).where('user_id', '=', actor.userId).execute(),
        ]);
        const self = own.some((o) => o.id === person.id);
        const household = target.household_id !== null && own.some((o) => o.household_id === target.household_id);
        const declarer = actor.permissions.has('health.declare') && personVisible(await scopeOf(trx, actor), person);
        if (!self && !household && !declarer) throw refused();
        const open = await trx.selectFrom('health_status_contests').select('id').where('person_id', '=', person.id).where('decision', 'is', null).executeTakeFirst();
        if (open) throw businessRule('CONTEST_OPEN', 'This status is already contested; wait for the decision', { id: open.id });
        let current = await trx.selectFrom('health_statuses').select(['status', 'rule', 'facts']).where('person_id', '=', person.id).executeTakeFirst();
        if (!current) {
          const r = await refreshHealthStatus(trx, deps, person.id);
          current = { status: r.status, rule: r.rule, facts: { ...r.facts, matched: r.result.matched, explanation: r.result.explanation } };
        }
        const incident = await activeIncident(trx);
        const row = await trx
          .insertInto('health_status_contests')
          .values({
            incident_id: incident?.id ?? null,
            person_id: person.id,
            status: current.status,
            rule: current.rule,
            facts: JSON.stringify(current.facts),
            reason: body.reason,
            submitted_by: actor.userId,
            submitted_at: clock.now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, {
          action: 'health.contest.submit',
          objectType: 'health_status_contest',
          objectId: row.id,
          details: { person: person.code, status: current.status, rule: current.rule, by: self ? 'self' : household ? 'household' : 'declarer' },
        });
        return toContest(await contestRows(trx).where('c.id', '=', row.id).executeTakeFirstOrThrow());
      });
    },

    async decide(ctx: RequestContext, actor: Actor, id: string, body: DecideBody): Promise<DecideResult> {
      return db.transaction().execute(async (trx) => {
        const contest = await contestRows(trx).where('c.id', '=', id).executeTakeFirst();
        if (!contest || !personVisible(await scopeOf(trx, actor), contest)) throw notFound('CONTEST_NOT_FOUND', 'No such contest');
        if (contest.decision !== null) throw conflict('CONTEST_DECIDED', 'This contest was already decided');
        if (contest.version !== body.version) throw staleVersion();
        const now = clock.now();
        const today = shanghaiDay(now);
        let newStatus: string | null = null;
        let validUntil: string | null = null;
        if (body.decision === 'overturned') {
          if (body.newStatus === undefined) throw businessRule('CONTEST_NEW_STATUS', 'An overturned status needs the new status', { field: 'newStatus' });
          if (body.newStatus === contest.status) throw businessRule('CONTEST_NEW_STATUS', 'The new status must differ from the contested one', { field: 'newStatus' });
          validUntil = body.validUntil ?? addDays(today, defaultValidDays);
          if (validUntil < today) throw businessRule('CONTEST_VALID_UNTIL', 'validUntil is in the past', { field: 'validUntil' });
          newStatus = body.newStatus;
        } else if (body.newStatus !== undefined || body.validUntil !== undefined) {
          throw businessRule('CONTEST_NEW_STATUS', 'An upheld status takes no new status or validity', { field: body.newStatus !== undefined ? 'newStatus' : 'validUntil' });
        }
        const r = await trx
          .updateTable('health_status_contests')
          .set({ decision: body.decision, new_status: newStatus, valid_until: validUntil, decision_note: body.note, reviewer_id: actor.userId, decided_at: now, version: contest.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .where('decision', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const refreshed = await refreshHealthStatus(trx, deps, contest.person_id);
        await audit(trx, deps, ctx, {
          action: 'health.contest.decide',
          objectType: 'health_status_contest',
          objectId: id,
          details: { person: contest.person_code, decision: body.decision, contested: contest.status, newStatus, validUntil, status: refreshed.status, rule: refreshed.rule },
        });
        const view = toContest(await contestRows(trx).where('c.id', '=', id).executeTakeFirstOrThrow());
        return { ...view, personStatus: { status: refreshed.status, rule: refreshed.rule } };
      });
    },
  };
}
export type ContestService = ReturnType<typeof contestService>;
