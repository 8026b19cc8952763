/**
 * Ranks and grades A–E of units, by their composite scores or by an indicator's values.
 * Pass the values as shown (rounded): what looks tied is tied. A vetoed unit (一票否决) ranks after
 * every unit that is not vetoed, ties with the other vetoed ones, takes no part in the peer best or
 * average, and is graded E.
 */
import { cmp, div, exact, neg, operand, showNumber, showResult, sign, sub, sum, toNumber, type Exact } from './decimal';
import { requireFinite, ScoringError, type Explanation } from './explanation';
import type { Better } from './item-scoring';

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E';
export const GRADES: readonly Grade[] = ['A', 'B', 'C', 'D', 'E'];

export interface RankEntry {
  key: string;
  value: number;
  vetoed?: boolean;
}

export interface Ranked {
  key: string;
  value: number;
  /** Competition rank: 1 + the number of units strictly better (1, 2, 2, 4). */
  rank: number;
  /** How many units were ranked. */
  of: number;
  vetoed: boolean;
}

export interface Graded extends Ranked {
  grade: Grade;
  explanation: Explanation;
}

function checkEntries(entries: readonly RankEntry[]): void {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.key)) throw new ScoringError(`${e.key} appears twice`, `entries[${i}].key`);
    seen.add(e.key);
    requireFinite(e.value, `entries[${i}].value`);
  });
}

/** Competition ranks (1, 2, 2, 4), best first by direction; vetoed units rank after all others and tie among themselves. */
export function rankCompetition(entries: readonly RankEntry[], direction: Better = 'higher'): Map<string, Ranked> {
  checkEntries(entries);
  const good = (e: RankEntry): Exact => (direction === 'higher' ? exact(e.value) : neg(exact(e.value)));
  const better = (a: RankEntry, b: RankEntry): boolean => (!!a.vetoed !== !!b.vetoed ? !a.vetoed : !a.vetoed && cmp(good(a), good(b)) > 0);
  const ranked = entries.map((e) => ({ key: e.key, value: e.value, rank: 1 + entries.filter((o) => better(o, e)).length, of: entries.length, vetoed: !!e.vetoed }));
  return new Map(ranked.sort((a, b) => a.rank - b.rank).map((r) => [r.key, r]));
}

/**
 * Upper bounds (exclusive) of the share of ranked units strictly better than a unit, for grades
 * A, B, C and D; the rest is E. [0.2, 0.4, 0.6, 0.8] grades quintiles: of 10 units, ranks 1–2 are A.
 */
export type PercentileCuts = readonly [number, number, number, number];

function checkCuts(cuts: readonly number[], order: 'ascending' | 'descending', field: string): void {
  if (!Array.isArray(cuts) || cuts.length !== 4) throw new ScoringError('Four cut points are needed (A, B, C, D; the rest is E)', field);
  cuts.forEach((c, i) => requireFinite(c, `${field}[${i}]`));
  for (let i = 1; i < 4; i++) {
    const ok = order === 'ascending' ? cuts[i]! >= cuts[i - 1]! : cuts[i]! <= cuts[i - 1]!;
    if (!ok) throw new ScoringError(`Cut points must be ${order === 'ascending' ? 'non-decreasing' : 'non-increasing'} from A to D`, `${field}[${i}]`);
  }
}

/** Grades A–E by rank percentile: the share of units strictly better, (rank − 1) ÷ count, against the cut points; ties share a grade. */
export function gradeByPercentile(entries: readonly RankEntry[], cuts: PercentileCuts, direction: Better = 'higher'): Map<string, Graded> {
  checkCuts(cuts, 'ascending', 'cuts');
  if (cuts[0] < 0 || cuts[3] > 1) throw new ScoringError('Percentile cut points lie between 0 and 1', 'cuts');
  const result = new Map<string, Graded>();
  for (const r of rankCompetition(entries, direction).values()) {
    const references = { A: cuts[0], B: cuts[1], C: cuts[2], D: cuts[3] };
    if (r.vetoed) {
      result.set(r.key, { ...r, grade: 'E', explanation: { rule: 'grade.vetoed', value: r.value, references, arithmetic: `vetoed (一票否决): E` } });
      continue;
    }
    const share = div(exact(r.rank - 1), exact(r.of));
    const index = cuts.findIndex((c) => cmp(share, exact(c)) < 0);
    const grade = GRADES[index === -1 ? 4 : index]!;
    result.set(r.key, {
      ...r,
      grade,
      explanation: {
        rule: 'grade.percentile',
        value: r.value,
        references,
        arithmetic: `rank ${r.rank} of ${r.of}: ${r.rank - 1} ÷ ${r.of} ranked better ${showResult(share)}; A below ${cuts[0]}, B below ${cuts[1]}, C below ${cuts[2]}, D below ${cuts[3]} → ${grade}`,
      },
    });
  }
  return result;
}

