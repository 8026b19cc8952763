/**
 * The composite (综合得分) of a unit's item scores for a period, with weights valid over date
 * ranges and one-vote vetoes (一票否决). Item scores are rounded first (2 decimals unless the scheme
 * says otherwise) and the composite is computed from the rounded items, so that the printed items
 * add up to the printed total; the total is rounded once (1 decimal unless the scheme says otherwise).
 */
import { div, exact, isExactAt, mul, operand, roundExact, showExact, showNumber, showResult, sum, toNumber, type Exact } from './decimal';
import { requireFinite, ScoringError, type Explanation } from './explanation';
import { ITEM_DECIMALS } from './item-scoring';

/** Composite totals have 1 decimal unless the scheme says otherwise. */
export const TOTAL_DECIMALS = 1;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface DatedWeight {
  /** The item (usually the indicator code) the weight applies to. */
  key: string;
  weight: number;
  /** First day the weight applies, 'YYYY-MM-DD'. */
  validFrom: string;
  /** Last day the weight applies (inclusive, like units' valid_to), or null while open. */
  validTo: string | null;
}

/** Throws ScoringError when a weight is negative or not finite, a date is malformed, or two weights of one item overlap in time. */
export function checkDatedWeights(weights: readonly DatedWeight[]): void {
  const byKey = new Map<string, DatedWeight[]>();
  weights.forEach((w, i) => {
    requireFinite(w.weight, `weights[${i}].weight`);
    if (w.weight < 0) throw new ScoringError('A weight must not be negative', `weights[${i}].weight`);
    if (!ISO_DATE.test(w.validFrom)) throw new ScoringError('validFrom must be a date YYYY-MM-DD', `weights[${i}].validFrom`);
    if (w.validTo !== null && !ISO_DATE.test(w.validTo)) throw new ScoringError('validTo must be a date YYYY-MM-DD or null', `weights[${i}].validTo`);
    if (w.validTo !== null && w.validTo < w.validFrom) throw new ScoringError('validTo is before validFrom', `weights[${i}].validTo`);
    byKey.set(w.key, [...(byKey.get(w.key) ?? []), w]);
  });
  for (const [key, list] of byKey) {
    const sorted = [...list].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]!;
      if (previous.validTo === null || previous.validTo >= sorted[i]!.validFrom) throw new ScoringError(`Two weights of ${key} overlap from ${sorted[i]!.validFrom}`, 'weights');
    }
  }
}

/** The weight of each item on a date ('YYYY-MM-DD', e.g. the period's last day): the one whose validity covers it. */
export function weightsAt(weights: readonly DatedWeight[], date: string): Map<string, number> {
  if (!ISO_DATE.test(date)) throw new ScoringError('The date must be YYYY-MM-DD', 'date');
  checkDatedWeights(weights);
  const result = new Map<string, number>();
  for (const w of weights) if (w.validFrom <= date && (w.validTo === null || date <= w.validTo)) result.set(w.key, w.weight);
  return result;
}

/**
 * arithmetic: Σ wᵢdᵢ ÷ Σ wᵢ (weights need not add up to 1); geometric: Π dᵢ^(wᵢ ÷ Σ wᵢ), which
 * punishes one weak item harder; sum: Σ wᵢdᵢ, for points schemes (five-tier, add/deduct) whose items
 * already carry their weight: give those weight 1.
 */
export type Aggregation = 'arithmetic' | 'geometric' | 'sum';

export interface CompositeRule {
  aggregation: Aggregation;
  itemDecimals?: number;
  totalDecimals?: number;
}

export interface CompositeItem {
  key: string;
  /** The item's score; null when it could not be scored (missing or unconfirmed data). */
  score: number | null;
}

export interface VetoCondition {
  /** Why, e.g. "重大安全事故 2020-03-05". */
  reason: string;
  triggered: boolean;
}

export interface CompositeResult {
  /** The rounded total; 0 when vetoed; null when a weighted item has no score or nothing is weighted. */
  score: number | null;
  /** The rounded total the unit would have had without a veto (null when incomplete). */
  unvetoedScore: number | null;
  /** The unrounded total before any veto (null when incomplete). */
  raw: number | null;
  vetoed: boolean;
  vetoReasons: string[];
  /** The items counted, with their rounded scores and weights. */
  items: { key: string; score: number; weight: number }[];
  /** Weighted items without a score: the composite waits for them rather than guess. */
  missing: string[];
  /** Scored items without a weight on the date: not counted. */
  unweighted: string[];
  explanation: Explanation;
}

function exponentText(share: Exact, weight: number, total: Exact): string {
  return isExactAt(share, 4) ? showExact(share) : `(${operand(weight)}/${showExact(total)})`;
}

