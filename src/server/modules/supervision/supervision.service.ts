import { daysLeft, DEFAULT_YELLOW_DAYS, isOpenState, isWorse, lightOf, shanghaiDate, type SupervisionLight } from '../../../domain/supervision/lights';
import { allowedActions, decideTransition, rolesOf, type SupervisionAction, type SupervisionState } from '../../../domain/supervision/transitions';
import { descendantsOf } from '../../../domain/scope';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { AppError, businessRule, conflict, forbidden, notFound, staleVersion } from '../../errors';
import { audit } from '../audit/audit.service';
import { notify } from '../notifications/notify';
import { closeProblemWithEvidence } from '../problems/problem-closure';
import { findUnitByCode } from '../units/units.repository';
import { findUserByUsername, rolesOfUsers } from '../users/users.repository';
import { attachmentInfo, insertEvent, listEventRows, listItemRows, unitLeadersOf, type ItemRow } from './supervision.repository';
import type { CreateSupervisionBody, LightsRunResult, SupervisionDetail, SupervisionItem, SupervisionQuery, TransitionBody } from './supervision.schemas';

const itemNotFound = () => notFound('SUPERVISION_ITEM_NOT_FOUND', 'No such supervision item');
const ACTIVE_PROBLEM = ['open', 'in-progress', 'closing'];
/** Steps that are the supervisor's or the reviewer's: they also need the supervision.write permission. */
const supervisorSteps = new Set<SupervisionAction>(['approve', 'reject', 'cancel']);

const linkOf = (itemId: string) => `/supervision?item=${itemId}`;

function partiesOf(r: ItemRow) {
  return { ownerUserId: r.owner_user_id, supervisorUserId: r.supervisor_user_id, reviewerUserId: r.reviewer_user_id };
}

/** The item as the API shows it to `actorUserId`, its light computed for `today`. */
export function toItem(r: ItemRow, today: string, actorUserId: string | null): SupervisionItem {
  const state = r.state as SupervisionState;
  return {
    id: r.id,
    number: Number(r.number),
    problemId: r.problem_id,
    problemNumber: r.problem_number === null ? null : Number(r.problem_number),
    measureId: r.measure_id,
    unit: r.unit,
    title: r.title,
    description: r.description,
    owner: { code: r.owner_code, name: r.owner_name, username: r.owner_username },
    supervisor: { username: r.supervisor_username, name: r.supervisor_name },
    reviewer: r.reviewer_username === null ? null : { username: r.reviewer_username, name: r.reviewer_name ?? r.reviewer_username },
    dueDate: r.due_date,
    yellowDays: r.yellow_days,
    state,
    light: lightOf({ dueDate: r.due_date, today, yellowDays: r.yellow_days, state }),
    daysLeft: daysLeft(r.due_date, today),
    escalatedAt: r.escalated_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    allowedActions: actorUserId ? allowedActions(state, rolesOf(actorUserId, partiesOf(r))) : [],
    version: r.version,
  };
}

/** The users an item's light concerns: the owner's account (if any) and the supervisor, once each. */
function ownerAndSupervisor(r: ItemRow): string[] {
  return [...new Set([r.owner_user_id, r.supervisor_user_id].filter((u): u is string => u !== null))];
}

/** The system default of yellowDays: settings key 'supervision.yellowDays' (a number), else 3. */
async function defaultYellowDays(db: Db | Tx): Promise<number> {
  const s = await db.selectFrom('settings').select('value').where('key', '=', 'supervision.yellowDays').executeTakeFirst();
  const v = s?.value;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 60 ? v : DEFAULT_YELLOW_DAYS;
}

/**
 * The lights job (督办亮灯): brings every item's stored light up to date as of `at`, announces a
 * light getting worse to the owner and the supervisor, reminds them daily while yellow or red,
 * escalates once to the unit leaders (the item's unit or an ancestor; else the supervisor) when red,
 * and records each step as an event. One transaction; the same `at` twice changes nothing.
 */
