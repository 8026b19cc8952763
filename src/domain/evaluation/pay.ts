/**
 * Pay linkage (绩效挂钩): a pay coefficient from a score (piecewise linear between points, clamped
 * at both ends) or from a grade (a table), and a cadre's coefficient linked to their unit's.
 * Coefficients are computed exactly and rounded once (4 decimals unless given).
 */
import { add, cmp, div, exact, mul, operand, roundExact, showNumber, showResult, sub, toNumber, type Exact } from './decimal';
import { requireFinite, ScoringError, type Explanation } from './explanation';
import { GRADES, type Grade } from './grading';

/** Pay coefficients have 4 decimals unless the scheme says otherwise. */
export const PAY_DECIMALS = 4;

export interface Coefficient {
  coefficient: number;
  raw: number;
  explanation: Explanation;
}

/** [score, coefficient] points, scores strictly increasing, e.g. [[60, 0.8], [100, 1.2]]. */
export type PayPoints = readonly (readonly [number, number])[];

/** Throws ScoringError unless the points are finite, at least one, and strictly increasing in score. */
export function checkPayPoints(points: PayPoints): void {
  if (!Array.isArray(points) || points.length === 0) throw new ScoringError('At least one point is needed', 'points');
  points.forEach(([s, c], i) => {
    requireFinite(s, `points[${i}][0]`);
    requireFinite(c, `points[${i}][1]`);
    if (i > 0 && !(s > points[i - 1]![0])) throw new ScoringError('Scores of the points must increase strictly', `points[${i}][0]`);
  });
}

/** The pay coefficient for a score: linear between the two points around it, the first (last) point's coefficient below (above) them. */
export function payCoefficientFromScore(score: number, points: PayPoints, decimals = PAY_DECIMALS): Coefficient {
  requireFinite(score, 'score');
  checkPayPoints(points);
  const x = exact(score);
  const references = Object.fromEntries(points.map(([s, c]) => [`at ${s}`, c]));
  const first = points[0]!;
  const last = points.at(-1)!;
  const done = (raw: Exact, arithmetic: string, limitedBy?: 'cap' | 'floor'): Coefficient => {
    const coefficient = roundExact(raw, decimals);
    return { coefficient, raw: toNumber(raw), explanation: { rule: 'pay.score', value: score, references, arithmetic: `${arithmetic} → ${showNumber(coefficient)}`, ...(limitedBy ? { limitedBy } : {}) } };
  };
  if (cmp(x, exact(first[0])) <= 0) {
    const below = cmp(x, exact(first[0])) < 0;
    return done(exact(first[1]), `${showNumber(score)} ${below ? `is below ${showNumber(first[0])}, the lowest point:` : 'is the lowest point:'} ${showNumber(first[1])}`, below ? 'floor' : undefined);
  }
  if (cmp(x, exact(last[0])) >= 0) {
    const above = cmp(x, exact(last[0])) > 0;
    return done(exact(last[1]), `${showNumber(score)} ${above ? `is above ${showNumber(last[0])}, the highest point:` : 'is the highest point:'} ${showNumber(last[1])}`, above ? 'cap' : undefined);
  }
  const i = points.findIndex(([s]) => cmp(x, exact(s)) < 0);
  const [[s0, c0], [s1, c1]] = [points[i - 1]!, points[i]!];
  const raw = add(exact(c0), mul(div(sub(x, exact(s0)), sub(exact(s1), exact(s0))), sub(exact(c1), exact(c0))));
  return done(raw, `${operand(c0)} + (${operand(score)} − ${operand(s0)}) ÷ (${operand(s1)} − ${operand(s0)}) × (${operand(c1)} − ${operand(c0)}) ${showResult(raw)}`);
}

/** The pay coefficient for a grade, from the scheme's table (e.g. A 1.2, B 1.1, C 1.0, D 0.9, E 0.8). */
export function payCoefficientFromGrade(grade: Grade, table: Readonly<Record<Grade, number>>, decimals = PAY_DECIMALS): Coefficient {
  if (!GRADES.includes(grade)) throw new ScoringError('The grade must be A, B, C, D or E', 'grade');
  for (const g of GRADES) requireFinite(table[g], `table.${g}`);
  const coefficient = roundExact(exact(table[grade]), decimals);
  return { coefficient, raw: table[grade], explanation: { rule: 'pay.grade', value: grade, references: { ...table }, arithmetic: `grade ${grade} → ${showNumber(coefficient)}` } };
}

export interface CoefficientRange {
  min: number;
  max: number;
}

/** A cadre's coefficient: their unit's coefficient × their personal factor, clamped to the range. */
export function cadreCoefficient(unitCoefficient: number, personalFactor: number, range: CoefficientRange, decimals = PAY_DECIMALS): Coefficient {
  requireFinite(unitCoefficient, 'unitCoefficient');
  requireFinite(personalFactor, 'personalFactor');
  requireFinite(range.min, 'min');
  requireFinite(range.max, 'max');
  if (range.min > range.max) throw new ScoringError('The range minimum is above its maximum', 'min');
  const product = mul(exact(unitCoefficient), exact(personalFactor));
  const [min, max] = [exact(range.min), exact(range.max)];
  const limitedBy = cmp(product, max) > 0 ? 'cap' : cmp(product, min) < 0 ? 'floor' : undefined;
  const raw = limitedBy === 'cap' ? max : limitedBy === 'floor' ? min : product;
  const coefficient = roundExact(raw, decimals);
  const limitText = limitedBy ? `; ${limitedBy === 'cap' ? 'capped at' : 'floored at'} ${showNumber(limitedBy === 'cap' ? range.max : range.min)}` : '';
  return {
    coefficient,
    raw: toNumber(raw),
    explanation: {
      rule: 'pay.cadre',
      value: personalFactor,
      references: { unitCoefficient, personalFactor, min: range.min, max: range.max },
      arithmetic: `${operand(unitCoefficient)} × ${operand(personalFactor)} ${showResult(product)}${limitText} → ${showNumber(coefficient)}`,
      ...(limitedBy ? { limitedBy } : {}),
    },
  };
}
