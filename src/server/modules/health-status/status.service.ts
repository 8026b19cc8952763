import { sql } from 'kysely';
import { maskName } from '../../../domain/access/mask';
import { DEFAULT_FEVER_THRESHOLD_C, DEFAULT_GREEN, emptyFacts, evaluateStatus, FACT_NAMES, factsFrom, validateRule } from '../../../domain/health/status-rules';
import type { Condition, HealthColour, HealthFacts, StatusRule } from '../../../domain/health/types';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { personInScope, scopeOf } from '../access-live/access-scope';
import { audit, diffChanges } from '../audit/audit.service';
import { activeIncident, coveredPeopleIds } from '../health-incidents/incident';
import { contestRows, toContest } from './contests.service';
import { refreshHealthStatus, statusRules } from './refresh';
import type { CreateRuleBody, RuleTestBody, RuleView, StatusView, UpdateRuleBody } from './status.schemas';

/** People recomputed per transaction, so that a large incident does not hold one long transaction. */
const recomputeBatch = 100;
/** The rule code a contest's decision stores, and the one the gate fixtures use. */
const REVIEW = 'REVIEW';
const reservedCodes = new Set([DEFAULT_GREEN, REVIEW]);
const codePattern = /^[A-Z][A-Z0-9_]{1,39}$/;

const colourLabels: Record<HealthColour, { zh: string; en: string }> = {
  red: { zh: '红码', en: 'Red' },
  yellow: { zh: '黄码', en: 'Yellow' },
  green: { zh: '绿码', en: 'Green' },
};
const fixedRuleNames: Record<string, { zh: string; en: string }> = {
  [DEFAULT_GREEN]: { zh: '未命中任何规则', en: 'No rule matched' },
  [REVIEW]: { zh: '申诉复核改判', en: 'Changed on review' },
  manual: { zh: '手工设定', en: 'Set by hand' },
};

type RuleRow = { code: string; name_zh: string; name_en: string; status: string; priority: number; condition: Record<string, unknown>; enabled: boolean; updated_at: Date; version: number };
const toRule = (r: RuleRow): RuleView => ({
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  status: r.status as HealthColour,
  priority: r.priority,
  when: r.condition as Condition,
  enabled: r.enabled,
  updatedAt: r.updated_at.toISOString(),
  version: r.version,
});
const toStatusRule = (b: CreateRuleBody): StatusRule => ({ code: b.code, nameZh: b.nameZh, nameEn: b.nameEn, status: b.status as HealthColour, priority: b.priority, when: b.when as Condition, enabled: b.enabled });

/** The domain's problems with a rule, plus the database's code pattern and the reserved codes. */
function ruleProblems(rule: CreateRuleBody): string[] {
  const problems = validateRule(rule);
  if (rule.code === REVIEW) problems.push(`code: ${REVIEW} is reserved for a contest's decision`);
  else if (rule.code.trim() !== '' && !reservedCodes.has(rule.code) && !codePattern.test(rule.code)) problems.push('code: 2–40 capital letters, digits or _, starting with a letter');
  return problems;
}
const invalid = (problems: string[]) => businessRule('RULE_INVALID', `The rule is not valid: ${problems[0] ?? ''}`, problems);

/** A JSON value with its object keys sorted (jsonb reorders keys, so a diff compares the sorted forms). */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
}

const isBilingual = (v: unknown): v is { zh: string; en: string } => typeof v === 'object' && v !== null && typeof (v as { zh?: unknown }).zh === 'string' && typeof (v as { en?: unknown }).en === 'string';

/**
 * Status rules as data (健康码规则) with their test bench, the recompute of the active incident's
 * statuses after a rule change, and a person's status explained: the deciding rule, the facts it
 * saw, and the contests.
 */
