import type { z } from 'zod';
import { aggregateValue, roundTo, type IndicatorDef } from '../../../domain/benchmarking/indicator-math';
import { monthsBetween, monthsOf, parsePeriod } from '../../../domain/benchmarking/period';
import { ScoringError, type Explanation, type ItemScore } from '../../../domain/evaluation/explanation';
import { resolveEfficacyRule, scoreAddDeduct, scoreEfficacy, scoreFiveTier, scorePassFail, type Better } from '../../../domain/evaluation/item-scoring';
import { rankParticipants, scoreParticipant, type CompetitionAggregation, type Prize } from '../../../domain/results/competition';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { outOf100 } from '../evaluations/evaluations.service';
import { itemParams, type ItemMethod } from '../evaluations/evaluations.schemas';
import { listIndicators } from '../indicators/indicators.repository';
import { loadMeasurements } from '../measurements/measurements.repository';
import { monthlyValues, toDef } from '../measurements/measurements.service';
import type { Competition, CreateCompetitionBody, EventBody, Leaderboard, PutCompetitionBody } from './competitions.schemas';

/** Items score out of 100, as in evaluation schemes. */
const FULL_SCORE = 100;
const ITEM_DECIMALS = 2;

type CompetitionRow = { id: string; code: string; name_zh: string; name_en: string; description: string; period_from: string; period_to: string; status: string; aggregation: string; prizes: unknown[]; updated_at: Date; version: number };

/** Scores one value by an item's method, out of 100 (the evaluation schemes' rules). */
function scoreItem(method: ItemMethod, params: unknown, value: number, peerValues: number[], direction: Better | null): { result: ItemScore | null; problem: string | null } {
  if (method === 'efficacy') {
    const p = params as z.infer<(typeof itemParams)['efficacy']>;
    if (!direction) throw new ScoringError('Efficacy needs an indicator where higher or lower is better', 'indicator');
    const resolved = resolveEfficacyRule(p, { benchmark: null, peerValues, direction });
    if (!resolved.ok) return { result: null, problem: resolved.problem };
    return { result: scoreEfficacy(value, resolved.rule, ITEM_DECIMALS), problem: null };
  }
  if (method === 'five-tier') {
    const p = params as z.infer<(typeof itemParams)['five-tier']>;
    return { result: scoreFiveTier(value, { weight: FULL_SCORE, tiers: p.tiers, ...(p.coefficients ? { coefficients: p.coefficients } : {}) }, ITEM_DECIMALS), problem: null };
  }
  if (method === 'add-deduct') {
    const p = params as z.infer<(typeof itemParams)['add-deduct']>;
    const d = p.direction ?? direction;
    if (!d) throw new ScoringError('Give the direction: the indicator has none', 'direction');
    return { result: outOf100(scoreAddDeduct(value, { ...p, direction: d }, ITEM_DECIMALS), p.basePoints, ITEM_DECIMALS), problem: null };
  }
  const p = params as z.infer<(typeof itemParams)['pass-fail']>;
  const d = p.direction ?? direction;
  if (!d) throw new ScoringError('Give the direction: the indicator has none', 'direction');
  return { result: scorePassFail(value, { points: FULL_SCORE, threshold: p.threshold, direction: d }, ITEM_DECIMALS), problem: null };
}