export async function runSupervisionLights(deps: Deps, at: Date, ctx: RequestContext): Promise<LightsRunResult> {
  const today = shanghaiDate(at);
  return deps.database.db.transaction().execute(async (trx) => {
    const counts = { open: 0, changed: 0, yellow: 0, red: 0, reminders: 0, notified: 0, escalated: 0 };
    // Finished items whose stored light was not yet 'done'.
    const finished = await trx.updateTable('supervision_items').set({ light: 'done' }).where('state', 'in', ['closed', 'cancelled']).where('light', '<>', 'done').executeTakeFirst();
    counts.changed += Number(finished.numUpdatedRows);

    const rows = await listItemRows(trx, { open: true });
    counts.open = rows.length;
    const lastLightEvents = rows.length
      ? await trx
          .selectFrom('supervision_events')
          .select(['item_id', (eb) => eb.fn.max('created_at').as('at')])
          .where('action', 'in', ['light.yellow', 'light.red'])
          .where(
            'item_id',
            'in',
            rows.map((r) => r.id),
          )
          .groupBy('item_id')
          .execute()
      : [];
    const lastLightDay = new Map(lastLightEvents.map((e) => [e.item_id, e.at ? shanghaiDate(new Date(e.at as Date | string)) : null]));

    for (const r of rows) {
      const light = lightOf({ dueDate: r.due_date, today, yellowDays: r.yellow_days, state: r.state });
      const previous = r.light as SupervisionLight;
      if (light === 'yellow') counts.yellow++;
      if (light === 'red') counts.red++;
      const set: { light?: string; escalated_at?: Date } = {};
      if (light !== previous) set.light = light;
      const users = ownerAndSupervisor(r);
      const label = `#${r.number} ${r.title}`;
      const send = async (userId: string, kind: string, title: string, body: string, dedupeKey: string) => {
        if (await notify(trx, { userId, kind, title, body, link: linkOf(r.id), refId: r.id, dedupeKey, at })) counts.notified++;
      };

      if (isWorse(light, previous) && (light === 'yellow' || light === 'red')) {
        await insertEvent(trx, { itemId: r.id, action: `light.${light}`, from: previous, to: light, note: `due ${r.due_date}, ${daysLeft(r.due_date, today)} days left`, by: null, at });
        lastLightDay.set(r.id, today);
        for (const u of users) {
          await send(
            u,
            `supervision.${light}`,
            light === 'yellow' ? `督办事项即将到期（黄灯）：${label}` : `督办事项已超期（红灯）：${label}`,
            light === 'yellow' ? `Due on ${r.due_date}.` : `Overdue since ${r.due_date}.`,
            `supervision.${light}:${r.id}:${u}`,
          );
        }
      } else if ((light === 'yellow' || light === 'red') && lastLightDay.get(r.id) !== today) {
        // Reminders on the days after the light changed; the day it changed its announcement is enough.
        for (const u of users) {
          const before = counts.notified;
          await send(u, 'supervision.reminder', `督办提醒（${light === 'red' ? '红灯' : '黄灯'}）：${label}`, `Due on ${r.due_date}; ${daysLeft(r.due_date, today)} days left.`, `supervision.reminder:${r.id}:${today}:${u}`);
          if (counts.notified > before) counts.reminders++;
        }
      }

      if (light === 'red' && r.escalated_at === null) {
        const leaders = await unitLeadersOf(trx, r.unit_id);
        const to = leaders.length ? leaders.map((l) => ({ id: l.id, username: l.username })) : [{ id: r.supervisor_user_id, username: r.supervisor_username }];
        for (const l of to) await send(l.id, 'supervision.escalated', `督办事项超期升级：${label}`, `Overdue since ${r.due_date}; owner ${r.owner_name} (${r.owner_code}).`, `supervision.escalated:${r.id}:${l.id}`);
        await insertEvent(trx, { itemId: r.id, action: 'escalate', from: r.state, to: r.state, note: `escalated to ${to.map((l) => l.username).join(', ')}`, by: null, at });
        set.escalated_at = at;
        counts.escalated++;
      }
      if (Object.keys(set).length) {
        // Not a user's change: version and updated_at stay, so nobody's open form goes stale.
        await trx.updateTable('supervision_items').set(set).where('id', '=', r.id).execute();
        counts.changed++;
      }
    }
    if (counts.changed + counts.notified + counts.escalated > 0) {
      await audit(trx, { clock: { now: () => at } }, ctx, { action: 'supervision.lights', objectType: 'supervision_items', details: { today, ...counts } });
    }
    return { at: at.toISOString(), today, ...counts };
  });
}

