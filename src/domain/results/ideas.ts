/**
 * Improvement ideas (金点子) and small improvements (小改小革): the review steps, and the counts and
 * benefit by unit that the results show. Benefits are yuan, summed exactly.
 */
import { sum, type Exact } from '../evaluation/decimal';
import { decimalOf, yuan } from './money';

export const IDEA_STATUSES = ['submitted', 'reviewing', 'adopted', 'rejected', 'implemented'] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];
export const IDEA_ACTIONS = ['start', 'adopt', 'reject', 'implement'] as const;
export type IdeaAction = (typeof IDEA_ACTIONS)[number];

const steps: Record<IdeaAction, { from: readonly IdeaStatus[]; to: IdeaStatus }> = {
  start: { from: ['submitted'], to: 'reviewing' },
  adopt: { from: ['submitted', 'reviewing'], to: 'adopted' },
  reject: { from: ['submitted', 'reviewing'], to: 'rejected' },
  implement: { from: ['adopted'], to: 'implemented' },
};

/** The status a review action leads to, or null when the action does not apply to the status. */
export function nextIdeaStatus(status: IdeaStatus, action: IdeaAction): IdeaStatus | null {
  const step = steps[action];
  return step.from.includes(status) ? step.to : null;
}

/** The statuses an action may start from (for error messages). */
export function ideaActionFrom(action: IdeaAction): readonly IdeaStatus[] {
  return steps[action].from;
}

export interface IdeaFact {
  unit: string;
  status: IdeaStatus;
  /** Decimal text, null when none was recorded. */
  benefitYuan: string | null;
}

export interface IdeaStats {
  unit: string;
  /** Every idea the unit submitted (whatever became of it). */
  submitted: number;
  /** Adopted, including those implemented since. */
  adopted: number;
  implemented: number;
  rejected: number;
  /** Benefit of the adopted and implemented ideas, yuan to the fen. */
  benefitYuan: string;
}

/** Counts and benefit by unit, units in first-seen order; the benefit counts only adopted and implemented ideas. */
export function ideaStats(ideas: readonly IdeaFact[]): IdeaStats[] {
  const byUnit = new Map<string, { submitted: number; adopted: number; implemented: number; rejected: number; benefits: Exact[] }>();
  for (const i of ideas) {
    let s = byUnit.get(i.unit);
    if (!s) byUnit.set(i.unit, (s = { submitted: 0, adopted: 0, implemented: 0, rejected: 0, benefits: [] }));
    s.submitted++;
    if (i.status === 'adopted' || i.status === 'implemented') {
      s.adopted++;
      if (i.benefitYuan !== null) s.benefits.push(decimalOf(i.benefitYuan));
    }
    if (i.status === 'implemented') s.implemented++;
    if (i.status === 'rejected') s.rejected++;
  }
  return [...byUnit].map(([unit, s]) => ({ unit, submitted: s.submitted, adopted: s.adopted, implemented: s.implemented, rejected: s.rejected, benefitYuan: yuan(sum(s.benefits)) }));
}
