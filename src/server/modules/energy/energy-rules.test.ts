import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formulaText, meterProblems, parseFormulaText, type MeterNode } from './meter-rules';
import { canonicalInstant, parseReadingTime, shanghaiDate } from './reading-time';

describe('reading times', () => {
  it('reads offsets, Z and local Asia/Shanghai time', () => {
    const at = (s: string) => {
      const p = parseReadingTime(s);
      return p.ok ? new Date(p.ms).toISOString() : p.message;
    };
    expect(at('2026-03-01T08:15:00+08:00')).toBe('2026-03-01T00:15:00.000Z');
    expect(at('2026-03-01T00:15:00Z')).toBe('2026-03-01T00:15:00.000Z');
    expect(at('2026-03-01T02:15:00-0600')).toBe('2026-03-01T08:15:00.000Z');
    expect(at('2026-03-01 08:15')).toBe('2026-03-01T00:15:00.000Z');
    expect(at('2026/3/1 8:15:30.1234')).toBe('2026-03-01T00:15:30.123Z');
    for (const bad of ['2026-02-29 00:00', '2026-13-01 00:00', '2026-03-01', 'now', '2026-03-01T24:00:00Z', '2026-03-01T00:00:00+15:00']) expect(parseReadingTime(bad).ok, bad).toBe(false);
    expect(parseReadingTime(12).ok).toBe(false);
    expect(shanghaiDate(Date.parse('2026-02-28T16:00:00Z'))).toBe('2026-03-01');
  });

  it('the canonical fast path agrees with the general parser, for valid and broken texts alike', () => {
    const canonical = fc
      .tuple(
        fc.date({ min: new Date('1899-12-30T00:00:00Z'), max: new Date('3000-01-02T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('Z', '+08:00', '-06:30', '+14:00', '+14:59', '+15:00', '-00:00'),
        fc.boolean(),
      )
      .map(([d, zone, withMs]) => d.toISOString().slice(0, withMs ? 23 : 19) + zone);
    // Broken ones: a character replaced anywhere (digits, separators), or an impossible day.
    const broken = fc.tuple(canonical, fc.nat(), fc.constantFrom('9', '3', 'x', ' ', ':', '-', '.')).map(([t, i, c]) => t.slice(0, i % t.length) + c + t.slice((i % t.length) + 1));
    const general = (t: string) => {
      // The general path alone: the same text with a trailing space skips the fast path.
      const p = parseReadingTime(`${t} `);
      return p.ok ? p.ms : null;
    };
    fc.assert(
      fc.property(fc.oneof(canonical, broken, fc.constantFrom('2026-02-29T00:00:00Z', '2024-02-29T23:59:59+08:00', '2026-04-31T00:00:00Z', '2026-03-01T24:00:00Z')), (t) => {
        const fast = canonicalInstant(t);
        if (fast !== null) expect(fast).toBe(general(t));
        const p = parseReadingTime(t);
        expect(p.ok ? p.ms : null).toBe(general(t));
      }),
      { numRuns: 2000 },
    );
    expect(canonicalInstant('2026-03-01T08:15:00+08:00')).toBe(Date.parse('2026-03-01T00:15:00Z'));
    expect(canonicalInstant('2026-03-01T08:15:00.250Z')).toBe(Date.parse('2026-03-01T08:15:00.250Z'));
    expect(canonicalInstant('2026-02-29T00:00:00Z')).toBeNull();
    expect(canonicalInstant('2026-03-01 08:15')).toBeNull();
  });

  it('an ISO instant printed by toISOString reads back as itself', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('2999-12-30T00:00:00Z'), noInvalidDate: true }), (d) => {
        const p = parseReadingTime(d.toISOString());
        expect(p).toEqual({ ok: true, ms: d.getTime() });
      }),
    );
  });
});

describe('meter rules', () => {
  const node = (code: string, over: Partial<MeterNode> = {}): MeterNode => ({ code, kind: 'counter', carrier: 'power', uom: 'kWh', unitId: 'u1', parentCode: null, rollover: null, formula: [], validFrom: '2000-01-01', validTo: null, ...over });
  const parents = new Map<string, string | null>([['u0', null], ['u1', 'u0'], ['u2', 'u1']]);

  it('finds formula cycles, direct and transitive, and parent cycles', () => {
    const graph = new Map([
      ['A', node('A')],
      ['V1', node('V1', { kind: 'virtual', formula: [{ meter: 'A', sign: 1 }, { meter: 'V2', sign: -1 }] })],
      ['V2', node('V2', { kind: 'virtual', formula: [{ meter: 'V1', sign: 1 }] })],
    ]);
    expect(meterProblems(graph, parents, 'V1').map((p) => p.code)).toEqual(['FORMULA_CYCLE']);
    const tree = new Map([
      ['P', node('P', { parentCode: 'C', unitId: 'u1' })],
      ['C', node('C', { parentCode: 'P', unitId: 'u1' })],
    ]);
    expect(meterProblems(tree, parents, 'P').map((p) => p.code)).toContain('PARENT_CYCLE');
    // A meter of u1 cannot sit under a meter of u2 (below it); u2 under u1 is fine.
    const units = new Map([
      ['TOP', node('TOP', { unitId: 'u2' })],
      ['SUB', node('SUB', { unitId: 'u1', parentCode: 'TOP' })],
    ]);
    expect(meterProblems(units, parents, 'SUB').map((p) => p.code)).toEqual(['PARENT_OUTSIDE_UNIT']);
    units.set('SUB', node('SUB', { unitId: 'u2' }));
    units.set('TOP', node('TOP', { unitId: 'u1' }));
    units.set('SUB', node('SUB', { unitId: 'u2', parentCode: 'TOP' }));
    expect(meterProblems(units, parents, 'SUB')).toEqual([]);
  });

  it('formula text round-trips; codes may contain -', () => {
    const p = parseFormulaText('DJ1-IN - DJ1-OUT + X.2');
    expect(p).toEqual({ ok: true, terms: [{ meter: 'DJ1-IN', sign: 1 }, { meter: 'DJ1-OUT', sign: -1 }, { meter: 'X.2', sign: 1 }] });
    expect(parseFormulaText('- A + B')).toEqual({ ok: true, terms: [{ meter: 'A', sign: -1 }, { meter: 'B', sign: 1 }] });
    expect(parseFormulaText('A +').ok).toBe(false);
    const code = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,10}$/);
    fc.assert(
      fc.property(fc.array(fc.record({ meter: code, sign: fc.constantFrom(1 as const, -1 as const) }), { minLength: 1, maxLength: 6 }), (terms) => {
        expect(parseFormulaText(formulaText(terms))).toEqual({ ok: true, terms });
      }),
    );
  });
});