export function supervisionService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;
  const today = () => shanghaiDate(clock.now());

  /** One item the actor may see: its unit is in scope, or the actor is its owner, supervisor or reviewer. */
  async function visibleItem(trx: Db | Tx, actor: Actor, id: string): Promise<ItemRow> {
    const scope = await visibleUnitIds(trx, actor);
    const [row] = await listItemRows(trx, { unitIds: scope ? [...scope] : null, orUserId: actor.userId, id });
    if (!row) throw itemNotFound();
    return row;
  }

  async function detail(trx: Db | Tx, row: ItemRow, actor: Actor): Promise<SupervisionDetail> {
    const events = await listEventRows(trx, row.id);
    const files = new Map((await attachmentInfo(trx, [...new Set(events.flatMap((e) => e.attachment_ids))])).map((a) => [a.id, a]));
    return {
      ...toItem(row, today(), actor.userId),
      events: events.map((e) => ({
        id: e.id,
        action: e.action,
        from: e.from_state,
        to: e.to_state,
        note: e.note,
        attachments: e.attachment_ids.map((id) => {
          const a = files.get(id);
          return { id, fileName: a?.file_name ?? '', mimeType: a?.mime_type ?? '', size: a?.size_bytes ?? 0 };
        }),
        by: e.username ? { username: e.username, name: e.display_name ?? e.username } : null,
        at: e.created_at.toISOString(),
      })),
    };
  }

  return {
    /** The sheet: items of the units in scope and the actor's own, lights as of now. */
    async list(actor: Actor, q: SupervisionQuery): Promise<{ rows: SupervisionItem[] }> {
      const scope = await visibleUnitIds(db, actor);
      let unitIds = scope ? [...scope] : null;
      let orUserId: string | undefined = actor.userId;
      if (q.unit) {
        const unit = await findUnitByCode(db, q.unit);
        if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${q.unit}`);
        // The unit and its subtree, as far as the actor sees.
        const units = await db.selectFrom('units').select(['id', 'parent_id as parentId']).execute();
        unitIds = [...descendantsOf(units, unit.id)].filter((u) => inScope(scope, u));
        orUserId = undefined;
      }
      const rows = await listItemRows(db, {
        unitIds,
        ...(orUserId && unitIds ? { orUserId } : {}),
        ...(q.state === 'open' ? { open: true } : q.state ? { state: q.state } : {}),
        ...(q.problem ? { problemId: q.problem } : {}),
      });
      const d = today();
      const items = rows.map((r) => toItem(r, d, actor.userId));
      return { rows: q.light ? items.filter((i) => i.light === q.light) : items };
    },

    async get(actor: Actor, id: string): Promise<SupervisionDetail> {
      return db.transaction().execute(async (trx) => detail(trx, await visibleItem(trx, actor, id), actor));
    },

    /** Assigns an item (下达督办): writes the 'assign' event, notifies the owner, audits. */
    async create(ctx: RequestContext, actor: Actor, body: CreateSupervisionBody): Promise<SupervisionDetail> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const now = clock.now();
        let problem: { id: string; unit_id: string; status: string; number: number } | undefined;
        let measureId: string | null = null;
        if (body.measure) {
          const m = await trx.selectFrom('measures').select(['id', 'problem_id', 'status']).where('id', '=', body.measure).executeTakeFirst();
          if (!m) throw notFound('MEASURE_NOT_FOUND', 'No such measure');
          if (body.problem && m.problem_id !== body.problem) throw businessRule('MEASURE_NOT_OF_PROBLEM', 'The measure belongs to another problem');
          measureId = m.id;
          body = { ...body, problem: m.problem_id };
        }
        if (body.problem) {
          problem = await trx.selectFrom('problems').select(['id', 'unit_id', 'status', 'number']).where('id', '=', body.problem).executeTakeFirst();
          if (!problem || !inScope(scope, problem.unit_id)) throw notFound('PROBLEM_NOT_FOUND', 'No such problem');
          if (!ACTIVE_PROBLEM.includes(problem.status)) throw conflict('PROBLEM_NOT_ACTIVE', `The problem is ${problem.status}; supervise an open problem`, { status: problem.status });
        }
        let unitId: string;
        if (body.unit) {
          const unit = await findUnitByCode(trx, body.unit);
          if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${body.unit}`);
          unitId = unit.id;
        } else if (problem) unitId = problem.unit_id;
        else throw businessRule('UNIT_REQUIRED', 'Name the unit (or the problem the item comes from)');

        const owner = await trx.selectFrom('people').select(['id', 'code', 'name', 'unit_id', 'user_id']).where('code', '=', body.owner).executeTakeFirst();
        if (!owner || !inScope(scope, owner.unit_id)) throw notFound('PERSON_NOT_FOUND', `No person ${body.owner}`);

        let reviewerId: string | null = null;
        if (body.reviewer) {
          const user = await findUserByUsername(trx, body.reviewer);
          if (!user || user.status !== 'active') throw notFound('USER_NOT_FOUND', `No active user ${body.reviewer}`);
          const perms = ((await rolesOfUsers(trx, [user.id])).get(user.id) ?? []).flatMap((r) => r.permissions);
          if (!perms.includes('supervision.write')) throw businessRule('REVIEWER_NOT_ELIGIBLE', `${body.reviewer} may not review closure (needs supervision.write)`, { reviewer: body.reviewer });
          reviewerId = user.id;
        }
        if (body.dueDate < shanghaiDate(now)) throw businessRule('DUE_DATE_PAST', `The due date ${body.dueDate} has passed`, { dueDate: body.dueDate, today: shanghaiDate(now) });
        const yellowDays = body.yellowDays ?? (await defaultYellowDays(trx));

        const row = await trx
          .insertInto('supervision_items')
          .values({
            problem_id: problem?.id ?? null,
            measure_id: measureId,
            unit_id: unitId,
            title: body.title,
            description: body.description,
            owner_person_id: owner.id,
            supervisor_user_id: actor.userId,
            reviewer_user_id: reviewerId,
            due_date: body.dueDate,
            yellow_days: yellowDays,
            created_by: actor.userId,
            created_at: now,
            updated_at: now,
          })
          .returning(['id', 'number'])
          .executeTakeFirstOrThrow();
        await insertEvent(trx, { itemId: row.id, action: 'assign', from: null, to: 'assigned', note: body.description, by: actor.userId, at: now });
        const ownerUser = owner.user_id;
        if (ownerUser !== null && ownerUser !== actor.userId) {
          await notify(trx, { userId: ownerUser, kind: 'supervision.assigned', title: `新督办事项 #${row.number}：${body.title}`, body: `Due on ${body.dueDate}.`, link: linkOf(row.id), refId: row.id, dedupeKey: `supervision.assigned:${row.id}:${ownerUser}`, at: now });
        }
        await audit(trx, deps, ctx, {
          action: 'supervision.create',
          objectType: 'supervision_item',
          objectId: row.id,
          details: { number: Number(row.number), unit: body.unit ?? null, problem: problem ? Number(problem.number) : null, measure: measureId, title: body.title, owner: owner.code, reviewer: body.reviewer ?? null, dueDate: body.dueDate, yellowDays },
        });
        return detail(trx, await visibleItem(trx, actor, row.id), actor);
      });
    },

    /** One step of an item (accept, start, report, approve = 销号, reject, cancel). */
    async transition(ctx: RequestContext, actor: Actor, id: string, body: TransitionBody): Promise<SupervisionDetail> {
      return db.transaction().execute(async (trx) => {
        const item = await visibleItem(trx, actor, id);
        await trx.selectFrom('supervision_items').select('id').where('id', '=', id).forUpdate().execute();
        if (item.version !== body.version) throw staleVersion();
        const attachmentIds = [...new Set(body.attachments)];
        const found = await attachmentInfo(trx, attachmentIds);
        if (found.length !== attachmentIds.length) {
          const missing = attachmentIds.filter((a) => !found.some((f) => f.id === a));
          throw businessRule('ATTACHMENT_NOT_FOUND', 'An evidence file does not exist; upload it through POST /api/attachments first', { missing });
        }
        const lastReport = await trx
          .selectFrom('supervision_events')
          .select('attachment_ids')
          .where('item_id', '=', id)
          .where('action', '=', 'report')
          .orderBy('created_at', 'desc')
          .orderBy('seq', 'desc')
          .executeTakeFirst();
        const state = item.state as SupervisionState;
        const decision = decideTransition({ state, action: body.action, roles: rolesOf(actor.userId, partiesOf(item)), note: body.note, attachments: attachmentIds.length, reportedEvidence: lastReport?.attachment_ids.length ?? 0 });
        if (!decision.ok) {
          const details = { state, allowed: decision.allowed, allowedForYou: decision.allowedForYou };
          if (decision.kind === 'role') throw new AppError(403, decision.code, decision.message, details);
          if (decision.kind === 'state') throw conflict(decision.code, decision.message, details);
          throw businessRule(decision.code, decision.message, details);
        }
        if (supervisorSteps.has(body.action) && !actor.permissions.has('supervision.write')) throw forbidden(`To ${body.action} an item you need the supervision.write permission`, 'SUPERVISION_NOT_YOUR_STEP');

        const now = clock.now();
        const to = decision.to;
        const r = await trx
          .updateTable('supervision_items')
          .set({ state: to, ...(isOpenState(to) ? {} : { light: 'done' }), ...(to === 'closed' ? { closed_at: now } : {}), updated_at: now, version: item.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await insertEvent(trx, { itemId: id, action: body.action, from: state, to, note: body.note, attachmentIds, by: actor.userId, at: now });

        // Who hears of it: a report goes to the reviewer; the reviewer's and supervisor's answers to the owner.
        const label = `#${item.number} ${item.title}`;
        const recipients =
          body.action === 'report' ? [item.reviewer_user_id ?? item.supervisor_user_id] : ['approve', 'reject', 'cancel'].includes(body.action) ? [item.owner_user_id] : body.action === 'accept' ? [item.supervisor_user_id] : [];
        const words: Record<SupervisionAction, string> = { accept: '已接收', start: '已开始办理', report: '已报告办结，待审核销号', approve: '已销号', reject: '被退回，请继续办理', cancel: '已撤销' };
        for (const u of new Set(recipients)) {
          if (!u || u === actor.userId) continue;
          await notify(trx, { userId: u, kind: `supervision.${body.action}`, title: `督办事项${words[body.action]}：${label}`, body: body.note, link: linkOf(id), refId: id, dedupeKey: `supervision.${body.action}:${id}:${item.version + 1}:${u}`, at: now });
        }

        // 销号 of the last open item of a problem closes the problem; its measure is done.
        let problemStatus: string | null = null;
        if (body.action === 'approve') {
          if (item.measure_id) {
            await trx.updateTable('measures').set({ status: 'done', progress: 100, updated_at: now, version: (eb) => eb('version', '+', 1) }).where('id', '=', item.measure_id).where('status', '=', 'open').execute();
          }
          if (item.problem_id) {
            const others = await trx.selectFrom('supervision_items').select('id').where('problem_id', '=', item.problem_id).where('id', '<>', id).where('state', 'not in', ['closed', 'cancelled']).execute();
            const p = await trx.selectFrom('problems').select('status').where('id', '=', item.problem_id).executeTakeFirst();
            if (others.length === 0 && p && ACTIVE_PROBLEM.includes(p.status)) problemStatus = (await closeProblemWithEvidence(trx, deps, ctx, item.problem_id, now)).status;
          }
        }
        await audit(trx, deps, ctx, {
          action: `supervision.${body.action}`,
          objectType: 'supervision_item',
          objectId: id,
          changes: { state: { old: state, new: to } },
          details: { number: Number(item.number), note: body.note, attachments: attachmentIds, ...(problemStatus ? { problemClosed: problemStatus } : {}) },
        });
        return detail(trx, await visibleItem(trx, actor, id), actor);
      });
    },
  };
}
export type SupervisionService = ReturnType<typeof supervisionService>;
