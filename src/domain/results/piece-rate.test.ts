import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalOf, fenOf } from './money';
import { teamEarnings } from './piece-rate';

const rates = [{ product: '原铝液', uom: 't', rate: '12.3000' }];
const prices = [
  { product: '原铝液', grade: 'Al99.85', price: '8.00' },
  { product: '原铝液', grade: 'Al99.70', price: '0' },
  { product: '原铝液', grade: '等外', price: '-20' },
];

describe('team earnings', () => {
  it('1 234.5 t × 12.30 ¥/t + grade prices, hand-checked, and shared by points to the fen', () => {
    const e = teamEarnings(
      [
        { product: '原铝液', grade: 'Al99.85', quantity: '1000' },
        { product: '原铝液', grade: 'Al99.70', quantity: '234.5' },
      ],
      rates,
      prices,
      [
        { key: 'W0001', points: '12' },
        { key: 'W0002', points: '10' },
        { key: 'W0003', points: '10' },
        { key: 'W0004', points: '8' },
      ],
    );
    // 1000 × 12.3 = 12300.00 + 1000 × 8 = 8000.00; 234.5 × 12.3 = 2884.35 + 0 → 15184.35 piece, 8000 quality.
    expect(e.lines.map((l) => [l.pieceAmount, l.qualityAmount, l.amount])).toEqual([
      ['12300.00', '8000.00', '20300.00'],
      ['2884.35', '0.00', '2884.35'],
    ]);
    expect(e).toMatchObject({ pieceTotal: '15184.35', qualityTotal: '8000.00', total: '23184.35', totalPoints: '40', allocationProblem: null });
    expect(e.lines[0]!.arithmetic).toBe('1000 × 12.3 = 12300.00; 1000 × 8 = 8000.00; 12300.00 + 8000 = 20300.00');
    // Quotas: 23184.35 × 12/40 = 6955.305, × 10/40 = 5796.0875 (twice), × 8/40 = 4636.87.
    // Floors 6955.30 + 5796.08 + 5796.08 + 4636.87 = 23184.33: the 2 fen left go to the largest
    // remainders, the two 0.75 fen, not to the 0.5 fen (so 6955.305 is not rounded up here).
    expect(e.members.map((m) => m.amount)).toEqual(['6955.30', '5796.09', '5796.09', '4636.87']);
    expect(e.members[0]!.arithmetic).toBe('23184.35 × 12 ÷ 40 ≈ 6955.305 → 6955.30');
  });
  it('a grade with a negative price deducts, and a product without a rate earns only its quality price', () => {
    const e = teamEarnings(
      [
        { product: '原铝液', grade: '等外', quantity: '10.25' },
        { product: '铝锭', grade: 'Al99.70', quantity: '5' },
      ],
      rates,
      prices,
      [],
    );
    expect(e.lines[0]).toMatchObject({ pieceAmount: '126.08', qualityAmount: '-205.00', amount: '-78.92', problem: null });
    expect(e.lines[1]).toMatchObject({ rate: null, pieceAmount: '0.00', problem: 'NO_RATE' });
    expect(e).toMatchObject({ total: '-78.92', allocationProblem: 'NO_MEMBERS', members: [] });
  });
  it('says NO_POINTS when every member has 0 points', () => {
    expect(teamEarnings([], rates, prices, [{ key: 'W', points: '0' }])).toMatchObject({ total: '0.00', allocationProblem: 'NO_POINTS', arithmetic: 'no output: 0.00' });
  });
  it('property: the members\' shares add up to the team total exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ q: fc.integer({ min: 0, max: 10_000_000 }), grade: fc.constantFrom('Al99.85', 'Al99.70', '等外') }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 15 }),
        (outputs, rateCents, points) => {
          fc.pre(points.some((p) => p > 0));
          const e = teamEarnings(
            outputs.map((o) => ({ product: '原铝液', grade: o.grade, quantity: String(o.q / 1000) })),
            [{ product: '原铝液', uom: 't', rate: String(rateCents / 10000) }],
            prices,
            points.map((p, i) => ({ key: `P${i}`, points: String(p / 100) })),
          );
          const shares = e.members.reduce((a, m) => a + fenOf(decimalOf(m.amount)), 0n);
          expect(shares).toBe(fenOf(decimalOf(e.total)));
          const lines = e.lines.reduce((a, l) => a + fenOf(decimalOf(l.amount)), 0n);
          expect(lines).toBe(fenOf(decimalOf(e.total)));
        },
      ),
    );
  });
});
