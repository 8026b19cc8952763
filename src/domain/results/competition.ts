/**
 * Labour competitions (劳动竞赛): a participant's score is its data items, weighted, plus the points
 * of its add/deduct events (加分、扣分), and a veto event (一票否决) zeroes it. Participants are ranked
 * with ties (1, 2, 2, 4), vetoed ones last, and prizes go by rank (tied units share a rank's prize;
 * a vetoed unit wins nothing). Everything is exact and rounded to 2 decimals once.
 */
import { add, cmp, div, exact, mul, operand, roundExact, showNumber, sign, sum, ZERO, type Exact } from '../evaluation/decimal';
import { rankCompetition } from '../evaluation/grading';

/** 'points': Σ weight × score ÷ 100 (a weight is the points an item is worth); 'mean': Σ weight × score ÷ Σ weight. */
export type CompetitionAggregation = 'points' | 'mean';

export const COMPETITION_DECIMALS = 2;

export interface CompetitionItemScore {
  key: string;
  weight: number;
  /** Out of 100; null when the item has no trusted value (it then counts 0 and is listed as missing). */
  score: number | null;
}

export interface CompetitionEventInput {
  /** ± points; 0 for a veto. */
  points: number;
  veto: boolean;
  reason: string;
}

export interface ParticipantScore {
  dataScore: number;
  eventPoints: number;
  /** dataScore + eventPoints, or 0 when vetoed. */
  total: number;
  /** What the total would have been without the veto. */
  unvetoedTotal: number;
  vetoed: boolean;
  vetoReasons: string[];
  missing: string[];
  /** "30 × 85.5 ÷ 100 + 70 × 100 ÷ 100 = 95.65; events +2 − 1 = 1; 95.65 + 1 = 96.65". */
  arithmetic: string;
}

function signed(x: Exact): string {
  const text = showNumber(roundExact(x, COMPETITION_DECIMALS));
  return sign(x) < 0 ? text : `+${text}`;
}

/** A participant's data score, event points and total (zero when any veto event applies). */
export function scoreParticipant(items: readonly CompetitionItemScore[], events: readonly CompetitionEventInput[], aggregation: CompetitionAggregation): ParticipantScore {
  const missing = items.filter((i) => i.score === null).map((i) => i.key);
  const weighted = items.filter((i) => i.weight > 0);
  const terms = weighted.map((i) => mul(exact(i.weight), exact(i.score ?? 0)));
  const totalWeight = sum(weighted.map((i) => exact(i.weight)));
  let data: Exact = ZERO;
  let dataText = 'no data items';
  if (weighted.length > 0) {
    const parts = weighted.map((i) => `${operand(i.weight)} × ${operand(i.score ?? 0)}`);
    if (aggregation === 'points') {
      data = div(sum(terms), exact(100));
      dataText = `(${parts.join(' + ')}) ÷ 100`;
    } else {
      data = sign(totalWeight) === 0 ? ZERO : div(sum(terms), totalWeight);
      dataText = `(${parts.join(' + ')}) ÷ ${operand(roundExact(totalWeight, 4))}`;
    }
  }
  const dataScore = roundExact(data, COMPETITION_DECIMALS);
  const counted = events.filter((e) => !e.veto);
  const eventSum = sum(counted.map((e) => exact(e.points)));
  const eventPoints = roundExact(eventSum, COMPETITION_DECIMALS);
  const unvetoed = roundExact(add(exact(dataScore), exact(eventPoints)), COMPETITION_DECIMALS);
  const vetoReasons = events.filter((e) => e.veto).map((e) => e.reason);
  const vetoed = vetoReasons.length > 0;
  const eventText = counted.length === 0 ? 'no events' : `events ${counted.map((e) => signed(exact(e.points))).join(' ')} = ${showNumber(eventPoints)}`;
  let arithmetic = `data ${dataText} = ${showNumber(dataScore)}; ${eventText}; ${showNumber(dataScore)} + ${operand(eventPoints)} = ${showNumber(unvetoed)}`;
  if (missing.length > 0) arithmetic += `; no trusted value (counted 0): ${missing.join(', ')}`;
  if (vetoed) arithmetic += `; vetoed (一票否决): ${vetoReasons.join('; ')} → 0`;
  return { dataScore, eventPoints, total: vetoed ? 0 : unvetoed, unvetoedTotal: unvetoed, vetoed, vetoReasons, missing, arithmetic };
}

export interface Prize {
  rank: number;
  nameZh: string;
  nameEn: string;
  /** Yuan as decimal text, e.g. "5000.00". */
  amountYuan: string;
}

export interface RankedParticipant<T> {
  key: string;
  score: ParticipantScore;
  rank: number;
  prize: Prize | null;
  extra: T;
}

/** Ranks participants by total (ties share a rank, vetoed last) and hands out the prizes by rank. */
export function rankParticipants<T>(rows: readonly { key: string; score: ParticipantScore; extra: T }[], prizes: readonly Prize[]): RankedParticipant<T>[] {
  const ranks = rankCompetition(rows.map((r) => ({ key: r.key, value: r.score.total, vetoed: r.score.vetoed })));
  const byRank = new Map(prizes.map((p) => [p.rank, p]));
  return rows
    .map((r) => {
      const rank = ranks.get(r.key)!.rank;
      return { key: r.key, score: r.score, rank, prize: r.score.vetoed ? null : (byRank.get(rank) ?? null), extra: r.extra };
    })
    .sort((a, b) => a.rank - b.rank || cmp(exact(b.score.unvetoedTotal), exact(a.score.unvetoedTotal)) || a.key.localeCompare(b.key));
}