/** The composite of item scores (weighted arithmetic mean, weighted geometric mean or weighted sum), zeroed by any triggered veto. */
export function scoreComposite(items: readonly CompositeItem[], weights: ReadonlyMap<string, number>, rule: CompositeRule, vetoes: readonly VetoCondition[] = []): CompositeResult {
  const itemDecimals = rule.itemDecimals ?? ITEM_DECIMALS;
  const totalDecimals = rule.totalDecimals ?? TOTAL_DECIMALS;
  if (!['arithmetic', 'geometric', 'sum'].includes(rule.aggregation)) throw new ScoringError('The aggregation must be arithmetic, geometric or sum', 'aggregation');
  for (const [field, d] of [['itemDecimals', itemDecimals], ['totalDecimals', totalDecimals]] as const) {
    if (!Number.isInteger(d) || d < 0 || d > 10) throw new ScoringError(`${field} must be a whole number from 0 to 10`, field);
  }
  const scores = new Map<string, number | null>();
  items.forEach((item, i) => {
    if (scores.has(item.key)) throw new ScoringError(`${item.key} is scored twice`, `items[${i}].key`);
    if (item.score !== null) requireFinite(item.score, `items[${i}].score`);
    scores.set(item.key, item.score === null ? null : roundExact(exact(item.score), itemDecimals));
  });
  for (const [key, w] of weights) {
    requireFinite(w, `weights.${key}`);
    if (w < 0) throw new ScoringError('A weight must not be negative', `weights.${key}`);
  }
  vetoes.forEach((v, i) => {
    if (v.triggered && !v.reason.trim()) throw new ScoringError('A veto needs a reason', `vetoes[${i}].reason`);
  });

  // A zero weight means the item is not in the scheme on that date.
  const counted = [...weights].filter(([, w]) => w > 0).map(([key, weight]) => ({ key, weight, score: scores.get(key) ?? null }));
  const missing = counted.filter((c) => c.score === null).map((c) => c.key);
  const unweighted = [...scores.keys()].filter((k) => !((weights.get(k) ?? 0) > 0));
  const used = counted.filter((c): c is { key: string; weight: number; score: number } => c.score !== null);
  const references = Object.fromEntries(used.map((c) => [c.key, c.weight]));
  const vetoReasons = vetoes.filter((v) => v.triggered).map((v) => v.reason);

  let raw: Exact | null = null;
  let arithmetic: string;
  if (counted.length === 0 || missing.length > 0) {
    arithmetic = counted.length === 0 ? 'no weighted items' : `waiting for ${missing.join(', ')}`;
  } else {
    const total = sum(used.map((c) => exact(c.weight)));
    const weighted = (c: { weight: number; score: number }) => (c.weight === 1 && rule.aggregation === 'sum' ? operand(c.score) : `${operand(c.weight)} × ${operand(c.score)}`);
    if (rule.aggregation === 'geometric') {
      const shares = used.map((c) => ({ ...c, share: div(exact(c.weight), total) }));
      const negative = shares.find((c) => c.score < 0);
      if (negative) throw new ScoringError(`A geometric mean needs item scores of 0 or more, and ${negative.key} scored ${negative.score}: give the item rule a floor of 0`, `items.${negative.key}`);
      const product = shares.reduce((p, c) => p * Math.pow(c.score, toNumber(c.share)), 1);
      // A root is irrational: floating point, then 12 significant digits so that noise cannot decide a tie.
      raw = exact(Number(product.toPrecision(12)));
      arithmetic = `${shares.map((c) => `${operand(c.score)}^${exponentText(c.share, c.weight, total)}`).join(' × ')} ${showResult(raw)}`;
    } else {
      const weightedSum = sum(used.map((c) => mul(exact(c.weight), exact(c.score))));
      if (rule.aggregation === 'sum') {
        raw = weightedSum;
        arithmetic = `${used.map(weighted).join(' + ')} ${showResult(raw)}`;
      } else {
        raw = div(weightedSum, total);
        arithmetic = `(${used.map(weighted).join(' + ')}) ÷ ${showExact(total)} ${showResult(raw)}`;
      }
    }
  }

  const unvetoedScore = raw === null ? null : roundExact(raw, totalDecimals);
  const vetoed = vetoReasons.length > 0;
  const score = vetoed ? 0 : unvetoedScore;
  const ruleKey: Explanation['rule'] = vetoed ? 'composite.vetoed' : raw === null ? 'composite.incomplete' : `composite.${rule.aggregation}`;
  if (unvetoedScore !== null) arithmetic += ` → ${showNumber(unvetoedScore)}`;
  if (vetoed) arithmetic += `; vetoed (一票否决): ${vetoReasons.join('; ')} → 0`;
  return {
    score,
    unvetoedScore,
    raw: raw === null ? null : toNumber(raw),
    vetoed,
    vetoReasons,
    items: used.map(({ key, score: s, weight }) => ({ key, score: s, weight })),
    missing,
    unweighted,
    explanation: { rule: ruleKey, value: raw === null ? null : toNumber(raw), references, arithmetic },
  };
}