export function statusService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  const ruleRow = (trx: Db | Tx, code: string) => trx.selectFrom('health_rules').select(['code', 'name_zh', 'name_en', 'status', 'priority', 'condition', 'enabled', 'updated_at', 'version']).where('code', '=', code).executeTakeFirst();

  /** Recomputes everyone the active incident covers, in batches; one audit row with the totals. */
  async function recomputeCovered(ctx: RequestContext, trigger: string): Promise<{ recomputed: number; changed: number }> {
    const incident = await activeIncident(db);
    if (!incident) return { recomputed: 0, changed: 0 };
    const ids = (await sql<{ id: string }>`SELECT covered.id FROM ${coveredPeopleIds(incident.id)} AS covered ORDER BY covered.id`.execute(db)).rows.map((r) => r.id);
    let changed = 0;
    for (let i = 0; i < ids.length; i += recomputeBatch) {
      await db.transaction().execute(async (trx) => {
        for (const id of ids.slice(i, i + recomputeBatch)) if ((await refreshHealthStatus(trx, deps, id)).changed) changed++;
      });
    }
    await db.transaction().execute((trx) =>
      audit(trx, deps, ctx, { action: 'health.status.recompute', objectType: 'health_incident', objectId: incident.id, details: { trigger, recomputed: ids.length, changed } }),
    );
    return { recomputed: ids.length, changed };
  }

  /** A person's stored status (computed now when there is none), explained. */
  async function explain(trx: Tx, person: { id: string; code: string; name: string }, unmasked: boolean): Promise<StatusView> {
    let row = await trx.selectFrom('health_statuses').selectAll().where('person_id', '=', person.id).executeTakeFirst();
    if (!row) {
      await refreshHealthStatus(trx, deps, person.id);
      row = await trx.selectFrom('health_statuses').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
    }
    const stored = row.facts;
    const status = row.status as HealthColour;
    const facts = { ...emptyFacts(), ...Object.fromEntries(FACT_NAMES.filter((k) => k in stored).map((k) => [k, stored[k]])) } as HealthFacts;
    const rule = await ruleRow(trx, row.rule);
    const ruleName = rule ? { zh: rule.name_zh, en: rule.name_en } : (fixedRuleNames[row.rule] ?? { zh: row.rule, en: row.rule });
    const computed = isBilingual(stored.explanation) ? stored.explanation : null;
    let explanation = computed ?? { zh: `${colourLabels[status].zh}：${ruleName.zh}`, en: `${colourLabels[status].en}: ${ruleName.en.toLowerCase()}` };
    if (row.rule === REVIEW) {
      const contest = typeof stored.contest === 'string' ? await trx.selectFrom('health_status_contests').select('valid_until').where('id', '=', stored.contest).executeTakeFirst() : undefined;
      const until = contest?.valid_until ?? '?';
      explanation = {
        zh: `${colourLabels[status].zh}：申诉复核改判，有效至 ${until}${computed ? `（规则判定：${computed.zh}）` : ''}`,
        en: `${colourLabels[status].en}: changed on review, valid through ${until}${computed ? ` (the rules gave: ${computed.en})` : ''}`,
      };
    }
    const contests = await contestRows(trx).where('c.person_id', '=', person.id).orderBy('c.submitted_at', 'desc').orderBy('c.id').limit(50).execute();
    return {
      person: { code: person.code, name: unmasked ? person.name : maskName(person.name) },
      status,
      rule: row.rule,
      ruleName,
      explanation,
      facts,
      matched: Array.isArray(stored.matched) ? (stored.matched as StatusView['matched']) : [],
      since: row.since.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      incidentId: row.incident_id,
      contests: contests.map(toContest),
    };
  }

  return {
    async rules(): Promise<{ rows: RuleView[] }> {
      const rows = await db.selectFrom('health_rules').select(['code', 'name_zh', 'name_en', 'status', 'priority', 'condition', 'enabled', 'updated_at', 'version']).orderBy('priority').orderBy('code').execute();
      return { rows: rows.map(toRule) };
    },

    async createRule(ctx: RequestContext, body: CreateRuleBody): Promise<{ rule: RuleView; recomputed: number; changed: number }> {
      const problems = ruleProblems(body);
      if (problems.length > 0) throw invalid(problems);
      const rule = await db.transaction().execute(async (trx) => {
        if (await ruleRow(trx, body.code)) throw conflict('RULE_EXISTS', `A rule ${body.code} already exists; change it instead`);
        const now = clock.now();
        await trx
          .insertInto('health_rules')
          .values({ code: body.code, name_zh: body.nameZh, name_en: body.nameEn, status: body.status, priority: body.priority, condition: JSON.stringify(body.when), enabled: body.enabled, created_at: now, updated_at: now })
          .execute();
        await audit(trx, deps, ctx, {
          action: 'health.rule.create',
          objectType: 'health_rule',
          objectId: body.code,
          changes: diffChanges(null, { nameZh: body.nameZh, nameEn: body.nameEn, status: body.status, priority: body.priority, when: body.when, enabled: body.enabled }),
        });
        return toRule((await ruleRow(trx, body.code))!);
      });
      return { rule, ...(await recomputeCovered(ctx, `rule ${body.code} created`)) };
    },

    async updateRule(ctx: RequestContext, code: string, body: UpdateRuleBody): Promise<{ rule: RuleView; recomputed: number; changed: number }> {
      const rule = await db.transaction().execute(async (trx) => {
        const before = await ruleRow(trx, code);
        if (!before) throw notFound('RULE_NOT_FOUND', `No rule ${code}`);
        if (before.version !== body.version) throw staleVersion();
        const { version: _version, ...fields } = body;
        const problems = ruleProblems({ code, ...fields });
        if (problems.length > 0) throw invalid(problems);
        const r = await trx
          .updateTable('health_rules')
          .set({ name_zh: body.nameZh, name_en: body.nameEn, status: body.status, priority: body.priority, condition: JSON.stringify(body.when), enabled: body.enabled, updated_at: clock.now(), version: before.version + 1 })
          .where('code', '=', code)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const old = toRule(before);
        await audit(trx, deps, ctx, {
          action: 'health.rule.update',
          objectType: 'health_rule',
          objectId: code,
          changes: diffChanges<Record<string, unknown>>(
            { nameZh: old.nameZh, nameEn: old.nameEn, status: old.status, priority: old.priority, when: sortedKeys(old.when), enabled: old.enabled },
            { ...fields, when: sortedKeys(fields.when) },
          ),
        });
        return toRule((await ruleRow(trx, code))!);
      });
      return { rule, ...(await recomputeCovered(ctx, `rule ${code} changed`)) };
    },

    recompute(ctx: RequestContext): Promise<{ recomputed: number; changed: number }> {
      return recomputeCovered(ctx, 'by hand');
    },

    /** The test bench: the status the facts would get under the stored or draft rules; nothing is stored. */
    async test(body: RuleTestBody) {
      let rules: StatusRule[];
      if (body.rules) {
        const problems = body.rules.flatMap((r, i) => ruleProblems(r).map((p) => `rules[${i}].${p}`));
        if (problems.length > 0) throw invalid(problems);
        rules = body.rules.map(toStatusRule);
      } else {
        rules = await statusRules(db);
      }
      const threshold = body.feverThresholdC ?? (await activeIncident(db))?.feverThresholdC ?? DEFAULT_FEVER_THRESHOLD_C;
      const facts = factsFrom(body.facts, threshold);
      return { ...evaluateStatus(rules, facts), facts };
    },

    async ofPerson(actor: Actor, code: string): Promise<StatusView> {
      return db.transaction().execute(async (trx) => {
        const person = await personInScope(trx, await scopeOf(trx, actor), code);
        return explain(trx, person, false);
      });
    },

    async mine(actor: Actor): Promise<StatusView> {
      return db.transaction().execute(async (trx) => {
        const person = await trx.selectFrom('people').select(['id', 'code', 'name']).where('user_id', '=', actor.userId).orderBy('code').executeTakeFirst();
        if (!person) throw notFound('NO_PERSON', 'Your account is not linked to a person record');
        return explain(trx, person, true);
      });
    },
  };
}
export type StatusService = ReturnType<typeof statusService>;
