import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankParticipants, scoreParticipant, type Prize } from './competition';

const prizes: Prize[] = [
  { rank: 1, nameZh: '一等奖', nameEn: 'First prize', amountYuan: '5000.00' },
  { rank: 2, nameZh: '二等奖', nameEn: 'Second prize', amountYuan: '3000.00' },
];

describe('competition scores', () => {
  it('adds the weighted data items (points) and the events: 60 × 85.5 ÷ 100 + 40 × 100 ÷ 100 + 2 − 0.5', () => {
    const s = scoreParticipant(
      [
        { key: 'YH_POWER_KWH_T', weight: 60, score: 85.5 },
        { key: 'YH_AO_OUT', weight: 40, score: 100 },
      ],
      [
        { points: 2, veto: false, reason: '指标攻关' },
        { points: -0.5, veto: false, reason: '交接班记录不全' },
      ],
      'points',
    );
    // 51.3 + 40 = 91.3; events +1.5; total 92.8
    expect(s).toMatchObject({ dataScore: 91.3, eventPoints: 1.5, total: 92.8, vetoed: false, missing: [] });
    expect(s.arithmetic).toBe('data (60 × 85.5 + 40 × 100) ÷ 100 = 91.3; events +2 −0.5 = 1.5; 91.3 + 1.5 = 92.8');
  });
  it('takes the weighted mean with "mean" and counts an item without a trusted value as 0', () => {
    const s = scoreParticipant(
      [
        { key: 'A', weight: 1, score: 90 },
        { key: 'B', weight: 2, score: null },
      ],
      [],
      'mean',
    );
    expect(s).toMatchObject({ dataScore: 30, eventPoints: 0, total: 30, missing: ['B'] });
    expect(s.arithmetic).toContain('no trusted value (counted 0): B');
  });
  it('a veto event zeroes the total, keeps what it would have been and says why', () => {
    const s = scoreParticipant([{ key: 'A', weight: 100, score: 80 }], [{ points: 3, veto: false, reason: 'x' }, { points: 0, veto: true, reason: '焙烧炉安全事故' }], 'points');
    expect(s).toMatchObject({ total: 0, unvetoedTotal: 83, vetoed: true, vetoReasons: ['焙烧炉安全事故'] });
    expect(s.arithmetic).toMatch(/vetoed \(一票否决\): 焙烧炉安全事故 → 0$/);
  });
  it('rounds once, exactly: 1/3 of 100 by weights 1 and 2', () => {
    const s = scoreParticipant([{ key: 'A', weight: 1, score: 100 }, { key: 'B', weight: 2, score: 0 }], [{ points: 0.005, veto: false, reason: 'x' }], 'mean');
    expect(s.dataScore).toBe(33.33);
    expect(s.eventPoints).toBe(0.01);
    expect(s.total).toBe(33.34);
  });
});

describe('leaderboard', () => {
  const row = (key: string, total: number, vetoed = false) => ({ key, extra: null, score: { dataScore: total, eventPoints: 0, total: vetoed ? 0 : total, unvetoedTotal: total, vetoed, vetoReasons: vetoed ? ['x'] : [], missing: [], arithmetic: '' } });
  it('ranks with ties (1, 1, 3), vetoed last, and shares a rank\'s prize among the tied', () => {
    const ranked = rankParticipants([row('YH3', 80), row('YH1', 92.8), row('YH2', 92.8), row('YH4', 99, true)], prizes);
    expect(ranked.map((r) => [r.key, r.rank, r.prize?.nameEn ?? null])).toEqual([
      ['YH1', 1, 'First prize'],
      ['YH2', 1, 'First prize'],
      ['YH3', 3, null],
      ['YH4', 4, null],
    ]);
  });
  it('property: ranks are 1 + the number of strictly better non-vetoed totals, and totals never exceed data + events', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ total: fc.integer({ min: 0, max: 10000 }), vetoed: fc.boolean() }), { minLength: 1, maxLength: 12 }), (rows) => {
        const ranked = rankParticipants(rows.map((r, i) => row(`U${i}`, r.total / 100, r.vetoed)), prizes);
        for (const r of ranked) {
          const better = ranked.filter((o) => (!o.score.vetoed && r.score.vetoed) || (o.score.vetoed === r.score.vetoed && !o.score.vetoed && o.score.total > r.score.total)).length;
          expect(r.rank).toBe(better + 1);
          if (r.score.vetoed) expect(r.prize).toBeNull();
        }
      }),
    );
  });
  it('property: with only events, the total is their exact sum to 2 decimals', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10000, max: 10000 }).filter((x) => x !== 0), { maxLength: 20 }), (cents) => {
        const s = scoreParticipant([], cents.map((c) => ({ points: c / 100, veto: false, reason: 'r' })), 'points');
        expect(Math.round(s.total * 100)).toBe(cents.reduce((a, b) => a + b, 0));
      }),
    );
  });
});
