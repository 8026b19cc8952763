/**
 * Scores of single items (one indicator of one unit in one period), computed exactly and rounded
 * once (2 decimals unless the scheme says otherwise; SASAC scores single items to 2 decimals).
 */
import { add, cmp, div, exact, mul, neg, operand, roundExact, showExact, showNumber, showResult, sub, toNumber, type Exact } from './decimal';
import { requireCapAboveFloor, requireFinite, ScoringError, type Explanation, type ItemScore } from './explanation';

/** Item scores have 2 decimals unless the scheme says otherwise. */
export const ITEM_DECIMALS = 2;

export type Better = 'higher' | 'lower';

function limit(raw: Exact, cap: number | null | undefined, floor: number | null | undefined): { value: Exact; limitedBy?: 'cap' | 'floor' } {
  if (cap !== null && cap !== undefined && cmp(raw, exact(cap)) > 0) return { value: exact(cap), limitedBy: 'cap' };
  if (floor !== null && floor !== undefined && cmp(raw, exact(floor)) < 0) return { value: exact(floor), limitedBy: 'floor' };
  return { value: raw };
}

/** Rounds once and writes the arithmetic: "<formula> = <raw>[; capped at <cap>] → <score>" (no "= raw" for a plain fact). */
function finish(raw: Exact, limited: { value: Exact; limitedBy?: 'cap' | 'floor' }, decimals: number, explanation: Omit<Explanation, 'arithmetic' | 'limitedBy'>, arithmetic: string, showRaw = true): ItemScore {
  const score = roundExact(limited.value, decimals);
  const limitText = limited.limitedBy ? `; ${limited.limitedBy === 'cap' ? 'capped at' : 'floored at'} ${showExact(limited.value)}` : '';
  return {
    score,
    raw: toNumber(limited.value),
    explanation: { ...explanation, arithmetic: `${arithmetic}${showRaw ? ` ${showResult(raw)}` : ''}${limitText} → ${showNumber(score)}`, ...(limited.limitedBy ? { limitedBy: limited.limitedBy } : {}) },
  };
}

// ---------------------------------------------------------------------------------------------
// Efficacy coefficient (功效系数法)

export interface EfficacyRule {
  /** 满意值: the value that scores 100. */
  satisfactory: number;
  /** 不允许值: the value that scores 60. */
  impermissible: number;
  /** Highest score allowed (none unless given; beyond satisfactory the formula gives more than 100). */
  cap?: number | null;
  /** Lowest score allowed (none unless given; below impermissible the formula gives less than 60, even negative). */
  floor?: number | null;
  /** When given, the references must point this way (satisfactory above impermissible for 'higher'). */
  direction?: Better;
  /** Where the references came from, for the explanation (set by resolveEfficacyRule). */
  sources?: { satisfactory: ReferenceKind; impermissible: ReferenceKind };
}

/** Throws ScoringError when an efficacy rule cannot score. */
export function checkEfficacyRule(rule: EfficacyRule): void {
  requireFinite(rule.satisfactory, 'satisfactory');
  requireFinite(rule.impermissible, 'impermissible');
  if (rule.satisfactory === rule.impermissible) throw new ScoringError('The satisfactory and impermissible values must differ', 'satisfactory');
  if (rule.direction === 'higher' && rule.satisfactory < rule.impermissible) throw new ScoringError('Higher is better, so the satisfactory value must be above the impermissible value', 'satisfactory');
  if (rule.direction === 'lower' && rule.satisfactory > rule.impermissible) throw new ScoringError('Lower is better, so the satisfactory value must be below the impermissible value', 'satisfactory');
  requireCapAboveFloor(rule.cap, rule.floor);
}

