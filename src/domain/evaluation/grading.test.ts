import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIVE_EQUAL_BANDS, gradeByBand, gradeByBands, gradeByPercentile, rankCompetition, type RankEntry } from './grading';

const entries = (values: Record<string, number>, vetoed: string[] = []): RankEntry[] => Object.entries(values).map(([key, value]) => ({ key, value, vetoed: vetoed.includes(key) }));
const pick = <T extends { rank?: number; grade?: string }>(m: Map<string, T>, field: 'rank' | 'grade') => Object.fromEntries([...m].map(([k, v]) => [k, v[field]]));

describe('competition ranking', () => {
  it('ties share a rank and the next rank skips (1, 2, 2, 4), best first', () => {
    const r = rankCompetition(entries({ a: 92.4, b: 88.1, c: 88.1, d: 75 }));
    expect(pick(r, 'rank')).toEqual({ a: 1, b: 2, c: 2, d: 4 });
    expect([...r.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect(r.get('d')!.of).toBe(4);
  });
  it('lower is better: the smallest value ranks first', () => {
    expect(pick(rankCompetition(entries({ a: 13_000, b: 12_900, c: 13_200 }), 'lower'), 'rank')).toEqual({ b: 1, a: 2, c: 3 });
  });
  it('vetoed units rank after all others and tie among themselves, whatever their value', () => {
    expect(pick(rankCompetition(entries({ a: 60, b: 99, c: 70, d: 0 }, ['b', 'd'])), 'rank')).toEqual({ c: 1, a: 2, b: 3, d: 3 });
  });
  it('refuses a unit twice', () => {
    expect(() => rankCompetition([{ key: 'a', value: 1 }, { key: 'a', value: 2 }])).toThrow(/twice/);
  });
  it('property: rank = 1 + the number of units strictly better; equal values share a rank', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 15 }), (values) => {
        const r = rankCompetition(values.map((value, i) => ({ key: `u${i}`, value })));
        values.forEach((v, i) => expect(r.get(`u${i}`)!.rank).toBe(1 + values.filter((w) => w > v).length));
      }),
    );
  });
});

describe('grades by rank percentile', () => {
  // Quintiles: A while fewer than 20 % of the units are strictly better, B below 40 %, C below 60 %, D below 80 %.
  const quintiles = [0.2, 0.4, 0.6, 0.8] as const;
  it('of 10 units, ranks 1–2 are A, 3–4 B, 5–6 C, 7–8 D, 9–10 E', () => {
    const values = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`u${i + 1}`, 100 - i]));
    expect(pick(gradeByPercentile(entries(values), quintiles), 'grade')).toEqual({ u1: 'A', u2: 'A', u3: 'B', u4: 'B', u5: 'C', u6: 'C', u7: 'D', u8: 'D', u9: 'E', u10: 'E' });
  });
  it('ties share a grade: a tie across a cut lifts every tied unit', () => {
    // Ranks 1, 2, 2, 2, 5: (2 − 1) ÷ 5 = 0.2 better for the tied three → B; (5 − 1) ÷ 5 = 0.8 → E
    const g = gradeByPercentile(entries({ a: 90, b: 85, c: 85, d: 85, e: 60 }), quintiles);
    expect(pick(g, 'grade')).toEqual({ a: 'A', b: 'B', c: 'B', d: 'B', e: 'E' });
    expect(g.get('b')!.explanation.arithmetic).toBe('rank 2 of 5: 1 ÷ 5 ranked better = 0.2; A below 0.2, B below 0.4, C below 0.6, D below 0.8 → B');
  });
  it('other cut points: A 10 %, B 30 %, C 70 %, D 90 %; a vetoed unit is E', () => {
    const values = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`u${i + 1}`, 100 - i]));
    const g = gradeByPercentile(entries(values, ['u2']), [0.1, 0.3, 0.7, 0.9]);
    // u2 vetoed → last (rank 10) and E; u3 moves up to rank 2: 1 ÷ 10 = 0.1 → B; u10 to rank 9: 8 ÷ 10 = 0.8 → D
    expect(pick(g, 'grade')).toEqual({ u1: 'A', u3: 'B', u4: 'B', u5: 'C', u6: 'C', u7: 'C', u8: 'C', u9: 'D', u10: 'D', u2: 'E' });
    expect(g.get('u2')!.explanation.rule).toBe('grade.vetoed');
  });
  it('a single unit is A; cut points must rise and lie in [0, 1]', () => {
    expect(gradeByPercentile(entries({ a: 50 }), quintiles).get('a')!.grade).toBe('A');
    expect(() => gradeByPercentile(entries({ a: 50 }), [0.4, 0.2, 0.6, 0.8])).toThrow(/non-decreasing/);
    expect(() => gradeByPercentile(entries({ a: 50 }), [0.2, 0.4, 0.6, 1.8])).toThrow(/between 0 and 1/);
  });
});

