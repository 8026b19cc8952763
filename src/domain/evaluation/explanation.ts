/**
 * Every number the evaluation produces comes with an explanation, so that the UI can explain
 * every point: which value, which rule (and which branch of it), which reference values, and the
 * arithmetic as a short string.
 */
export type ExplanationRule =
  | 'efficacy'
  | 'five-tier.at-or-above-excellent'
  | 'five-tier.band'
  | 'five-tier.below-poor'
  | 'add-deduct.at-or-better'
  | 'add-deduct.worse'
  | 'pass-fail.passed'
  | 'pass-fail.failed'
  | 'composite.arithmetic'
  | 'composite.geometric'
  | 'composite.sum'
  | 'composite.incomplete'
  | 'composite.vetoed'
  | 'grade.percentile'
  | 'grade.band'
  | 'grade.vetoed'
  | 'pay.score'
  | 'pay.grade'
  | 'pay.cadre';

export interface Explanation {
  /** The branch of the rule that produced the number: a stable key for the UI to translate. */
  rule: ExplanationRule;
  /** The value that was scored (an indicator value, a condition, a score, a grade). */
  value: number | boolean | string | null;
  /** The reference values used, by name (satisfactory, excellent, base, weight…). */
  references: Record<string, number>;
  /** Where references came from when they were not fixed (e.g. satisfactory: 'peer-best'). */
  sources?: Record<string, string>;
  /** The arithmetic, e.g. "60 + 40 × (5.81 − 6) ÷ (12 − 6) ≈ 58.7333 → 58.73". */
  arithmetic: string;
  /** Set when a cap or floor (or a clamp of a range) changed the result. */
  limitedBy?: 'cap' | 'floor';
}

/** A scored item: the score rounded as the scheme says, the unrounded value, and why. */
export interface ItemScore {
  /** Rounded half away from zero (2 decimals unless the scheme says otherwise). */
  score: number;
  /** Before rounding (after any cap or floor), the nearest number to the exact value. */
  raw: number;
  explanation: Explanation;
}

/**
 * A scoring rule or input that cannot be scored (satisfactory equal to impermissible, tiers out of
 * order, a negative score in a geometric mean…). `field` names the part that is wrong.
 */
export class ScoringError extends Error {
  readonly code = 'SCORING_INVALID';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Throws ScoringError unless the number is finite. */
export function requireFinite(x: number, field: string): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ScoringError(`${field} must be a finite number`, field);
}

/** Throws ScoringError unless an optional cap is at least an optional floor. */
export function requireCapAboveFloor(cap: number | null | undefined, floor: number | null | undefined): void {
  if (cap !== null && cap !== undefined) requireFinite(cap, 'cap');
  if (floor !== null && floor !== undefined) requireFinite(floor, 'floor');
  if (cap !== null && cap !== undefined && floor !== null && floor !== undefined && cap < floor) throw new ScoringError('The cap must not be below the floor', 'cap');
}
