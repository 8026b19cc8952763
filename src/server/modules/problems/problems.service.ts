import { nextStatus, type ProblemStatus } from '../../../domain/problems/problem-status';
import { DEFAULT_VERIFY_PERIODS } from '../../../domain/problems/verification';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { findIndicatorByCode, listIndicators } from '../indicators/indicators.repository';
import { findUnitByCode, listUnits } from '../units/units.repository';
import { todayInShanghai } from '../units/units.service';
import { closeProblemWithEvidence } from './problem-closure';
import { attachmentsByIds, listMeasureRows, listProblemRows, listUpdateRows, type MeasureRow, type ProblemListRow } from './problems.repository';
import type { Attachment, CloseBody, CreateMeasureBody, CreateProblemBody, Measure, MeasureUpdateBody, Problem, ProblemDetail, ProblemQuery, PutMeasureBody, PutProblemBody } from './problems.schemas';

type Counts = Problem['measures'];

export function problemService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;
  const today = () => todayInShanghai(clock.now());

  async function codes(trx: Tx | typeof db) {
    const [indicators, units] = await Promise.all([listIndicators(trx), listUnits(trx)]);
    return { indicator: new Map(indicators.map((i) => [i.id, i.code])), unit: new Map(units.map((u) => [u.id, u.code])) };
  }

  const isOverdue = (m: { status: string; due_date: string }, day: string) => m.status === 'open' && m.due_date < day;

  function countsOf(measures: readonly MeasureRow[], day: string): Counts {
    const live = measures.filter((m) => m.status !== 'cancelled');
    return { total: live.length, open: live.filter((m) => m.status === 'open').length, overdue: live.filter((m) => isOverdue(m, day)).length };
  }

  function toProblem(p: ProblemListRow, indicatorCodes: Map<string, string>, counts: Counts): Problem {
    return {
      id: p.id,
      number: Number(p.number),
      source: p.source as Problem['source'],
      unit: p.unit,
      unitName: p.unit_name,
      indicators: (p.indicator_ids ?? []).map((id) => indicatorCodes.get(id) ?? id),
      title: p.title,
      description: p.description,
      causeAnalysis: p.cause_analysis,
      severity: p.severity as Problem['severity'],
      status: p.status as Problem['status'],
      warningId: p.warning_id,
      rule: p.rule,
      gapPeriod: p.gap_period,
      verifyPeriods: p.verify_periods,
      verification: p.verification ?? {},
      raisedAt: p.raised_at.toISOString(),
      raisedBy: p.raised_by,
      closedAt: p.closed_at?.toISOString() ?? null,
      closeReason: p.close_reason,
      measures: counts,
      version: p.version,
    };
  }

  /** A problem the actor may see, or 404 (out of scope is not found). */
  async function visibleProblem(trx: Tx | typeof db, actor: Actor, id: string): Promise<ProblemListRow> {
    const scope = await visibleUnitIds(trx, actor);
    const [p] = await listProblemRows(trx, { unitIds: scope ? [...scope] : null, id });
    if (!p) throw notFound('PROBLEM_NOT_FOUND', 'No such problem');
    return p;
  }

  function checkVersion(p: { version: number }, v: number) {
    if (p.version !== v) throw staleVersion();
  }

  function requireActive(p: { status: string }) {
    if (p.status !== 'open' && p.status !== 'in-progress' && p.status !== 'closing') throw conflict('PROBLEM_NOT_ACTIVE', `The problem is ${p.status}; it can no longer change`, { status: p.status });
  }

  async function attachmentsExist(trx: Tx, ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    const found = await attachmentsByIds(trx, unique);
    if (found.length !== unique.length) {
      const missing = unique.filter((id) => !found.some((f) => f.id === id));
      throw businessRule('ATTACHMENT_NOT_FOUND', `No attachment ${missing.join(', ')}; upload files with POST /api/attachments first`, { missing });
    }
  }

  async function personId(trx: Tx, code: string): Promise<string> {
    const p = await trx.selectFrom('people').select('id').where('code', '=', code).executeTakeFirst();
    if (!p) throw businessRule('PERSON_NOT_FOUND', `No person ${code}`, { owner: code });
    return p.id;
  }

  async function unitIdsOf(trx: Tx, unitCodes: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const c of [...new Set(unitCodes)]) {
      const u = await findUnitByCode(trx, c);
      if (!u) throw businessRule('UNIT_NOT_FOUND', `No unit ${c}`, { unit: c });
      out.push(u.id);
    }
    return out;
  }

  /** Moves an open or in-progress problem between open and in-progress as its measures change. */
  async function syncStatus(trx: Tx, ctx: RequestContext, problemId: string): Promise<void> {
    const p = await trx.selectFrom('problems').select(['id', 'status', 'version']).where('id', '=', problemId).executeTakeFirstOrThrow();
    const live = await trx.selectFrom('measures').select((eb) => eb.fn.countAll<number>().as('n')).where('problem_id', '=', problemId).where('status', '<>', 'cancelled').executeTakeFirstOrThrow();
    const t = nextStatus(p.status as ProblemStatus, { type: 'measures-changed', measures: Number(live.n) });
    if (!t.ok || t.status === p.status) return;
    const now = clock.now();
    await trx.updateTable('problems').set({ status: t.status, updated_at: now, version: p.version + 1 }).where('id', '=', p.id).execute();
    await audit(trx, deps, ctx, { action: 'problem.status', objectType: 'problem', objectId: p.id, changes: { status: { old: p.status, new: t.status } } });
  }

  async function loadMeasures(trx: Tx | typeof db, problemIds: string[], unitCodes: Map<string, string>, day: string, id?: string): Promise<Measure[]> {
    const rows = await listMeasureRows(trx, id ? { id } : { problemIds });
    const updates = await listUpdateRows(trx, rows.map((m) => m.id));
    const files = new Map((await attachmentsByIds(trx, [...new Set(updates.flatMap((u) => u.attachment_ids ?? []))])).map((a) => [a.id, a]));
    const toAttachment = (fid: string): Attachment => {
      const a = files.get(fid);
      return a ? { id: a.id, fileName: a.file_name, mimeType: a.mime_type, size: a.size_bytes } : { id: fid, fileName: '(missing)', mimeType: 'application/octet-stream', size: 0 };
    };
    return rows.map((m) => ({
      id: m.id,
      problemId: m.problem_id,
      description: m.description,
      owner: { code: m.owner_code, name: m.owner_name },
      coUnits: (m.co_unit_ids ?? []).map((u) => unitCodes.get(u) ?? u),
      dueDate: m.due_date,
      progress: m.progress,
      status: m.status as Measure['status'],
      overdue: isOverdue(m, day),
      updates: updates
        .filter((u) => u.measure_id === m.id)
        .map((u) => ({ id: u.id, note: u.note, progress: u.progress, attachments: (u.attachment_ids ?? []).map(toAttachment), createdBy: u.created_by, createdAt: u.created_at.toISOString() })),
      createdAt: m.created_at.toISOString(),
      version: m.version,
    }));
  }

  async function detail(trx: Tx | typeof db, actor: Actor, id: string): Promise<ProblemDetail> {
    const p = await visibleProblem(trx, actor, id);
    const c = await codes(trx);
    const day = today();
    const measureRows = await listMeasureRows(trx, { problemIds: [p.id] });
    const measures = await loadMeasures(trx, [p.id], c.unit, day);
    const w = p.warning_id
      ? await trx
          .selectFrom('warnings as w')
          .innerJoin('warning_rules as r', 'r.id', 'w.rule_id')
          .innerJoin('indicators as i', 'i.id', 'w.indicator_id')
          .select(['w.id', 'r.code as rule', 'i.code as indicator', 'w.state', 'w.last_period', 'w.facts'])
          .where('w.id', '=', p.warning_id)
          .executeTakeFirst()
      : undefined;
    const items = await trx.selectFrom('supervision_items').select(['id', 'number', 'state', 'due_date']).where('problem_id', '=', p.id).orderBy('number').execute();
    const counts = countsOf(measureRows, day);
    return {
      ...toProblem(p, c.indicator, counts),
      measures,
      measureCounts: counts,
      warning: w ? { id: w.id, rule: w.rule, indicator: w.indicator, state: w.state, period: w.last_period, facts: w.facts } : null,
      supervisionItems: items.map((i) => ({ id: i.id, number: Number(i.number), state: i.state, dueDate: i.due_date })),
    };
  }

  async function measureInScope(trx: Tx, actor: Actor, id: string): Promise<{ m: MeasureRow; p: ProblemListRow }> {
    const [m] = await listMeasureRows(trx, { id });
    if (!m) throw notFound('MEASURE_NOT_FOUND', 'No such measure');
    const scope = await visibleUnitIds(trx, actor);
    const [p] = await listProblemRows(trx, { unitIds: scope ? [...scope] : null, id: m.problem_id });
    if (!p) throw notFound('MEASURE_NOT_FOUND', 'No such measure');
    return { m, p };
  }

  return {
    async list(actor: Actor, q: ProblemQuery): Promise<{ rows: Problem[] }> {
      const scope = await visibleUnitIds(db, actor);
      let unitId: string | undefined;
      if (q.unit) {
        const unit = await findUnitByCode(db, q.unit);
        if (!unit || !inScope(scope, unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${q.unit}`);
        unitId = unit.id;
      }
      let indicatorId: string | undefined;
      if (q.indicator) {
        const ind = await findIndicatorByCode(db, q.indicator);
        if (!ind) throw notFound('INDICATOR_NOT_FOUND', `No indicator ${q.indicator}`);
        indicatorId = ind.id;
      }
      const rows = await listProblemRows(db, { unitIds: scope ? [...scope] : null, ...(unitId ? { unitId } : {}), ...(q.status ? { status: q.status } : {}), ...(q.source ? { source: q.source } : {}), ...(indicatorId ? { indicatorId } : {}) });
      const c = await codes(db);
      const measures = await listMeasureRows(db, { problemIds: rows.map((r) => r.id) });
      const day = today();
      return { rows: rows.map((p) => toProblem(p, c.indicator, countsOf(measures.filter((m) => m.problem_id === p.id), day))) };
    },

    get: (actor: Actor, id: string) => detail(db, actor, id),

    /** A problem raised by hand (audit finding, meeting, leader's instruction, customer visit, other). */
    async create(ctx: RequestContext, actor: Actor, body: CreateProblemBody): Promise<ProblemDetail> {
      return db.transaction().execute(async (trx) => {
        const unit = await findUnitByCode(trx, body.unit);
        if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${body.unit}`);
        const indicatorIds: string[] = [];
        for (const code of [...new Set(body.indicators)]) {
          const ind = await findIndicatorByCode(trx, code);
          if (!ind) throw businessRule('INDICATOR_NOT_FOUND', `No indicator ${code}`, { indicator: code });
          indicatorIds.push(ind.id);
        }
        const now = clock.now();
        const row = await trx
          .insertInto('problems')
          .values({ source: body.source, unit_id: unit.id, indicator_ids: indicatorIds, title: body.title, description: body.description, cause_analysis: body.causeAnalysis, severity: body.severity, status: 'open', verify_periods: DEFAULT_VERIFY_PERIODS, raised_by: actor.userId, raised_at: now, created_at: now, updated_at: now })
          .returning(['id', 'number'])
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, {
          action: 'problem.create',
          objectType: 'problem',
          objectId: row.id,
          changes: diffChanges(null, { source: body.source, unit: body.unit, indicators: body.indicators, title: body.title, description: body.description, causeAnalysis: body.causeAnalysis, severity: body.severity }),
          details: { number: Number(row.number) },
        });
        return detail(trx, actor, row.id);
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, body: PutProblemBody): Promise<ProblemDetail> {
      return db.transaction().execute(async (trx) => {
        const p = await visibleProblem(trx, actor, id);
        checkVersion(p, body.version);
        requireActive(p);
        const next = { title: body.title, description: body.description, causeAnalysis: body.causeAnalysis, severity: body.severity };
        const changes = diffChanges({ title: p.title, description: p.description, causeAnalysis: p.cause_analysis, severity: p.severity }, next);
        if (changes) {
          const r = await trx
            .updateTable('problems')
            .set({
              ...(body.title !== undefined ? { title: body.title } : {}),
              ...(body.description !== undefined ? { description: body.description } : {}),
              ...(body.causeAnalysis !== undefined ? { cause_analysis: body.causeAnalysis } : {}),
              ...(body.severity !== undefined ? { severity: body.severity } : {}),
              updated_at: clock.now(),
              version: p.version + 1,
            })
            .where('id', '=', p.id)
            .where('version', '=', body.version)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) === 0) throw staleVersion();
          await audit(trx, deps, ctx, { action: 'problem.update', objectType: 'problem', objectId: p.id, changes });
        }
        return detail(trx, actor, p.id);
      });
    },

    async cancel(ctx: RequestContext, actor: Actor, id: string, body: { reason: string; version: number }): Promise<ProblemDetail> {
      return db.transaction().execute(async (trx) => {
        const p = await visibleProblem(trx, actor, id);
        checkVersion(p, body.version);
        const t = nextStatus(p.status as ProblemStatus, { type: 'cancel', reason: body.reason });
        if (!t.ok) throw conflict(t.code, t.message, { status: p.status });
        const now = clock.now();
        await trx.updateTable('problems').set({ status: t.status, close_reason: body.reason, closed_at: now, closed_by: actor.userId, updated_at: now, version: p.version + 1 }).where('id', '=', p.id).execute();
        await audit(trx, deps, ctx, { action: 'problem.cancel', objectType: 'problem', objectId: p.id, changes: { status: { old: p.status, new: t.status } }, details: { reason: body.reason } });
        return detail(trx, actor, p.id);
      });
    },

    /** Closes a problem without a supervision item: a note and at least one evidence file. */
    async close(ctx: RequestContext, actor: Actor, id: string, body: CloseBody): Promise<ProblemDetail> {
      return db.transaction().execute(async (trx) => {
        const p = await visibleProblem(trx, actor, id);
        checkVersion(p, body.version);
        requireActive(p);
        await attachmentsExist(trx, body.attachments);
        const now = clock.now();
        const { status } = await closeProblemWithEvidence(trx, deps, ctx, p.id, now);
        const closed = await trx.selectFrom('problems').select(['verification', 'version']).where('id', '=', p.id).executeTakeFirstOrThrow();
        const evidence = { note: body.note, attachmentIds: [...new Set(body.attachments)], by: actor.username, at: now.toISOString() };
        await trx.updateTable('problems').set({ close_reason: body.note, verification: JSON.stringify({ ...closed.verification, evidence }) }).where('id', '=', p.id).execute();
        await audit(trx, deps, ctx, { action: 'problem.evidence', objectType: 'problem', objectId: p.id, details: { status, ...evidence } });
        return detail(trx, actor, p.id);
      });
    },

    async addMeasure(ctx: RequestContext, actor: Actor, problemId: string, body: CreateMeasureBody): Promise<Measure> {
      return db.transaction().execute(async (trx) => {
        const p = await visibleProblem(trx, actor, problemId);
        requireActive(p);
        const owner = await personId(trx, body.owner);
        const coUnitIds = await unitIdsOf(trx, body.coUnits);
        const now = clock.now();
        const row = await trx
          .insertInto('measures')
          .values({ problem_id: p.id, description: body.description, owner_person_id: owner, co_unit_ids: coUnitIds, due_date: body.dueDate, created_by: actor.userId, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'measure.create', objectType: 'measure', objectId: row.id, changes: diffChanges(null, { description: body.description, owner: body.owner, coUnits: body.coUnits, dueDate: body.dueDate }), details: { problemId: p.id, number: Number(p.number) } });
        await syncStatus(trx, ctx, p.id);
        const c = await codes(trx);
        return (await loadMeasures(trx, [p.id], c.unit, today(), row.id))[0]!;
      });
    },

    async updateMeasure(ctx: RequestContext, actor: Actor, id: string, body: PutMeasureBody): Promise<Measure> {
      return db.transaction().execute(async (trx) => {
        const { m, p } = await measureInScope(trx, actor, id);
        if (m.version !== body.version) throw staleVersion();
        requireActive(p);
        const c = await codes(trx);
        const set: Record<string, unknown> = {};
        if (body.description !== undefined) set.description = body.description;
        if (body.owner !== undefined) set.owner_person_id = await personId(trx, body.owner);
        if (body.coUnits !== undefined) set.co_unit_ids = await unitIdsOf(trx, body.coUnits);
        if (body.dueDate !== undefined) set.due_date = body.dueDate;
        if (body.status !== undefined) set.status = body.status;
        const before = { description: m.description, owner: m.owner_code, coUnits: (m.co_unit_ids ?? []).map((u) => c.unit.get(u) ?? u), dueDate: m.due_date, status: m.status };
        const changes = diffChanges(before, { description: body.description, owner: body.owner, coUnits: body.coUnits, dueDate: body.dueDate, status: body.status });
        if (changes) {
          const r = await trx
            .updateTable('measures')
            .set({ ...set, updated_at: clock.now(), version: m.version + 1 })
            .where('id', '=', m.id)
            .where('version', '=', body.version)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) === 0) throw staleVersion();
          await audit(trx, deps, ctx, { action: 'measure.update', objectType: 'measure', objectId: m.id, changes, details: { problemId: p.id } });
          await syncStatus(trx, ctx, p.id);
        }
        return (await loadMeasures(trx, [p.id], c.unit, today(), m.id))[0]!;
      });
    },

    /** A progress note on an open measure, with optional attachments; its progress becomes the measure's. */
    async addUpdate(ctx: RequestContext, actor: Actor, measureId: string, body: MeasureUpdateBody): Promise<Measure> {
      return db.transaction().execute(async (trx) => {
        const { m, p } = await measureInScope(trx, actor, measureId);
        requireActive(p);
        if (m.status !== 'open') throw conflict('MEASURE_NOT_OPEN', `The measure is ${m.status}; reopen it before adding progress`, { status: m.status });
        await attachmentsExist(trx, body.attachments);
        const now = clock.now();
        const attachmentIds = [...new Set(body.attachments)];
        const row = await trx.insertInto('measure_updates').values({ measure_id: m.id, note: body.note, progress: body.progress ?? null, attachment_ids: attachmentIds, created_by: actor.userId, created_at: now }).returning('id').executeTakeFirstOrThrow();
        if (body.progress !== undefined && body.progress !== m.progress) {
          await trx.updateTable('measures').set({ progress: body.progress, updated_at: now, version: m.version + 1 }).where('id', '=', m.id).execute();
        }
        await audit(trx, deps, ctx, {
          action: 'measure.progress',
          objectType: 'measure',
          objectId: m.id,
          changes: body.progress !== undefined && body.progress !== m.progress ? { progress: { old: m.progress, new: body.progress } } : null,
          details: { updateId: row.id, note: body.note, attachments: attachmentIds, problemId: p.id },
        });
        const c = await codes(trx);
        return (await loadMeasures(trx, [p.id], c.unit, today(), m.id))[0]!;
      });
    },
  };
}
export type ProblemService = ReturnType<typeof problemService>;
