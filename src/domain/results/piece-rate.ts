/**
 * Piece rate and quality price (生产计件、质量计价) of a team for a month: each output line earns
 * quantity × piece rate plus quantity × the price of its quality grade, each rounded to the fen half
 * away from zero; the team's earnings are the sum of the lines (so the printed lines add up), and
 * are shared among the members by their points (工分) by largest remainder, to the fen exactly.
 */
import { add, div, mul, operand, sign, sum, toNumber, ZERO, type Exact } from '../evaluation/decimal';
import { allocateLargestRemainder, decimalOf, fenOf, plainText, yuan, yuanOfFen } from './money';

export interface OutputInput {
  product: string;
  grade: string;
  /** Decimal text, e.g. "1234.5". */
  quantity: string;
}
export interface RateInput {
  product: string;
  uom: string;
  /** Yuan per unit, decimal text. */
  rate: string;
}
export interface QualityPriceInput {
  product: string;
  grade: string;
  /** Yuan per unit, decimal text; negative for a deduction. */
  price: string;
}
export interface MemberPointsInput {
  key: string;
  /** Decimal text ≥ 0. */
  points: string;
}

export interface EarningLine {
  product: string;
  grade: string;
  quantity: string;
  uom: string | null;
  rate: string | null;
  pieceAmount: string;
  qualityPrice: string | null;
  qualityAmount: string;
  amount: string;
  /** "1234.5 × 12.3 = 15184.35; 1234.5 × 8 = 9876; 15184.35 + 9876 = 25060.35". */
  arithmetic: string;
  /** NO_RATE: no piece rate for the product in the month (the line earns only its quality price). */
  problem: 'NO_RATE' | null;
}

export interface MemberShare {
  key: string;
  points: string;
  amount: string;
  /** "25060.35 × 12 ÷ 40 = 7518.105 → 7518.11 (largest remainder)". */
  arithmetic: string;
}

export interface TeamEarnings {
  lines: EarningLine[];
  pieceTotal: string;
  qualityTotal: string;
  total: string;
  arithmetic: string;
  totalPoints: string;
  members: MemberShare[];
  /** Why there is no allocation: no members with points, or every member has 0 points. */
  allocationProblem: 'NO_MEMBERS' | 'NO_POINTS' | null;
}

const round2 = (a: Exact): Exact => decimalOf(yuan(a));

/** The team's earnings line by line, the total and each member's share by points. */
export function teamEarnings(outputs: readonly OutputInput[], rates: readonly RateInput[], prices: readonly QualityPriceInput[], members: readonly MemberPointsInput[]): TeamEarnings {
  const rateOf = new Map(rates.map((r) => [r.product, r]));
  const priceOf = new Map(prices.map((p) => [`${p.product}\u0000${p.grade}`, p]));
  let pieceTotal: Exact = ZERO;
  let qualityTotal: Exact = ZERO;
  const lines: EarningLine[] = outputs.map((o) => {
    const q = decimalOf(o.quantity);
    const rate = rateOf.get(o.product) ?? null;
    const price = priceOf.get(`${o.product}\u0000${o.grade}`) ?? null;
    const piece = rate ? round2(mul(q, decimalOf(rate.rate))) : ZERO;
    const quality = price ? round2(mul(q, decimalOf(price.price))) : ZERO;
    pieceTotal = add(pieceTotal, piece);
    qualityTotal = add(qualityTotal, quality);
    const amount = add(piece, quality);
    const qText = plainText(q);
    const parts = [
      rate ? `${qText} × ${operand(decimalOf(rate.rate))} = ${yuan(piece)}` : `no piece rate for ${o.product}: 0`,
      price ? `${qText} × ${operand(decimalOf(price.price))} = ${yuan(quality)}` : `no quality price for ${o.grade}: 0`,
      `${yuan(piece)} + ${operand(toNumber(quality))} = ${yuan(amount)}`,
    ];
    return {
      product: o.product,
      grade: o.grade,
      quantity: qText,
      uom: rate?.uom ?? null,
      rate: rate ? plainText(decimalOf(rate.rate)) : null,
      pieceAmount: yuan(piece),
      qualityPrice: price ? plainText(decimalOf(price.price)) : null,
      qualityAmount: yuan(quality),
      amount: yuan(amount),
      arithmetic: parts.join('; '),
      problem: rate ? null : 'NO_RATE',
    };
  });
  const total = add(pieceTotal, qualityTotal);
  const arithmetic = lines.length === 0 ? 'no output: 0.00' : `${lines.map((l) => operand(Number(l.amount))).join(' + ')} = ${yuan(total)}`;

  const pointsOf = members.map((m) => decimalOf(m.points));
  const totalPoints = sum(pointsOf);
  let allocationProblem: TeamEarnings['allocationProblem'] = null;
  let shares: MemberShare[] = [];
  if (members.length === 0) allocationProblem = 'NO_MEMBERS';
  else if (sign(totalPoints) === 0) allocationProblem = 'NO_POINTS';
  else {
    const fen = allocateLargestRemainder(fenOf(total), pointsOf);
    shares = members.map((m, i) => ({
      key: m.key,
      points: plainText(pointsOf[i]!, 2),
      amount: yuanOfFen(fen[i]!),
      arithmetic: `${yuan(total)} × ${plainText(pointsOf[i]!, 2)} ÷ ${plainText(totalPoints, 2)} ≈ ${plainText(div(mul(total, pointsOf[i]!), totalPoints), 4)} → ${yuanOfFen(fen[i]!)}`,
    }));
  }
  return { lines, pieceTotal: yuan(pieceTotal), qualityTotal: yuan(qualityTotal), total: yuan(total), arithmetic, totalPoints: plainText(totalPoints, 2), members: shares, allocationProblem };
}
