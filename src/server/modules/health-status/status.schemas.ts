import { z } from 'zod';
import { isoDate } from '../../schemas';
import { personCode } from '../access-live/access-scope';

export const colour = z.enum(['green', 'yellow', 'red']);
const bilingual = z.object({ zh: z.string(), en: z.string() });

// ---- status rules ----------------------------------------------------------------------------

const clauseOut = z.object({ fact: z.string(), op: z.string(), value: z.unknown().optional() });
export const conditionSchema = z.object({ all: z.array(clauseOut).optional(), any: z.array(clauseOut).optional() });

export const ruleSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  status: colour,
  /** Among rules of the same colour the lower number decides. */
  priority: z.number().int(),
  /** { all: [clauses], any: [clauses] }; a clause is { fact, op, value }. */
  when: conditionSchema,
  enabled: z.boolean(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type RuleView = z.infer<typeof ruleSchema>;
export const ruleList = z.object({ rows: z.array(ruleSchema) });

/**
 * A rule as the editor sends it. Only the outline is checked here; validateRule (src/domain/health/
 * status-rules.ts) checks facts, operators and values and answers 422 RULE_INVALID with the problems.
 */
const ruleFields = {
  nameZh: z.string().max(100),
  nameEn: z.string().max(100),
  status: z.string().max(20),
  priority: z.number().int().min(0).max(100_000),
  when: z.record(z.string(), z.unknown()).describe('{ all?: [{ fact, op, value? }], any?: [...] }'),
  enabled: z.boolean().default(true),
};
export const createRuleBody = z.strictObject({ code: z.string().max(40), ...ruleFields });
export type CreateRuleBody = z.infer<typeof createRuleBody>;
export const updateRuleBody = z.strictObject({ ...ruleFields, version: z.number().int().min(1) });
export type UpdateRuleBody = z.infer<typeof updateRuleBody>;
export const ruleParams = z.strictObject({ code: z.string().max(40) });

export const recomputeResult = z.object({
  /** People of the active incident whose status was recomputed (0 without an active incident). */
  recomputed: z.number().int(),
  /** Of them, those whose colour changed. */
  changed: z.number().int(),
});
export const ruleWriteResult = recomputeResult.extend({ rule: ruleSchema });

// ---- facts and the test bench -------------------------------------------------------------------

export const factsSchema = z.object({
  temperatureC: z.number().nullable(),
  fever: z.boolean(),
  symptoms: z.array(z.string()),
  riskTravelDaysAgo: z.number().nullable(),
  riskTravelLevel: z.enum(['high', 'medium', 'low']).nullable(),
  closeContact: z.boolean(),
  inQuarantine: z.boolean(),
  suspectedCase: z.boolean(),
  confirmedCase: z.boolean(),
  declaredToday: z.boolean(),
});

/** Facts to try; the ones left out are empty (no reading, no symptoms, no travel, no contact). */
export const factsInput = z.strictObject({
  temperatureC: z.number().min(30).max(45).nullable().optional(),
  /** Derived from temperatureC and the threshold unless given. */
  fever: z.boolean().optional(),
  symptoms: z.array(z.string().max(40)).max(20).optional(),
  riskTravelDaysAgo: z.number().int().min(0).max(366).nullable().optional(),
  riskTravelLevel: z.enum(['high', 'medium', 'low']).nullable().optional(),
  closeContact: z.boolean().optional(),
  inQuarantine: z.boolean().optional(),
  suspectedCase: z.boolean().optional(),
  confirmedCase: z.boolean().optional(),
  declaredToday: z.boolean().optional(),
});

export const ruleTestBody = z.strictObject({
  facts: factsInput,
  /** Draft rules to try instead of the stored ones (each with its code). */
  rules: z.array(createRuleBody).max(100).optional(),
  /** Default: the active incident's threshold, else 37.3. */
  feverThresholdC: z.number().min(35).max(42).optional(),
});
export type RuleTestBody = z.infer<typeof ruleTestBody>;

const matchedSchema = z.object({
  rule: z.string(),
  status: colour,
  clauses: z.array(z.object({ fact: z.string(), op: z.string(), value: z.unknown(), actual: z.unknown() })),
});
export const statusResultSchema = z.object({
  status: colour,
  /** The deciding rule's code, or DEFAULT_GREEN. */
  rule: z.string(),
  /** Every rule that matched, most severe first, with the values it saw. */
  matched: z.array(matchedSchema),
  explanation: bilingual,
  /** The facts as evaluated (fever derived from the reading). */
  facts: factsSchema,
});

// ---- contests ---------------------------------------------------------------------------------

export const contestSchema = z.object({
  id: z.string(),
  /** Name masked. */
  person: z.object({ code: z.string(), name: z.string() }),
  incidentId: z.string().nullable(),
  /** The status, rule and facts contested (a snapshot). */
  status: colour,
  rule: z.string(),
  facts: z.record(z.string(), z.unknown()),
  reason: z.string(),
  submittedAt: z.string(),
  submittedBy: z.string().nullable(),
  decision: z.enum(['upheld', 'overturned']).nullable(),
  newStatus: colour.nullable(),
  /** An overturned status holds through this day unless a more severe fact appears. */
  validUntil: z.string().nullable(),
  decisionNote: z.string().nullable(),
  reviewer: z.string().nullable(),
  decidedAt: z.string().nullable(),
  version: z.number().int(),
});
export type ContestView = z.infer<typeof contestSchema>;
export const contestList = z.object({ rows: z.array(contestSchema) });

export const contestBody = z.strictObject({ person: personCode, reason: z.string().trim().min(1).max(1000) });
export const contestQuery = z.strictObject({ state: z.enum(['open', 'decided']).optional(), person: personCode.optional() });
export const contestParams = z.strictObject({ id: z.uuid() });
export const decideBody = z.strictObject({
  decision: z.enum(['upheld', 'overturned']),
  /** Required when overturned, and different from the contested status. */
  newStatus: colour.optional(),
  /** Default: today + 7 days (Asia/Shanghai); only for an overturned status. */
  validUntil: isoDate.optional(),
  note: z.string().trim().min(1).max(1000),
  version: z.number().int().min(1),
});
export type DecideBody = z.infer<typeof decideBody>;
export const decideResult = contestSchema.extend({ personStatus: z.object({ status: colour, rule: z.string() }) });
export type DecideResult = z.infer<typeof decideResult>;

// ---- a person's status, explained ---------------------------------------------------------------

export const statusParams = z.strictObject({ code: personCode });
export const statusView = z.object({
  /** Name masked, except on your own status. */
  person: z.object({ code: z.string(), name: z.string() }),
  status: colour,
  /** The deciding rule: a rule code, DEFAULT_GREEN (no rule matched), REVIEW (a contest's decision) or manual. */
  rule: z.string(),
  ruleName: bilingual,
  explanation: bilingual,
  facts: factsSchema,
  matched: z.array(matchedSchema),
  since: z.string(),
  updatedAt: z.string(),
  incidentId: z.string().nullable(),
  /** The person's contests, newest first. */
  contests: z.array(contestSchema),
});
export type StatusView = z.infer<typeof statusView>;
