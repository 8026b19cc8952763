import type { Aggregation, Direction } from '../../../domain/benchmarking/indicator-math';
import { roundTo } from '../../../domain/benchmarking/indicator-math';
import { monthKey, type MonthKey } from '../../../domain/benchmarking/period';
import { spreadAnnualTarget, targetForWindow, type SpreadRule, type TargetLevels } from '../../../domain/benchmarking/targets';

export type { TargetLevels };

/** A stored target row as `GET /api/targets` gives it. */
export interface TargetRow extends TargetLevels {
  period: string;
  basis: string;
}

/** What the page knows of an indicator to work with its targets. */
export interface LevelIndicator {
  direction: Direction;
  aggregation: Aggregation;
  precision: number;
}

/** The twelve months of a year, January first. */
export function monthsOfYear(year: number): MonthKey[] {
  return Array.from({ length: 12 }, (_, i) => monthKey(year, i + 1));
}

// --- The assistant's proposal --------------------------------------------------------------------

/**
 * A base improved by an amplitude in percent, as the server's assistant computes it: higher-better
 * indicators go up, lower-better ones go down, a band keeps its base; rounded to the precision.
 */
export function proposedTarget(base: number, amplitude: number, indicator: Pick<LevelIndicator, 'direction' | 'precision'>): number | null {
  const factor = indicator.direction === 'band' ? 1 : indicator.direction === 'lower' ? 1 - amplitude / 100 : 1 + amplitude / 100;
  return roundTo(base * factor, indicator.precision);
}

/**
 * The three levels a proposal fills in: the base itself (continuity), the base improved by the
 * amplitude (the target) and by twice the amplitude (the incentive), the worst of them the floor
 * and the best the stretch. A band has no floor or stretch.
 */
export function proposedLevels(base: number, amplitude: number, indicator: Pick<LevelIndicator, 'direction' | 'precision'>): TargetLevels | null {
  const target = proposedTarget(base, amplitude, indicator);
  if (target === null) return null;
  if (indicator.direction === 'band') return { floor: null, target, stretch: null };
  const atBase = proposedTarget(base, 0, indicator)!;
  const twice = proposedTarget(base, 2 * amplitude, indicator)!;
  const [low, high] = atBase <= twice ? [atBase, twice] : [twice, atBase];
  return indicator.direction === 'higher' ? { floor: low, target, stretch: high } : { floor: high, target, stretch: low };
}

/** The stored basis of a proposal, worded as the server's assistant words it (the data are in Chinese). */
export function proposalBasis(baseLabel: string, amplitude: number, direction: Direction): string {
  if (!amplitude || direction === 'band') return baseLabel;
  return amplitude > 0 ? `${baseLabel}改善 ${amplitude}%` : `${baseLabel}放宽 ${-amplitude}%`;
}

/** A base of the assistant (`GET /api/targets/assistant`). */
export interface AssistantBase {
  key: string;
  label: string;
  labelEn: string;
  value: number | null;
  period: string | null;
}

/** A base as the page compares it with an annual target. */
export interface AnnualBase extends AssistantBase {
  /** The value as the assistant gave it, before annualising. */
  rawValue: number | null;
  /** A month's quantity scaled to a year (× 12). */
  annualised: boolean;
}

/**
 * The bases on the scale of an annual target: a quantity's (sum) value of a single month is scaled
 * to twelve months, and a missing current plan is filled in from the target in force (the months'
 * sum), so that every bar compares with the year's target.
 */
export function annualBases(bases: readonly AssistantBase[], indicator: LevelIndicator, year: number, currentTarget: number | null): AnnualBase[] {
  return bases.map((base) => {
    let value = base.value;
    let period = base.period;
    if (base.key === 'plan' && value === null && currentTarget !== null) [value, period] = [currentTarget, String(year)];
    const annualised = indicator.aggregation === 'sum' && value !== null && period !== null && period.length === 7;
    return { ...base, period, rawValue: value, annualised, value: annualised ? roundTo(value! * 12, indicator.precision) : value };
  });
}

// --- Checking the levels ---------------------------------------------------------------------------

export type LevelProblem = 'targetMissing' | 'floorBeyondTarget' | 'stretchBelowTarget' | 'floorBeyondStretch';

/**
 * Whether floor, target and stretch are in order for the direction (higher: floor ≤ target ≤
 * stretch; lower: floor ≥ target ≥ stretch); a band only needs a target. The first problem found.
 */
export function levelProblem(direction: Direction, levels: { floor: number | null; target: number | null; stretch: number | null }): LevelProblem | null {
  const { floor, target, stretch } = levels;
  if (target === null) return 'targetMissing';
  if (direction === 'band') return null;
  // "a is not worse than b" in the indicator's direction.
  const notWorse = (a: number, b: number) => (direction === 'higher' ? a >= b : a <= b);
  if (floor !== null && !notWorse(target, floor)) return 'floorBeyondTarget';
  if (stretch !== null && !notWorse(stretch, target)) return 'stretchBelowTarget';
  if (floor !== null && stretch !== null && !notWorse(stretch, floor)) return 'floorBeyondStretch';
  return null;
}