/** Efficacy score 60 + 40 × (x − impermissible) ÷ (satisfactory − impermissible), capped and floored if the rule says so. */
export function scoreEfficacy(value: number, rule: EfficacyRule, decimals = ITEM_DECIMALS): ItemScore {
  requireFinite(value, 'value');
  checkEfficacyRule(rule);
  const x = exact(value);
  const s = exact(rule.impermissible);
  const h = exact(rule.satisfactory);
  // Lower is better when h < s: numerator and denominator change sign together, same formula.
  const raw = add(exact(60), div(mul(exact(40), sub(x, s)), sub(h, s)));
  const references: Record<string, number> = { satisfactory: rule.satisfactory, impermissible: rule.impermissible };
  if (rule.cap !== null && rule.cap !== undefined) references.cap = rule.cap;
  if (rule.floor !== null && rule.floor !== undefined) references.floor = rule.floor;
  return finish(
    raw,
    limit(raw, rule.cap, rule.floor),
    decimals,
    { rule: 'efficacy', value, references, ...(rule.sources ? { sources: { ...rule.sources } } : {}) },
    `60 + 40 × (${operand(value)} − ${operand(rule.impermissible)}) ÷ (${operand(rule.satisfactory)} − ${operand(rule.impermissible)})`,
  );
}

/** Where an efficacy reference value comes from. */
export type ReferenceKind = 'fixed' | 'benchmark' | 'peer-best' | 'peer-worst';
export type ReferenceSource = { kind: 'fixed'; value: number } | { kind: 'benchmark' } | { kind: 'peer-best' } | { kind: 'peer-worst' };

export interface EfficacySpec {
  satisfactory: ReferenceSource;
  impermissible: ReferenceSource;
  cap?: number | null;
  floor?: number | null;
}

export interface ReferenceContext {
  /** The benchmark value for this indicator, unit and period, if there is one. */
  benchmark: number | null;
  /** The values of the peers compared (include the unit itself when it is one of them). */
  peerValues: readonly number[];
  direction: Better;
}

export type ResolvedEfficacy =
  | { ok: true; rule: EfficacyRule }
  | { ok: false; problem: 'NO_BENCHMARK' | 'NO_PEER_VALUES' | 'REFERENCES_EQUAL' | 'REFERENCES_INVERTED'; message: string };

/** Resolves an efficacy spec's two references (fixed, benchmark, peer best or peer worst by direction) into a rule. */
export function resolveEfficacyRule(spec: EfficacySpec, context: ReferenceContext): ResolvedEfficacy {
  context.peerValues.forEach((v, i) => requireFinite(v, `peerValues[${i}]`));
  const higher = context.direction === 'higher';
  const resolve = (source: ReferenceSource): number | 'NO_BENCHMARK' | 'NO_PEER_VALUES' => {
    if (source.kind === 'fixed') return source.value;
    if (source.kind === 'benchmark') return context.benchmark ?? 'NO_BENCHMARK';
    if (context.peerValues.length === 0) return 'NO_PEER_VALUES';
    // The peer best is the largest value when higher is better, the smallest when lower is; the worst the other way.
    const largest = (source.kind === 'peer-best') === higher;
    return largest ? Math.max(...context.peerValues) : Math.min(...context.peerValues);
  };
  const satisfactory = resolve(spec.satisfactory);
  const impermissible = resolve(spec.impermissible);
  for (const r of [satisfactory, impermissible]) {
    if (r === 'NO_BENCHMARK') return { ok: false, problem: r, message: 'There is no benchmark value to take a reference from' };
    if (r === 'NO_PEER_VALUES') return { ok: false, problem: r, message: 'There are no peer values to take a reference from' };
  }
  const [h, s] = [satisfactory as number, impermissible as number];
  requireFinite(h, 'satisfactory');
  requireFinite(s, 'impermissible');
  if (h === s) return { ok: false, problem: 'REFERENCES_EQUAL', message: `The satisfactory and impermissible values are both ${h}` };
  if (higher ? h < s : h > s) return { ok: false, problem: 'REFERENCES_INVERTED', message: `The satisfactory value ${h} is worse than the impermissible value ${s}` };
  return {
    ok: true,
    rule: { satisfactory: h, impermissible: s, cap: spec.cap ?? null, floor: spec.floor ?? null, direction: context.direction, sources: { satisfactory: spec.satisfactory.kind, impermissible: spec.impermissible.kind } },
  };
}