describe('grades by bands between the peer best and the peer average', () => {
  it('position = (x − average) ÷ (best − average); five equal bands from −1 to 1', () => {
    // The average of the seven is 560 ÷ 7 = 80, the best 100: 100 → 1 (A), 92 → 0.6 (A, on the cut), 90 → 0.5 (B),
    // 80 → 0 (C), 70 → −0.5 (D), 68 → −0.6 (D, on the cut), 60 → −1 (E)
    const g = gradeByBands(entries({ a: 100, b: 92, c: 90, d: 80, e: 70, f: 60, g: 68 }), FIVE_EQUAL_BANDS);
    expect(pick(g, 'grade')).toEqual({ a: 'A', b: 'A', c: 'B', d: 'C', e: 'D', g: 'D', f: 'E' });
    expect(g.get('e')!.position).toBe(-0.5);
    expect(g.get('c')!.explanation.arithmetic).toBe('position = (90 − 80) ÷ (100 − 80) = 0.5; A from 0.6, B from 0.2, C from −0.2, D from −0.6 → B');
  });
  it('lower is better: best is the smallest value; the position formula is the same', () => {
    // DC power, best 12 900, average 13 000: 12 950 → (12950 − 13000) ÷ (12900 − 13000) = 0.5 → B
    const r = gradeByBand(12_950, { best: 12_900, average: 13_000, direction: 'lower' }, FIVE_EQUAL_BANDS);
    expect(r).toMatchObject({ grade: 'B', position: 0.5 });
    expect(gradeByBand(13_100, { best: 12_900, average: 13_000, direction: 'lower' }, FIVE_EQUAL_BANDS).grade).toBe('E');
    expect(() => gradeByBand(1, { best: 13_100, average: 13_000, direction: 'lower' }, FIVE_EQUAL_BANDS)).toThrow(/worse than the peer average/);
  });
  it('an average that is a repeating fraction still grades exactly on the cuts', () => {
    // 100, 75, 66, 48, 45, 6: average 340 ÷ 6 = 56.666…, distance to the best 130/3.
    // 48 → (48 − 170/3) ÷ (130/3) = (144 − 170) ÷ 130 = −0.2 exactly: on the C cut → C
    // 75 → 55 ÷ 130 ≈ 0.42 → B; 66 → 28 ÷ 130 ≈ 0.22 → B; 45 → −35 ÷ 130 ≈ −0.27 → D; 6 → −152 ÷ 130 → E
    const g = gradeByBands(entries({ a: 100, b: 75, c: 66, d: 48, e: 45, f: 6 }), FIVE_EQUAL_BANDS);
    expect(pick(g, 'grade')).toEqual({ a: 'A', b: 'B', c: 'B', d: 'C', e: 'D', f: 'E' });
    expect(g.get('d')!.position).toBe(-0.2);
    expect(g.get('d')!.explanation.arithmetic).toBe('position = (48 − ≈56.6667) ÷ (100 − ≈56.6667) = −0.2; A from 0.6, B from 0.2, C from −0.2, D from −0.6 → C');
  });
  it('vetoed units are E and left out of the best and the average', () => {
    // Without the vetoed 0: best 100, average 80; 80 → C (with it the average would be 60 and 80 a B)
    const g = gradeByBands(entries({ a: 100, b: 80, c: 60, v: 0 }, ['v']), FIVE_EQUAL_BANDS);
    expect(pick(g, 'grade')).toEqual({ a: 'A', b: 'C', c: 'E', v: 'E' });
  });
  it('all peers equal: reaching the best is A, falling short E; other cuts are configurable', () => {
    expect(pick(gradeByBands(entries({ a: 5, b: 5 }), FIVE_EQUAL_BANDS), 'grade')).toEqual({ a: 'A', b: 'A' });
    expect(gradeByBand(4, { best: 5, average: 5, direction: 'higher' }, FIVE_EQUAL_BANDS).grade).toBe('E');
    expect(gradeByBand(90, { best: 100, average: 80, direction: 'higher' }, [0.5, 0, -0.5, -1]).grade).toBe('A');
    expect(() => gradeByBand(90, { best: 100, average: 80, direction: 'higher' }, [0, 0.5, -0.5, -1])).toThrow(/non-increasing/);
  });
  it('property: a better value never gets a worse grade', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }), (values) => {
        const g = gradeByBands(values.map((value, i) => ({ key: `u${i}`, value })), FIVE_EQUAL_BANDS);
        values.forEach((v, i) =>
          values.forEach((w, j) => {
            if (v > w) expect(g.get(`u${i}`)!.grade <= g.get(`u${j}`)!.grade).toBe(true);
          }),
        );
      }),
    );
  });
});