// --- Spreading to months ---------------------------------------------------------------------------

/** How an annual quantity goes to the months: by calendar days, equally, by last year's monthly actuals, or not at all. */
export type SpreadChoice = 'days' | 'equal' | 'profile' | 'none';

/** The text the monthly rows' basis gets (the same words the server appends for days and equal). */
export const spreadBasisSuffix: Record<Exclude<SpreadChoice, 'none'>, string> = {
  days: '（按日历天数分解）',
  equal: '（平均分解）',
  profile: '（按上年实绩分布分解）',
};

/** A monthly row's basis without the words spreading added, to start the annual basis from. */
export function withoutSpreadSuffix(basis: string): string {
  return basis.replace(/（[^（）]*分解）$/, '');
}

/**
 * Weights for a profile from last year's monthly values (12 of them, none missing or negative, not
 * all zero); null when they cannot serve.
 */
export function profileWeights(values: readonly (number | null)[]): number[] | null {
  if (values.length !== 12 || values.some((v) => v === null || !(v >= 0)) || values.every((v) => v === 0)) return null;
  return values as number[];
}

/**
 * The monthly targets an annual target becomes, rounded to the indicator's precision as the server
 * rounds them; null when the rule does not spread (a level, or `none`, or a profile without weights).
 */
export function previewSpread(
  year: number,
  annual: TargetLevels,
  indicator: LevelIndicator,
  choice: SpreadChoice,
  weights: readonly number[] | null = null,
): { period: MonthKey; levels: TargetLevels }[] | null {
  if (indicator.aggregation !== 'sum' || choice === 'none') return null;
  let rule: SpreadRule;
  if (choice === 'profile') {
    if (!weights) return null;
    rule = { kind: 'profile', weights };
  } else rule = { kind: choice };
  const round = (v: number | null) => roundTo(v, indicator.precision);
  return [...spreadAnnualTarget(year, annual, 'sum', rule)].map(([period, l]) => ({
    period,
    levels: { floor: round(l.floor), target: round(l.target)!, stretch: round(l.stretch) },
  }));
}

// --- What the table shows --------------------------------------------------------------------------

/** Where a level shown comes from: a row of its own, the annual target, the months, or nowhere. */
export type LevelSource = 'own' | 'annual' | 'months' | 'none';

export interface MonthLevels {
  period: MonthKey;
  levels: TargetLevels | null;
  source: LevelSource;
  basis: string;
}

export interface YearTargets {
  /** The annual row, or the year's target the months make (for the scorecard's year view). */
  annual: TargetLevels | null;
  annualSource: LevelSource;
  basis: string;
  /** A quantity with both an annual row and all twelve months: the months' sum, when it differs from the annual target. */
  monthsTotal: number | null;
  months: MonthLevels[];
  /** How many of the twelve months have rows of their own. */
  ownMonths: number;
}

/**
 * An indicator's targets for a year as the scorecard uses them: each month's own row, else its
 * share of the annual target (a quantity) or the annual level; the year from its own row, else
 * from the months.
 */
export function yearTargets(year: number, rows: readonly TargetRow[], aggregation: Aggregation): YearTargets {
  const annualRow = rows.find((r) => r.period === String(year)) ?? null;
  const monthly = new Map(rows.filter((r) => r.period.length === 7).map((r) => [r.period, r]));
  const levelsOf = (r: TargetLevels): TargetLevels => ({ floor: r.floor, target: r.target, stretch: r.stretch });
  const months = monthsOfYear(year).map((period): MonthLevels => {
    const own = monthly.get(period);
    if (own) return { period, levels: levelsOf(own), source: 'own', basis: own.basis };
    const derived = annualRow ? targetForWindow(aggregation, [period], new Map(), levelsOf(annualRow)) : null;
    return { period, levels: derived, source: derived ? 'annual' : 'none', basis: annualRow?.basis ?? '' };
  });
  const ownMonths = months.filter((m) => m.source === 'own').length;
  const monthlyLevels = new Map([...monthly].map(([k, r]) => [k, levelsOf(r)]));
  if (annualRow) {
    const window = targetForWindow(aggregation, monthsOfYear(year), monthlyLevels, levelsOf(annualRow));
    const differs = aggregation === 'sum' && ownMonths === 12 && window !== null && Math.abs(window.target - annualRow.target) > 1e-9 * Math.max(1, Math.abs(annualRow.target));
    return { annual: levelsOf(annualRow), annualSource: 'own', basis: annualRow.basis, monthsTotal: differs ? window.target : null, months, ownMonths };
  }
  const fromMonths = ownMonths > 0 ? targetForWindow(aggregation, monthsOfYear(year), monthlyLevels, null) : null;
  const firstBasis = months.find((m) => m.source === 'own')?.basis ?? '';
  return { annual: fromMonths, annualSource: fromMonths ? 'months' : 'none', basis: firstBasis, monthsTotal: null, months, ownMonths };
}