// ---------------------------------------------------------------------------------------------
// Five-tier standard values (SASAC 企业绩效评价)
//
// Score = 本档基础分 + 调整分: this tier's base (weight × tier coefficient) plus (x − this tier) ÷
// (next tier up − this tier) × (next tier's base − this tier's base), where "this tier" is the best
// tier the value reaches. At or beyond excellent the item scores its full weight and never more
// (verified SASAC rule). Worse than poor it scores 0: the research notes give this for tiered
// standard scoring ("实际完成值低于低级标准的，按零分计算") and the SASAC assembly itself is marked
// unverified there, so the 0 is a documented choice, not a quoted rule. At poor exactly the item
// still scores weight × 0.2, so the score steps down to 0 just below poor.

export type FiveNumbers = readonly [number, number, number, number, number];

export const TIER_NAMES = ['excellent', 'good', 'average', 'low', 'poor'] as const;
/** SASAC standard coefficients of 优秀/良好/平均/较低/较差 (research notes: attributed to 国资发评价〔2006〕157号, unverified). */
export const SASAC_TIER_COEFFICIENTS: FiveNumbers = [1, 0.8, 0.6, 0.4, 0.2];

export interface FiveTierRule {
  /** 指标权数: the item's weight, also its highest score. */
  weight: number;
  /** Standard values from best to worst (excellent, good, average, low, poor), ascending or descending. */
  tiers: FiveNumbers;
  /** Tier coefficients from excellent to poor: 1 first, strictly decreasing, ≥ 0 (SASAC's unless given). */
  coefficients?: FiveNumbers;
}

/** Throws ScoringError when a five-tier rule cannot score. */
export function checkFiveTierRule(rule: FiveTierRule): void {
  requireFinite(rule.weight, 'weight');
  if (rule.weight <= 0) throw new ScoringError('The weight must be above 0', 'weight');
  if (!Array.isArray(rule.tiers) || rule.tiers.length !== 5) throw new ScoringError('Five standard values are needed: excellent, good, average, low, poor', 'tiers');
  rule.tiers.forEach((t, i) => requireFinite(t, `tiers[${i}]`));
  const higher = rule.tiers[0] > rule.tiers[4];
  for (let i = 1; i < 5; i++) {
    const [better, worse] = [rule.tiers[i - 1]!, rule.tiers[i]!];
    if (higher ? !(better > worse) : !(better < worse)) throw new ScoringError('The standard values must run strictly from excellent to poor, all ascending or all descending', `tiers[${i}]`);
  }
  const c = rule.coefficients ?? SASAC_TIER_COEFFICIENTS;
  if (!Array.isArray(c) || c.length !== 5) throw new ScoringError('Five tier coefficients are needed', 'coefficients');
  c.forEach((k, i) => requireFinite(k, `coefficients[${i}]`));
  if (c[0] !== 1) throw new ScoringError('The coefficient of excellent must be 1, so that excellent scores the full weight', 'coefficients[0]');
  for (let i = 1; i < 5; i++) if (!(c[i]! < c[i - 1]!)) throw new ScoringError('Tier coefficients must decrease from excellent to poor', `coefficients[${i}]`);
  if (c[4]! < 0) throw new ScoringError('Tier coefficients must not be negative', 'coefficients[4]');
}