export function competitionService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function find(trx: Db | Tx, code: string): Promise<CompetitionRow> {
    const c = await trx.selectFrom('competitions').select(['id', 'code', 'name_zh', 'name_en', 'description', 'period_from', 'period_to', 'status', 'aggregation', 'prizes', 'updated_at', 'version']).where('code', '=', code).executeTakeFirst();
    if (!c) throw notFound('COMPETITION_NOT_FOUND', `No competition ${code}`);
    return c;
  }

  const participantsOf = (trx: Db | Tx, id: string) =>
    trx.selectFrom('competition_participants as p').innerJoin('units as u', 'u.id', 'p.unit_id').select(['u.id', 'u.code', 'u.name_zh']).where('p.competition_id', '=', id).orderBy('u.sort_order').orderBy('u.code').execute();

  const itemsOf = (trx: Db | Tx, id: string) =>
    trx
      .selectFrom('competition_items as c')
      .innerJoin('indicators as i', 'i.id', 'c.indicator_id')
      .select(['c.indicator_id', 'i.code', 'c.method', 'c.params', 'c.weight', 'c.sort_order'])
      .where('c.competition_id', '=', id)
      .orderBy('c.sort_order')
      .orderBy('i.code')
      .execute();

  async function toCompetition(trx: Db | Tx, c: CompetitionRow): Promise<Competition> {
    return {
      code: c.code,
      nameZh: c.name_zh,
      nameEn: c.name_en,
      description: c.description,
      periodFrom: c.period_from,
      periodTo: c.period_to,
      status: c.status as Competition['status'],
      aggregation: c.aggregation as CompetitionAggregation,
      prizes: c.prizes as Prize[],
      participants: (await participantsOf(trx, c.id)).map((u) => ({ unit: u.code, unitName: u.name_zh })),
      items: (await itemsOf(trx, c.id)).map((i) => ({ indicator: i.code, method: i.method as ItemMethod, params: i.params, weight: Number(i.weight) })),
      updatedAt: c.updated_at.toISOString(),
      version: c.version,
    };
  }

  /** Checks the body's rules and resolves its unit and indicator codes. */
  async function resolve(trx: Tx, body: CreateCompetitionBody | PutCompetitionBody) {
    if (body.periodTo < body.periodFrom) throw businessRule('PERIOD_INVALID', 'The competition ends before it starts', { field: 'periodTo' });
    const ranks = body.prizes.map((p) => p.rank);
    if (new Set(ranks).size !== ranks.length) throw businessRule('PRIZE_RANK_DUPLICATE', 'Each rank has at most one prize', { field: 'prizes' });
    const codes = [...new Set(body.participants)];
    const units = codes.length ? await trx.selectFrom('units').select(['id', 'code']).where('code', 'in', codes).execute() : [];
    const missingUnit = codes.find((c) => !units.some((u) => u.code === c));
    if (missingUnit) throw notFound('UNIT_NOT_FOUND', `No unit ${missingUnit}`);
    const library = new Map((await listIndicators(trx)).map((i) => [i.code, i]));
    const seen = new Set<string>();
    const items = body.items.map((item, n) => {
      const ind = library.get(item.indicator);
      if (!ind) throw notFound('INDICATOR_NOT_FOUND', `No indicator ${item.indicator}`);
      if (seen.has(ind.code)) throw businessRule('ITEM_DUPLICATE', `${ind.code} is listed twice`, { field: `items.${n}.indicator` });
      seen.add(ind.code);
      if ((item.method === 'efficacy' || (item.method !== 'five-tier' && !('direction' in item.params && item.params.direction))) && ind.direction === 'band') {
        throw businessRule('SCORING_INVALID', `${ind.code} is a band indicator: give the item a direction, or score it by five tiers`, { field: `items.${n}.method` });
      }
      return { indicator_id: ind.id, method: item.method, params: JSON.stringify(item.params), weight: item.weight, sort_order: n * 10 };
    });
    return { unitIds: units.map((u) => u.id), items };
  }

  async function replaceChildren(trx: Tx, id: string, resolved: Awaited<ReturnType<typeof resolve>>) {
    await trx.deleteFrom('competition_participants').where('competition_id', '=', id).execute();
    await trx.deleteFrom('competition_items').where('competition_id', '=', id).execute();
    if (resolved.unitIds.length) await trx.insertInto('competition_participants').values(resolved.unitIds.map((unit_id) => ({ competition_id: id, unit_id }))).execute();
    if (resolved.items.length) await trx.insertInto('competition_items').values(resolved.items.map((i) => ({ ...i, competition_id: id }))).execute();
  }

  const auditable = (b: CreateCompetitionBody | PutCompetitionBody) => ({
    nameZh: b.nameZh,
    nameEn: b.nameEn,
    description: b.description,
    periodFrom: b.periodFrom,
    periodTo: b.periodTo,
    status: b.status,
    aggregation: b.aggregation,
    prizes: b.prizes,
    participants: [...new Set(b.participants)].sort(),
    items: b.items,
  });

  return {
    async list(): Promise<Competition[]> {
      return db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('competitions').select(['id', 'code', 'name_zh', 'name_en', 'description', 'period_from', 'period_to', 'status', 'aggregation', 'prizes', 'updated_at', 'version']).orderBy('period_from', 'desc').orderBy('code').execute();
        const out: Competition[] = [];
        for (const r of rows) out.push(await toCompetition(trx, r));
        return out;
      });
    },

    async get(code: string): Promise<Competition> {
      return db.transaction().execute(async (trx) => toCompetition(trx, await find(trx, code)));
    },

    /** Creates a competition with its participants, data items and prizes. */
    async create(ctx: RequestContext, actor: Actor, body: CreateCompetitionBody): Promise<Competition> {
      return db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('competitions').select('id').where('code', '=', body.code).executeTakeFirst()) throw conflict('COMPETITION_EXISTS', `A competition ${body.code} already exists`);
        const resolved = await resolve(trx, body);
        const now = clock.now();
        const row = await trx
          .insertInto('competitions')
          .values({ code: body.code, name_zh: body.nameZh, name_en: body.nameEn, description: body.description, period_from: body.periodFrom, period_to: body.periodTo, status: body.status, aggregation: body.aggregation, prizes: JSON.stringify(body.prizes), created_by: actor.userId, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await replaceChildren(trx, row.id, resolved);
        await audit(trx, deps, ctx, { action: 'competition.create', objectType: 'competition', objectId: body.code, changes: diffChanges(null, auditable(body)) });
        return toCompetition(trx, await find(trx, body.code));
      });
    },

    /** Replaces a competition's fields, participants, items and prizes (the code stays). */
    async update(ctx: RequestContext, code: string, body: PutCompetitionBody): Promise<Competition> {
      return db.transaction().execute(async (trx) => {
        const before = await toCompetition(trx, await find(trx, code));
        const c = await find(trx, code);
        const resolved = await resolve(trx, body);
        const r = await trx
          .updateTable('competitions')
          .set({ name_zh: body.nameZh, name_en: body.nameEn, description: body.description, period_from: body.periodFrom, period_to: body.periodTo, status: body.status, aggregation: body.aggregation, prizes: JSON.stringify(body.prizes), updated_at: clock.now(), version: c.version + 1 })
          .where('id', '=', c.id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await replaceChildren(trx, c.id, resolved);
        const old = { ...before, participants: before.participants.map((p) => p.unit).sort() };
        await audit(trx, deps, ctx, { action: 'competition.update', objectType: 'competition', objectId: code, changes: diffChanges(old as unknown as Record<string, unknown>, auditable(body)) });
        return toCompetition(trx, await find(trx, code));
      });
    },

    /** Adds an add/deduct event (or a veto) to a participant, with its reason. */
    async addEvent(ctx: RequestContext, actor: Actor, code: string, body: EventBody) {
      return db.transaction().execute(async (trx) => {
        const c = await find(trx, code);
        const unit = (await participantsOf(trx, c.id)).find((u) => u.code === body.unit);
        if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No participant ${body.unit} in ${code}`);
        if (c.status === 'closed') throw conflict('COMPETITION_CLOSED', `The competition ${code} is closed`);
        if (body.date < c.period_from || body.date > c.period_to) throw businessRule('EVENT_OUTSIDE_PERIOD', `The date ${body.date} is outside the competition (${c.period_from} … ${c.period_to})`, { field: 'date' });
        const row = await trx
          .insertInto('competition_events')
          .values({ competition_id: c.id, unit_id: unit.id, event_date: body.date, points: body.points, category: body.category, reason: body.reason, created_by: actor.userId, created_at: clock.now() })
          .returning(['id', 'created_at'])
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'competition.event', objectType: 'competition', objectId: code, changes: { event: { new: { unit: unit.code, date: body.date, points: body.points, category: body.category, reason: body.reason } } } });
        return { id: row.id, unit: unit.code, date: body.date, points: body.points, category: body.category, reason: body.reason, createdBy: actor.username, createdAt: row.created_at.toISOString() };
      });
    },

    /**
     * The leaderboard over a window (a month, quarter or year within the competition's dates; all of
     * them by default): every participant's data items from approved, not suspect values, its
     * events, vetoes, rank and prize. Ranks are among all participants; rows are the caller's units.
     */
    async leaderboard(actor: Actor, code: string, periodText?: string): Promise<Leaderboard> {
      return db.transaction().execute(async (trx) => {
        const c = await find(trx, code);
        const all = monthsBetween(c.period_from.slice(0, 7), c.period_to.slice(0, 7));
        const units = await participantsOf(trx, c.id);
        const unitIds = units.map((u) => u.id);
        // Suspect or unapproved values never move a competition: only approved values nobody marked suspect.
        const trusted = (await loadMeasurements(trx, { unitIds, periods: all })).filter((r) => r.status === 'approved' && !r.suspect);
        let months: string[];
        let periodKey: string;
        let eventMonths: Set<string>;
        if (periodText) {
          const period = parsePeriod(periodText);
          if (!period) throw businessRule('PERIOD_INVALID', `Not a period: ${periodText} (YYYY-MM, YYYY-Qn or YYYY)`, { field: 'period' });
          const asked = new Set(monthsOf(period));
          months = all.filter((m) => asked.has(m));
          if (months.length === 0) throw businessRule('PERIOD_OUTSIDE_COMPETITION', `${periodText} is outside the competition (${c.period_from} … ${c.period_to})`, { field: 'period' });
          periodKey = periodText;
          eventMonths = new Set(months);
        } else {
          // To date: the data up to the latest month every participant has reported (a window is
          // complete or it has no value), the events of the whole competition.
          const reported = (m: string) => unitIds.every((id) => trusted.some((r) => r.unit_id === id && r.period === m));
          const last = [...all].reverse().find(reported);
          months = last ? all.filter((m) => m <= last) : all;
          periodKey = `${months[0]}…${months.at(-1)}`;
          eventMonths = new Set(all);
        }
        const library = new Map((await listIndicators(trx)).map((i) => [i.id, i]));
        const defs = new Map<string, IndicatorDef>([...library.values()].map((i) => [i.code, toDef(i)]));
        const window = new Set(months);
        const dataOf = new Map(units.map((u) => [u.id, monthlyValues(trusted.filter((r) => r.unit_id === u.id && window.has(r.period)))]));
        const items = await itemsOf(trx, c.id);

        type Scored = { value: number | null; score: number | null; explanation: Explanation | null; problem: string | null };
        const scored = new Map<string, Map<string, Scored>>();
        for (const item of items) {
          const ind = library.get(item.indicator_id)!;
          const method = item.method as ItemMethod;
          const parsed = itemParams[method].safeParse(item.params);
          if (!parsed.success) throw businessRule('SCORING_INVALID', `${ind.code}: ${parsed.error.issues[0]?.message ?? 'bad parameters'}`, { field: `items.${ind.code}.params` });
          const values = new Map(units.map((u) => [u.id, roundTo(aggregateValue(ind.code, months, defs, dataOf.get(u.id)!), ind.precision)]));
          const peers = [...values.values()].filter((v): v is number => v !== null);
          const byUnit = new Map<string, Scored>();
          for (const u of units) {
            const value = values.get(u.id)!;
            if (value === null) {
              byUnit.set(u.id, { value, score: null, explanation: null, problem: 'NO_VALUE' });
              continue;
            }
            try {
              const { result, problem } = scoreItem(method, parsed.data, value, peers, ind.direction === 'band' ? null : ind.direction);
              byUnit.set(u.id, { value, score: result?.score ?? null, explanation: result?.explanation ?? null, problem });
            } catch (e) {
              if (e instanceof ScoringError) throw businessRule('SCORING_INVALID', `${ind.code}: ${e.message}`, { field: `items.${ind.code}.${e.field}` });
              throw e;
            }
          }
          scored.set(item.code, byUnit);
        }

        const events = await trx
          .selectFrom('competition_events as e')
          .leftJoin('users as u', 'u.id', 'e.created_by')
          .select(['e.id', 'e.unit_id', 'e.event_date', 'e.points', 'e.category', 'e.reason', 'u.username', 'e.created_at'])
          .where('e.competition_id', '=', c.id)
          .where('e.event_date', '>=', c.period_from)
          .where('e.event_date', '<=', c.period_to)
          .orderBy('e.event_date')
          .orderBy('e.created_at')
          .execute();
        const eventsOf = (unitId: string) => events.filter((e) => e.unit_id === unitId && eventMonths.has(e.event_date.slice(0, 7)));

        const rows = units.map((u) => {
          const mine = eventsOf(u.id);
          const score = scoreParticipant(
            items.map((i) => ({ key: i.code, weight: Number(i.weight), score: scored.get(i.code)!.get(u.id)!.score })),
            mine.map((e) => ({ points: Number(e.points), veto: e.category === 'veto', reason: e.reason })),
            c.aggregation as CompetitionAggregation,
          );
          return { key: u.id, score, extra: { unit: u, events: mine } };
        });
        const scope = await visibleUnitIds(trx, actor);
        const ranked = rankParticipants(rows, c.prizes as Prize[]).filter((r) => inScope(scope, r.key));
        return {
          competition: c.code,
          nameZh: c.name_zh,
          nameEn: c.name_en,
          period: periodKey,
          months,
          from: c.period_from,
          to: c.period_to,
          aggregation: c.aggregation as CompetitionAggregation,
          rows: ranked.map((r) => ({
            unit: r.extra.unit.code,
            unitName: r.extra.unit.name_zh,
            dataScore: r.score.dataScore,
            eventPoints: r.score.eventPoints,
            total: r.score.total,
            unvetoedTotal: r.score.unvetoedTotal,
            rank: r.rank,
            vetoed: r.score.vetoed,
            vetoReasons: r.score.vetoReasons,
            missing: r.score.missing,
            arithmetic: r.score.arithmetic,
            prize: r.prize,
            items: items.map((i) => {
              const s = scored.get(i.code)!.get(r.key)!;
              return { indicator: i.code, method: i.method as ItemMethod, weight: Number(i.weight), value: s.value, score: s.score, explanation: s.explanation, problem: s.problem };
            }),
            events: r.extra.events.map((e) => ({ id: e.id, unit: r.extra.unit.code, date: e.event_date, points: Number(e.points), category: e.category as EventBody['category'], reason: e.reason, createdBy: e.username, createdAt: e.created_at.toISOString() })),
          })),
        };
      });
    },
  };
}
export type CompetitionService = ReturnType<typeof competitionService>;
