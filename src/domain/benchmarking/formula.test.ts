import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFormulas, evaluateFormula, formulaRefs, FormulaError, parseFormula } from './formula';

const evalWith = (text: string, values: Record<string, number | null> = {}) => evaluateFormula(parseFormula(text), (c) => values[c] ?? null);

describe('parseFormula and evaluateFormula', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 / 4', 2.5],
    ['-3 + 5', 2],
    ['2 × 3 − 1', 5],
    ['9 ÷ （1 + 2）', 3],
    ['1e3 / 8', 125],
    ['- -4', 4],
  ])('%s = %d', (text, expected) => {
    expect(evalWith(text)).toBe(expected);
  });

  it('reads indicator codes with dots and underscores; a dash is a minus', () => {
    const f = parseFormula('DJ_DC_KWH / DJ.AL_OUT');
    expect(formulaRefs(f)).toEqual(['DJ_DC_KWH', 'DJ.AL_OUT']);
    expect(evalWith('DJ_DC_KWH / DJ.AL_OUT', { DJ_DC_KWH: 13_000_000, 'DJ.AL_OUT': 1000 })).toBe(13_000);
    expect(evalWith('A-B', { A: 5, B: 2 })).toBe(3);
  });

  it('is null when an input is missing or a division is by zero', () => {
    expect(evalWith('A / B', { A: 1 })).toBeNull();
    expect(evalWith('A / B', { A: 1, B: 0 })).toBeNull();
  });

  it.each(['', '1 +', '(1 + 2', '1 + 2)', 'A B', '2 ** 3', 'alert(1)', 'A; B', '1 +* 2', '@'])('refuses %j with a positioned message', (text) => {
    expect(() => parseFormula(text)).toThrow(FormulaError);
  });

  it('property: printing a random tree and parsing it gives the same value', () => {
    type Node = { k: 'n'; v: number } | { k: 'b'; op: '+' | '-' | '*' | '/'; l: Node; r: Node };
    const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.integer({ min: 0, max: 99 }).map((v) => ({ k: 'n', v }) as Node),
        fc.record({ k: fc.constant('b' as const), op: fc.constantFrom('+', '-', '*', '/'), l: tie('node'), r: tie('node') }) as fc.Arbitrary<Node>,
      ),
    })).node;
    const print = (n: Node): string => (n.k === 'n' ? String(n.v) : `(${print(n.l)} ${n.op} ${print(n.r)})`);
    const value = (n: Node): number | null => {
      if (n.k === 'n') return n.v;
      const l = value(n.l);
      const r = value(n.r);
      if (l === null || r === null) return null;
      if (n.op === '/') return r === 0 ? null : l / r;
      return n.op === '+' ? l + r : n.op === '-' ? l - r : l * r;
    };
    fc.assert(
      fc.property(tree, (n) => {
        expect(evalWith(print(n))).toBe(value(n));
      }),
    );
  });
});

describe('checkFormulas', () => {
  it('rejects unknown codes and cycles with clear messages', () => {
    const problems = checkFormulas([
      { code: 'A', formula: 'B / C' },
      { code: 'B', formula: null },
      { code: 'C', formula: 'D * 2' },
      { code: 'D', formula: 'A + 1' },
      { code: 'E', formula: 'NOPE + 1' },
      { code: 'F', formula: 'F' },
      { code: 'G', formula: '1 +' },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { code: 'E', kind: 'FORMULA_UNKNOWN_CODES', codes: ['NOPE'], message: 'Unknown indicator code(s) in the formula: NOPE' },
        { code: 'D', kind: 'FORMULA_CYCLE', codes: ['A', 'C', 'D', 'A'], message: 'The formula makes a cycle: A → C → D → A' },
        { code: 'F', kind: 'FORMULA_CYCLE', codes: ['F', 'F'], message: 'The formula makes a cycle: F → F' },
        expect.objectContaining({ code: 'G', kind: 'FORMULA_SYNTAX', codes: [], message: expect.stringContaining('Formula:') }),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('accepts a chain of derived indicators', () => {
    expect(checkFormulas([{ code: 'KWH', formula: null }, { code: 'T', formula: null }, { code: 'KWH_T', formula: 'KWH / T' }, { code: 'MWH_T', formula: 'KWH_T / 1000' }])).toEqual([]);
  });
});