/** Five-tier score: this tier's base + (x − this tier) ÷ (next tier up − this tier) × (next tier's base − this base); full weight from excellent, 0 worse than poor. */
export function scoreFiveTier(value: number, rule: FiveTierRule, decimals = ITEM_DECIMALS): ItemScore {
  requireFinite(value, 'value');
  checkFiveTierRule(rule);
  const coefficients = rule.coefficients ?? SASAC_TIER_COEFFICIENTS;
  const higher = rule.tiers[0] > rule.tiers[4];
  // Compare by goodness, so one code path serves both numeric orders (mirror images score alike).
  const good = (v: Exact): Exact => (higher ? v : neg(v));
  const x = exact(value);
  const tiers = rule.tiers.map(exact);
  const w = exact(rule.weight);
  const references: Record<string, number> = { weight: rule.weight };
  TIER_NAMES.forEach((name, i) => (references[name] = rule.tiers[i]!));
  const base = { rule: 'five-tier.band' as const, value, references };

  if (cmp(good(x), good(tiers[0]!)) >= 0) {
    return finish(w, { value: w }, decimals, { ...base, rule: 'five-tier.at-or-above-excellent' }, `${showNumber(value)} reaches excellent ${showNumber(rule.tiers[0])}: the full weight ${showNumber(rule.weight)}`, false);
  }
  if (cmp(good(x), good(tiers[4]!)) < 0) {
    return finish(exact(0), { value: exact(0) }, decimals, { ...base, rule: 'five-tier.below-poor' }, `${showNumber(value)} is worse than poor ${showNumber(rule.tiers[4])}: 0`, false);
  }
  // The tier reached (本档): the best tier that x is at or beyond; the next tier up (上档) is one better.
  const i = [1, 2, 3, 4].find((k) => cmp(good(x), good(tiers[k]!)) >= 0)!;
  const [t, tUp] = [rule.tiers[i]!, rule.tiers[i - 1]!];
  const tierBase = mul(w, exact(coefficients[i]!));
  const upBase = mul(w, exact(coefficients[i - 1]!));
  const coefficient = div(sub(x, tiers[i]!), sub(tiers[i - 1]!, tiers[i]!));
  const raw = add(tierBase, mul(coefficient, sub(upBase, tierBase)));
  references.thisTierCoefficient = coefficients[i]!;
  references.nextTierCoefficient = coefficients[i - 1]!;
  return finish(
    raw,
    { value: raw },
    decimals,
    { ...base, sources: { thisTier: TIER_NAMES[i]!, nextTier: TIER_NAMES[i - 1]! } },
    `${operand(rule.weight)} × ${coefficients[i]} + (${operand(value)} − ${operand(t)}) ÷ (${operand(tUp)} − ${operand(t)}) × (${operand(rule.weight)} × ${coefficients[i - 1]} − ${operand(rule.weight)} × ${coefficients[i]})` +
      ` = ${showExact(tierBase)} + ${showExact(coefficient)} × ${showExact(sub(upBase, tierBase))}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Add / deduct per unit

export interface AddDeductRule {
  /** The value that earns the base points (e.g. 100 % of plan). */
  base: number;
  /** Points at the base value (e.g. 10). */
  basePoints: number;
  /** Points added per unit better than the base (e.g. 1 per percentage point); also deducted per unit worse unless perUnitWorse is given. */
  perUnit: number;
  /** Points deducted per unit worse than the base, when it differs from perUnit. */
  perUnitWorse?: number | null;
  /** 'higher' unless given: above the base is better. */
  direction?: Better;
  /** Most points (e.g. 15); none unless given. */
  cap?: number | null;
  /** Fewest points (e.g. 0); none unless given. */
  floor?: number | null;
}

/** Throws ScoringError when an add/deduct rule cannot score. */
export function checkAddDeductRule(rule: AddDeductRule): void {
  requireFinite(rule.base, 'base');
  requireFinite(rule.basePoints, 'basePoints');
  requireFinite(rule.perUnit, 'perUnit');
  if (rule.perUnit < 0) throw new ScoringError('Points per unit must not be negative (the direction says which way is better)', 'perUnit');
  if (rule.perUnitWorse !== null && rule.perUnitWorse !== undefined) {
    requireFinite(rule.perUnitWorse, 'perUnitWorse');
    if (rule.perUnitWorse < 0) throw new ScoringError('Points deducted per unit must not be negative', 'perUnitWorse');
  }
  if (rule.direction !== undefined && rule.direction !== 'higher' && rule.direction !== 'lower') throw new ScoringError('The direction must be higher or lower', 'direction');
  requireCapAboveFloor(rule.cap, rule.floor);
}

/** Add/deduct score: base points plus (or minus) points per unit better (or worse) than the base value, proportionally, then cap and floor. */
export function scoreAddDeduct(value: number, rule: AddDeductRule, decimals = ITEM_DECIMALS): ItemScore {
  requireFinite(value, 'value');
  checkAddDeductRule(rule);
  const higher = (rule.direction ?? 'higher') === 'higher';
  const x = exact(value);
  const b = exact(rule.base);
  const gap = higher ? sub(x, b) : sub(b, x); // positive = better
  const worse = cmp(gap, exact(0)) < 0;
  const rate = worse ? (rule.perUnitWorse ?? rule.perUnit) : rule.perUnit;
  const raw = add(exact(rule.basePoints), mul(gap, exact(rate)));
  const distance = worse !== higher ? `(${operand(value)} − ${operand(rule.base)})` : `(${operand(rule.base)} − ${operand(value)})`;
  const references: Record<string, number> = { base: rule.base, basePoints: rule.basePoints, perUnit: rule.perUnit };
  if (rule.perUnitWorse !== null && rule.perUnitWorse !== undefined) references.perUnitWorse = rule.perUnitWorse;
  if (rule.cap !== null && rule.cap !== undefined) references.cap = rule.cap;
  if (rule.floor !== null && rule.floor !== undefined) references.floor = rule.floor;
  return finish(
    raw,
    limit(raw, rule.cap, rule.floor),
    decimals,
    { rule: worse ? 'add-deduct.worse' : 'add-deduct.at-or-better', value, references },
    `${operand(rule.basePoints)} ${worse ? '−' : '+'} ${distance} × ${operand(rate)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Pass / fail

export interface PassFailRule {
  /** Points when the condition holds. */
  points: number;
  /** For a numeric value: the condition is "at or beyond the threshold" in the direction. */
  threshold?: number | null;
  direction?: Better;
}

/** Pass/fail score: full points when the condition holds (true, or a number at or beyond the threshold), else 0. */
export function scorePassFail(value: boolean | number, rule: PassFailRule, decimals = ITEM_DECIMALS): ItemScore {
  requireFinite(rule.points, 'points');
  let holds: boolean;
  let arithmetic: string;
  const references: Record<string, number> = { points: rule.points };
  if (typeof value === 'boolean') {
    holds = value;
    arithmetic = holds ? 'the condition holds' : 'the condition does not hold';
  } else {
    requireFinite(value, 'value');
    if (rule.threshold === null || rule.threshold === undefined) throw new ScoringError('A numeric pass/fail condition needs a threshold', 'threshold');
    requireFinite(rule.threshold, 'threshold');
    const higher = (rule.direction ?? 'higher') === 'higher';
    const c = cmp(exact(value), exact(rule.threshold));
    holds = higher ? c >= 0 : c <= 0;
    references.threshold = rule.threshold;
    arithmetic = `${showNumber(value)} ${holds ? (higher ? '≥' : '≤') : higher ? '<' : '>'} ${showNumber(rule.threshold)}`;
  }
  const points = holds ? exact(rule.points) : exact(0);
  return finish(points, { value: points }, decimals, { rule: holds ? 'pass-fail.passed' : 'pass-fail.failed', value, references }, `${arithmetic}: ${holds ? showNumber(rule.points) : 0} points`, false);
}
