/**
 * Validation of a whole evaluation scheme before it is saved: every problem at once, each with a
 * field path ("items[2].params.satisfactory") and a stable code, so an editor can show it at its
 * field. The rules are the calculators' own checks (checkEfficacyRule, checkFiveTierRule,
 * checkAddDeductRule, checkPayPoints, the grading cut checks, cadreCoefficient's range), run on
 * the scheme's parameters, plus what only a whole scheme can get wrong (weights, overlapping
 * validity, duplicate units, a pay mapping that is neither by score nor by grade).
 */
import { checkDatedWeights } from './composite';
import { ScoringError, requireCapAboveFloor } from './explanation';
import { FIVE_EQUAL_BANDS, GRADES, gradeByBands, gradeByPercentile, type Grade } from './grading';
import { checkAddDeductRule, checkEfficacyRule, checkFiveTierRule, type Better, type FiveNumbers, type ReferenceSource } from './item-scoring';
import { checkPayPoints, type PayPoints } from './pay';

/** Stable codes of scheme problems (the UI translates them). */
export type SchemeIssueCode =
  | 'DECIMALS_INVALID'
  | 'NO_UNITS'
  | 'UNIT_DUPLICATE'
  | 'UNIT_NOT_FOUND'
  | 'NO_ITEMS'
  | 'INDICATOR_NOT_FOUND'
  | 'INDICATOR_NO_DIRECTION'
  | 'PARAMS_INVALID'
  | 'REFERENCES_EQUAL'
  | 'REFERENCES_INVERTED'
  | 'REFERENCES_SAME_SOURCE'
  | 'CAP_BELOW_FLOOR'
  | 'TIERS_NOT_MONOTONE'
  | 'TIER_COEFFICIENTS_INVALID'
  | 'WEIGHT_NEGATIVE'
  | 'WEIGHTS_ZERO'
  | 'VALIDITY_INVALID'
  | 'VALIDITY_OVERLAP'
  | 'GRADING_CUTS_INVALID'
  | 'PAY_MAPPING_INVALID'
  | 'PAY_POINTS_INVALID'
  | 'PAY_GRADES_INVALID'
  | 'CADRE_INVALID';

export interface SchemeIssue {
  /** Where, as the request body names it: "items[2].params.tiers[3]", "pay.cadre.min". */
  path: string;
  code: SchemeIssueCode;
  message: string;
}

export type SchemeItemRule =
  | { method: 'efficacy'; params: { satisfactory: ReferenceSource; impermissible: ReferenceSource; cap?: number | null; floor?: number | null } }
  | { method: 'five-tier'; params: { tiers: FiveNumbers; coefficients?: FiveNumbers } }
  | { method: 'add-deduct'; params: { base: number; basePoints: number; perUnit: number; perUnitWorse?: number | null; direction?: Better; cap?: number | null; floor?: number | null } }
  | { method: 'pass-fail'; params: { threshold: number; direction?: Better } };

export type SchemeItemInput = SchemeItemRule & {
  indicator: string;
  measure: 'value' | 'completionRate';
  weight: number;
  validFrom: string;
  validTo: string | null;
  /** The indicator's direction when the caller knows it ('band': neither way is better). */
  indicatorDirection?: Better | 'band' | null;
};

export type GradingInput = { method: 'percentile'; cuts: readonly [number, number, number, number] } | { method: 'bands'; cuts?: readonly [number, number, number, number] };

/** A cadre's coefficient is the unit's × multiplier, clamped to [min, max]. */
export interface CadreLink {
  multiplier: number;
  min: number;
  max: number;
}

export interface PayInput {
  /** Score → coefficient, linear between points. */
  points?: PayPoints;
  /** Grade → coefficient. */
  grades?: Readonly<Record<Grade, number>>;
  cadre?: CadreLink;
}

export interface SchemeInput {
  itemDecimals: number;
  totalDecimals: number;
  grading: GradingInput;
  pay: PayInput;
  units: readonly string[];
  items: readonly SchemeItemInput[];
}

/** Runs a calculator's check and turns its ScoringError into an issue under `base`. */
function check(issues: SchemeIssue[], base: string, code: (e: ScoringError) => SchemeIssueCode, run: () => void): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof ScoringError)) throw e;
    issues.push({ path: `${base}.${e.field}`, code: code(e), message: e.message });
  }
}

const capCode = (e: ScoringError): SchemeIssueCode => (e.field === 'cap' || e.field === 'floor' ? 'CAP_BELOW_FLOOR' : 'PARAMS_INVALID');