/**
 * Lowest band positions for grades A, B, C and D; below the last is E. The position of a value is
 * (value − peer average) ÷ (peer best − peer average): 1 at the best, 0 at the average, −1 as far
 * below the average as the best is above it. FIVE_EQUAL_BANDS cuts the span from −1 to 1 into five
 * equal bands: A from 0.6 (the best fifth up to the best and beyond), B from 0.2, C from −0.2 (about
 * average), D from −0.6, E below.
 */
export type BandCuts = readonly [number, number, number, number];
export const FIVE_EQUAL_BANDS: BandCuts = [0.6, 0.2, -0.2, -0.6];

export interface PeerReference {
  best: number;
  average: number;
  direction: Better;
}

/** Grade A–E of one value by its position between the peer average and the peer best. */
export function gradeByBand(value: number, peers: PeerReference, cuts: BandCuts): { grade: Grade; position: number | null; explanation: Explanation } {
  requireFinite(value, 'value');
  requireFinite(peers.best, 'best');
  requireFinite(peers.average, 'average');
  checkCuts(cuts, 'descending', 'cuts');
  const span = sub(exact(peers.best), exact(peers.average));
  if (sign(span) === (peers.direction === 'higher' ? -1 : 1)) throw new ScoringError('The peer best is worse than the peer average', 'best');
  return bandGrade(value, peers.best, exact(peers.average), peers.direction, cuts);
}

/** Grades A–E of a set of units by bands between their own best and average (vetoed units: E, and left out of both). */
export function gradeByBands(entries: readonly RankEntry[], cuts: BandCuts, direction: Better = 'higher'): Map<string, Graded & { position: number | null }> {
  checkCuts(cuts, 'descending', 'cuts');
  const ranked = rankCompetition(entries, direction);
  const peers = entries.filter((e) => !e.vetoed);
  const result = new Map<string, Graded & { position: number | null }>();
  if (peers.length === 0) {
    for (const r of ranked.values()) result.set(r.key, { ...r, grade: 'E', position: null, explanation: { rule: 'grade.vetoed', value: r.value, references: {}, arithmetic: 'vetoed (一票否决): E' } });
    return result;
  }
  const values = peers.map((p) => p.value);
  const best = direction === 'higher' ? Math.max(...values) : Math.min(...values);
  const averageExact = div(sum(values.map(exact)), exact(values.length));
  // The average stays an exact fraction: a position exactly on a cut must not slip below it.
  for (const r of ranked.values()) {
    if (r.vetoed) {
      result.set(r.key, { ...r, grade: 'E', position: null, explanation: { rule: 'grade.vetoed', value: r.value, references: { best, average: toNumber(averageExact) }, arithmetic: 'vetoed (一票否决): E' } });
      continue;
    }
    result.set(r.key, { ...r, ...bandGrade(r.value, best, averageExact, direction, cuts) });
  }
  return result;
}

function bandGrade(value: number, best: number, average: Exact, direction: Better, cuts: BandCuts): { grade: Grade; position: number | null; explanation: Explanation } {
  const span = sub(exact(best), average);
  const references = { best, average: toNumber(average), A: cuts[0], B: cuts[1], C: cuts[2], D: cuts[3] };
  if (span.num === 0n) {
    // All peers equal: there is no distance to measure; equal to the best (or better) is A, worse is E.
    const c = cmp(exact(value), exact(best));
    const reached = direction === 'higher' ? c >= 0 : c <= 0;
    const grade: Grade = reached ? 'A' : 'E';
    return { grade, position: null, explanation: { rule: 'grade.band', value, references, arithmetic: `best = average = ${showNumber(best)}: ${showNumber(value)} ${reached ? 'reaches' : 'falls short of'} it → ${grade}` } };
  }
  const position = div(sub(exact(value), average), span);
  const index = cuts.findIndex((c) => cmp(position, exact(c)) >= 0);
  const grade = GRADES[index === -1 ? 4 : index]!;
  return {
    grade,
    position: toNumber(position),
    explanation: {
      rule: 'grade.band',
      value,
      references,
      arithmetic: `position = (${operand(value)} − ${operand(average)}) ÷ (${operand(best)} − ${operand(average)}) ${showResult(position)}; A from ${showNumber(cuts[0])}, B from ${showNumber(cuts[1])}, C from ${showNumber(cuts[2])}, D from ${showNumber(cuts[3])} → ${grade}`,
    },
  };
}