/** The problems of one item's rule, as the calculator would find them when scoring (paths under `base`). */
export function checkItemRule(rule: SchemeItemRule, base: string, direction: Better | null = null): SchemeIssue[] {
  const issues: SchemeIssue[] = [];
  switch (rule.method) {
    case 'efficacy': {
      const { satisfactory: h, impermissible: s, cap, floor } = rule.params;
      if (h.kind === 'fixed' && s.kind === 'fixed') {
        check(issues, base, (e) => (e.field === 'satisfactory' && h.value === s.value ? 'REFERENCES_EQUAL' : e.field === 'satisfactory' ? 'REFERENCES_INVERTED' : capCode(e)), () =>
          checkEfficacyRule({ satisfactory: h.value, impermissible: s.value, cap: cap ?? null, floor: floor ?? null, ...(direction ? { direction } : {}) }),
        );
      } else {
        if (h.kind === s.kind) issues.push({ path: `${base}.impermissible`, code: 'REFERENCES_SAME_SOURCE', message: `Both references come from ${h.kind}: they would always be equal` });
        check(issues, base, capCode, () => requireCapAboveFloor(cap, floor));
      }
      break;
    }
    case 'five-tier':
      check(issues, base, (e) => (e.field.startsWith('tiers') ? 'TIERS_NOT_MONOTONE' : e.field.startsWith('coefficients') ? 'TIER_COEFFICIENTS_INVALID' : 'PARAMS_INVALID'), () =>
        checkFiveTierRule({ weight: 100, tiers: rule.params.tiers, ...(rule.params.coefficients ? { coefficients: rule.params.coefficients } : {}) }),
      );
      break;
    case 'add-deduct':
      if (!(rule.params.basePoints > 0)) issues.push({ path: `${base}.basePoints`, code: 'PARAMS_INVALID', message: 'The base points must be above 0 (items are scaled to 100 by them)' });
      check(issues, base, capCode, () => checkAddDeductRule(rule.params));
      break;
    case 'pass-fail':
      if (!Number.isFinite(rule.params.threshold)) issues.push({ path: `${base}.threshold`, code: 'PARAMS_INVALID', message: 'The threshold must be a finite number' });
      break;
  }
  return issues;
}

/** Every problem of a scheme's numbers and structure (references to indicators and units are the caller's to check). */
export function validateScheme(scheme: SchemeInput): SchemeIssue[] {
  const issues: SchemeIssue[] = [];
  for (const field of ['itemDecimals', 'totalDecimals'] as const) {
    const d = scheme[field];
    if (!Number.isInteger(d) || d < 0 || d > 10) issues.push({ path: field, code: 'DECIMALS_INVALID', message: `${field} must be a whole number from 0 to 10` });
  }

  if (scheme.units.length === 0) issues.push({ path: 'units', code: 'NO_UNITS', message: 'A scheme evaluates at least one unit' });
  const seenUnits = new Set<string>();
  scheme.units.forEach((u, i) => {
    if (seenUnits.has(u)) issues.push({ path: `units[${i}]`, code: 'UNIT_DUPLICATE', message: `${u} is listed twice` });
    seenUnits.add(u);
  });

  if (scheme.items.length === 0) issues.push({ path: 'items', code: 'NO_ITEMS', message: 'A scheme needs at least one item' });
  scheme.items.forEach((item, i) => {
    const base = `items[${i}]`;
    const direction = item.indicatorDirection === 'higher' || item.indicatorDirection === 'lower' ? item.indicatorDirection : null;
    issues.push(...checkItemRule(item, `${base}.params`, item.method === 'efficacy' ? direction : null));
    if (item.indicatorDirection === 'band') {
      const needs = item.method === 'efficacy' || (item.method !== 'five-tier' && !item.params.direction && !(item.method === 'add-deduct' && item.measure === 'completionRate'));
      if (needs) issues.push({ path: `${base}.indicator`, code: 'INDICATOR_NO_DIRECTION', message: `${item.indicator} has no better direction (a band): ${item.method === 'efficacy' ? 'efficacy cannot score it' : 'give the direction in the params'}` });
    }
    if (!Number.isFinite(item.weight) || item.weight < 0) issues.push({ path: `${base}.weight`, code: 'WEIGHT_NEGATIVE', message: 'A weight must be a number of 0 or more' });
    // Dates one by one (the composite's own check), then overlaps per indicator.
    try {
      checkDatedWeights([{ key: item.indicator, weight: Math.max(0, item.weight || 0), validFrom: item.validFrom, validTo: item.validTo }]);
    } catch (e) {
      if (!(e instanceof ScoringError)) throw e;
      issues.push({ path: `${base}.${e.field.replace(/^weights\[0\]\./, '')}`, code: 'VALIDITY_INVALID', message: e.message });
    }
  });
  const byIndicator = new Map<string, number[]>();
  scheme.items.forEach((item, i) => byIndicator.set(item.indicator, [...(byIndicator.get(item.indicator) ?? []), i]));
  for (const [indicator, indices] of byIndicator) {
    const sorted = [...indices].sort((a, b) => scheme.items[a]!.validFrom.localeCompare(scheme.items[b]!.validFrom));
    for (let k = 1; k < sorted.length; k++) {
      const [before, after] = [scheme.items[sorted[k - 1]!]!, scheme.items[sorted[k]!]!];
      if (before.validTo === null || before.validTo >= after.validFrom) {
        issues.push({ path: `items[${sorted[k]}].validFrom`, code: 'VALIDITY_OVERLAP', message: `${indicator} is already in the scheme on ${after.validFrom} (items[${sorted[k - 1]}] runs ${before.validFrom}…${before.validTo ?? 'open'})` });
      }
    }
  }
  if (scheme.items.length > 0 && scheme.items.every((i) => i.weight === 0)) issues.push({ path: 'items', code: 'WEIGHTS_ZERO', message: 'At least one item needs a weight above 0' });

  // Grading: the graders check their cut points on an empty list.
  check(issues, 'grading', () => 'GRADING_CUTS_INVALID', () => {
    if (scheme.grading.method === 'percentile') gradeByPercentile([], scheme.grading.cuts);
    else gradeByBands([], scheme.grading.cuts ?? FIVE_EQUAL_BANDS);
  });

  // Pay: by score or by grade, exactly one; the cadre link's range.
  const { points, grades, cadre } = scheme.pay;
  if ((points === undefined) === (grades === undefined)) {
    issues.push({ path: 'pay', code: 'PAY_MAPPING_INVALID', message: 'Give the pay coefficient either by score (points) or by grade (grades), one of them' });
  }
  if (points !== undefined) {
    check(issues, 'pay', () => 'PAY_POINTS_INVALID', () => checkPayPoints(points));
    points.forEach(([, c], i) => {
      if (Number.isFinite(c) && c < 0) issues.push({ path: `pay.points[${i}][1]`, code: 'PAY_POINTS_INVALID', message: 'A pay coefficient must not be negative' });
    });
  }
  if (grades !== undefined) {
    for (const g of GRADES) {
      const c = grades[g];
      if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) issues.push({ path: `pay.grades.${g}`, code: 'PAY_GRADES_INVALID', message: `Grade ${g} needs a coefficient of 0 or more` });
    }
    for (let k = 1; k < GRADES.length; k++) {
      const [better, worse] = [grades[GRADES[k - 1]!], grades[GRADES[k]!]];
      if (Number.isFinite(better) && Number.isFinite(worse) && worse > better) {
        issues.push({ path: `pay.grades.${GRADES[k]}`, code: 'PAY_GRADES_INVALID', message: `Grade ${GRADES[k]} must not pay more than grade ${GRADES[k - 1]}` });
      }
    }
  }
  if (cadre !== undefined) {
    if (!Number.isFinite(cadre.multiplier) || cadre.multiplier <= 0) issues.push({ path: 'pay.cadre.multiplier', code: 'CADRE_INVALID', message: 'The multiplier must be above 0' });
    if (!Number.isFinite(cadre.min) || cadre.min < 0) issues.push({ path: 'pay.cadre.min', code: 'CADRE_INVALID', message: 'The minimum must be 0 or more' });
    if (!Number.isFinite(cadre.max)) issues.push({ path: 'pay.cadre.max', code: 'CADRE_INVALID', message: 'The maximum must be a finite number' });
    if (Number.isFinite(cadre.min) && Number.isFinite(cadre.max) && cadre.min > cadre.max) issues.push({ path: 'pay.cadre.max', code: 'CADRE_INVALID', message: 'The maximum must not be below the minimum' });
  }
  return issues;
}

/**
 * The cadre link of a scheme's pay json, with its default when none is given: the unit's
 * coefficient × 1, kept within the scheme's own lowest and highest coefficient.
 */
export function cadreLinkOf(pay: PayInput): CadreLink {
  if (pay.cadre) return pay.cadre;
  const coefficients = pay.points ? pay.points.map(([, c]) => c) : pay.grades ? GRADES.map((g) => pay.grades![g]) : [1];
  return { multiplier: 1, min: Math.min(...coefficients), max: Math.max(...coefficients) };
}
