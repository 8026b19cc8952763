import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRules, NELSON_RULES, RULES, WESTERN_ELECTRIC_RULES, xmrLimits, zoneLines, type RuleCode, type Series, type Signal, type XmrLimits } from './control-chart';

/** Limits with the centre at `mean` and zones `width` wide, so the 1σ/2σ/3σ lines are exact. */
const limitsAt = (mean: number, width: number): XmrLimits => ({ mean, mrBar: (3 * width) / 2.66, ucl: mean + 3 * width, lcl: mean - 3 * width, sigma: (3 * width) / 2.66 / 1.128 });
// Centre 0, lines at ±1, ±2, ±3.
const L = limitsAt(0, 1);

const check = (code: RuleCode, series: Series, limits: XmrLimits = L) => RULES[code].check(limits, series);
const firedAt = (code: RuleCode, series: Series, limits: XmrLimits = L) => check(code, series, limits).map((s) => s.index);
const times = (n: number, v: number | null): (number | null)[] => Array.from({ length: n }, () => v);
const alternating = (n: number, a: number, b: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? a : b));

describe('XmR limits (hand-checked)', () => {
  it('monthly kWh/t: mean 13 005, MR̄ 28, limits 13 005 ± 74.48', () => {
    // Baseline 13000, 13020, 12990, 13010, 13030, 12980: sum 78 030 / 6 = 13 005.
    // Moving ranges 20, 30, 20, 20, 50: sum 140 / 5 = 28. 2.66 · 28 = 74.48; 28 / 1.128 = 24.8227.
    const l = xmrLimits([13_000, 13_020, 12_990, 13_010, 13_030, 12_980])!;
    expect(l.mean).toBe(13_005);
    expect(l.mrBar).toBe(28);
    expect(l.ucl).toBeCloseTo(13_079.48, 9);
    expect(l.lcl).toBeCloseTo(12_930.52, 9);
    expect(l.sigma).toBeCloseTo(24.822_695, 5);
    // Zones are thirds of 74.48 = 24.8267 (not σ̂ = 24.8227: 2.66 is 3/1.128 rounded).
    const lines = zoneLines(l);
    expect(lines.above[0]).toBeCloseTo(13_029.826_667, 5);
    expect(lines.above[1]).toBeCloseTo(13_054.653_333, 5);
    expect(lines.below[1]).toBeCloseTo(12_955.346_667, 5);
    expect(lines.above[2]).toBe(l.ucl);
  });
  it('screening drops moving ranges above 3.5·MR̄ (Nelson 1982) and recomputes MR̄ once', () => {
    // 10, 11, 10, 11, 10, 11, 10, 60: mean 133 / 8 = 16.625; ranges six 1s and a 50: MR̄ 56 / 7 = 8.
    // 3.5 · 8 = 28 < 50, so the 50 goes: MR̄ = 6 / 6 = 1 and the limits are 16.625 ± 2.66.
    const baseline = [10, 11, 10, 11, 10, 11, 10, 60];
    expect(xmrLimits(baseline)!.mrBar).toBe(8);
    const screened = xmrLimits(baseline, { screenRanges: true })!;
    expect(screened).toMatchObject({ mean: 16.625, mrBar: 1 });
    expect(screened.ucl).toBeCloseTo(19.285, 12);
    // Nothing above 3.5·MR̄: screening changes nothing.
    expect(xmrLimits([13_000, 13_020, 12_990, 13_010, 13_030, 12_980], { screenRanges: true })!.mrBar).toBe(28);
  });
  it('needs two finite values', () => {
    expect(xmrLimits([])).toBeNull();
    expect(xmrLimits([5])).toBeNull();
    expect(xmrLimits([5, Number.NaN, 6])).toBeNull();
    expect(xmrLimits([5, 5])).toEqual({ mean: 5, mrBar: 0, ucl: 5, lcl: 5, sigma: 0 });
  });
  it('zero-width limits from a flat baseline: any point off the centre line is beyond them', () => {
    const flat = xmrLimits([5, 5, 5])!;
    expect(check('WE1', [5, 5.01, 4.99], flat)).toMatchObject([
      { index: 1, side: 'above', facts: { distanceSigmas: null } },
      { index: 2, side: 'below', facts: { distanceSigmas: null } },
    ]);
  });
  it('a point beyond limits from a real baseline', () => {
    const l = xmrLimits([13_000, 13_020, 12_990, 13_010, 13_030, 12_980])!;
    const [s, ...rest] = check('WE1', [13_010, 13_079.48, 13_085], l);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ rule: 'WE1', index: 2, points: [2], side: 'above', facts: { value: 13_085, limit: l.ucl, mean: 13_005 } });
    expect(s!.facts.distanceSigmas).toBeCloseTo(80 / (74.48 / 3), 9);
  });
});

describe('WE1 / N1: one point beyond 3σ', () => {
  for (const code of ['WE1', 'N1'] as const) {
    it(`${code} fires beyond a limit, not on it`, () => {
      expect(check(code, [0, 3.1])).toEqual([{ rule: code, index: 1, points: [1], side: 'above', facts: { value: 3.1, limit: 3, mean: 0, distanceSigmas: 3.1 } }]);
      expect(firedAt(code, [-3.01])).toEqual([0]);
      expect(check(code, [-3.01])[0]!.side).toBe('below');
      expect(firedAt(code, [0, 3, -3, 2.99, null])).toEqual([]);
    });
  }
});

describe('WE2 / N5: 2 of 3 beyond 2σ on the same side', () => {
  for (const code of ['WE2', 'N5'] as const) {
    it(`${code} fires for two beyond on one side, with the third anywhere`, () => {
      expect(check(code, [2.5, 0, 2.5])).toEqual([{ rule: code, index: 2, points: [0, 2], side: 'above', facts: { beyond: 2, required: 2, window: 3, sigmas: 2, line: 2, windowStart: 0 } }]);
      expect(firedAt(code, [2.5, -2.5, 2.5])).toEqual([2]);
      expect(check(code, [-2.1, -2.2, 0])).toMatchObject([{ index: 1, points: [0, 1], side: 'below' }]);
    });
    it(`${code} does not fire for two beyond on opposite sides, three periods apart, or on the 2σ line`, () => {
      expect(firedAt(code, [2.5, 0, -2.5])).toEqual([]);
      expect(firedAt(code, [2.5, 0, 0, 2.5])).toEqual([]);
      expect(firedAt(code, [2.5, 2, 0])).toEqual([]);
    });
    it(`${code} is completed by a beyond point only, and a missing period does not undo it`, () => {
      // [A, A, ·]: complete at the second A; the ordinary third point completes nothing.
      expect(firedAt(code, [2.5, 2.5, 0])).toEqual([1]);
      expect(firedAt(code, [2.5, 2.5, 2.5])).toEqual([1, 2]);
      expect(firedAt(code, [2.5, null, 2.5])).toEqual([2]);
    });
  }
});

describe('WE3 / N6: 4 of 5 beyond 1σ on the same side', () => {
  for (const code of ['WE3', 'N6'] as const) {
    it(`${code} fires for four beyond on one side, the fifth anywhere`, () => {
      expect(check(code, [1.5, 1.5, 0, 1.5, 1.5])).toEqual([{ rule: code, index: 4, points: [0, 1, 3, 4], side: 'above', facts: { beyond: 4, required: 4, window: 5, sigmas: 1, line: 1, windowStart: 0 } }]);
      expect(firedAt(code, [1.5, 1.5, -2.9, 1.5, 1.5])).toEqual([4]);
      expect(firedAt(code, [-1.1, -1.1, -1.1, -1.1])).toEqual([3]);
    });
    it(`${code} does not fire for three beyond plus one on the other side, 4 of 6, or a point on the 1σ line`, () => {
      expect(firedAt(code, [1.5, 1.5, -1.5, 0, 1.5])).toEqual([]);
      expect(firedAt(code, [1.5, 1.5, 0, 0, 1.5, 1.5])).toEqual([]);
      expect(firedAt(code, [1.5, 1.5, 1, 1.5, 0])).toEqual([]);
    });
  }
});

describe('WE4 / N2: a run on the same side of the centre line', () => {
  it('WE4 fires at the 8th point in a row, and at every further one', () => {
    expect(check('WE4', times(8, 0.1))).toEqual([{ rule: 'WE4', index: 7, points: [0, 1, 2, 3, 4, 5, 6, 7], side: 'above', facts: { length: 8, runLength: 8, mean: 0 } }]);
    const ten = check('WE4', times(10, -0.1));
    expect(ten.map((s) => [s.index, s.side, s.facts.runLength])).toEqual([[7, 'below', 8], [8, 'below', 9], [9, 'below', 10]]);
    expect(ten[2]!.points).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('WE4 does not fire for 7, nor across a point on the centre line, a side change or a gap', () => {
    expect(firedAt('WE4', times(7, 0.1))).toEqual([]);
    expect(firedAt('WE4', [...times(4, 0.1), 0, ...times(4, 0.1)])).toEqual([]);
    expect(firedAt('WE4', [...times(8, 0.1), 0])).toEqual([7]);
    expect(firedAt('WE4', [...times(4, 0.1), -0.1, ...times(4, 0.1)])).toEqual([]);
    expect(firedAt('WE4', [...times(4, 0.1), null, ...times(4, 0.1)])).toEqual([]);
  });
  it('N2 fires at 9 in a row and not at 8', () => {
    expect(firedAt('N2', times(9, 2.9))).toEqual([8]);
    expect(firedAt('N2', times(8, 2.9))).toEqual([]);
    expect(firedAt('N2', [5, ...times(8, -0.5)])).toEqual([]);
  });
});

describe('N3: six in a row steadily increasing or decreasing', () => {
  it('fires at six points and not five', () => {
    expect(check('N3', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])).toEqual([{ rule: 'N3', index: 5, points: [0, 1, 2, 3, 4, 5], side: null, facts: { length: 6, runLength: 6, direction: 'increasing', first: 0.1, last: 0.6 } }]);
    expect(firedAt('N3', [0.1, 0.2, 0.3, 0.4, 0.5])).toEqual([]);
    expect(check('N3', [9, 7, 5, 3, 1, -1])).toMatchObject([{ index: 5, facts: { direction: 'decreasing' } }]);
  });
  it('an equal pair or a gap breaks the trend', () => {
    expect(firedAt('N3', [1, 2, 3, 3, 4, 5, 6])).toEqual([]);
    expect(firedAt('N3', [1, 2, 3, 4, 5, 5])).toEqual([]);
    expect(firedAt('N3', [1, 2, 3, null, 4, 5, 6])).toEqual([]);
  });
  it('a turning point ends one trend and starts the next', () => {
    const s = check('N3', [1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1]);
    expect(s.map((x) => [x.index, x.facts.direction])).toEqual([[5, 'increasing'], [10, 'decreasing']]);
    expect(s[1]!.points).toEqual([5, 6, 7, 8, 9, 10]);
  });
});

describe('N4: fourteen in a row alternating up and down', () => {
  it('fires at 14 points and not 13, whatever the zones', () => {
    expect(check('N4', alternating(14, 0, 0.1))).toEqual([{ rule: 'N4', index: 13, points: Array.from({ length: 14 }, (_, i) => i), side: null, facts: { length: 14, runLength: 14 } }]);
    expect(firedAt('N4', alternating(13, 0, 0.1))).toEqual([]);
    expect(firedAt('N4', alternating(15, -2.5, 2.5))).toEqual([13, 14]);
  });
  it('an unchanged value or a gap breaks the alternation', () => {
    // 0 1 0 1 0 1 | 1 0 1 0 1 0 1 0: fourteen points, but the equal pair splits them into 6 and 8.
    expect(firedAt('N4', [...alternating(6, 0, 1), ...alternating(8, 1, 0)])).toEqual([]);
    // Thirteen alternating and then an unchanged value is not fourteen.
    expect(firedAt('N4', [...alternating(13, 0, 1), 0])).toEqual([]);
    const withGap: Series = [...alternating(7, 0, 1), null, ...alternating(7, 1, 0)];
    expect(firedAt('N4', withGap)).toEqual([]);
  });
  it('two moves the same way start a new run at the second pair', () => {
    // 0 → 1 → 2 is up, up: the run starts at 1 and reaches 14 points at index 14.
    expect(firedAt('N4', [0, ...alternating(14, 1, 2)])).toEqual([14]);
  });
});

describe('N7: fifteen in a row within 1σ', () => {
  it('fires at 15 and not at 14; a point on the 1σ line is within', () => {
    const fifteen = [1, -1, ...alternating(13, 0.5, -0.5)];
    expect(check('N7', fifteen)).toEqual([{ rule: 'N7', index: 14, points: Array.from({ length: 15 }, (_, i) => i), side: null, facts: { length: 15, runLength: 15, lineAbove: 1, lineBelow: -1 } }]);
    expect(firedAt('N7', fifteen.slice(1))).toEqual([]);
  });
  it('one point beyond 1σ or a gap breaks the run', () => {
    expect(firedAt('N7', [...times(7, 0), 1.01, ...times(7, 0)])).toEqual([]);
    expect(firedAt('N7', [...times(7, 0), null, ...times(7, 0)])).toEqual([]);
  });
});

describe('N8: eight in a row with none within 1σ, on both sides', () => {
  it('fires at 8 and not at 7', () => {
    expect(check('N8', alternating(8, 1.5, -1.5))).toEqual([{ rule: 'N8', index: 7, points: [0, 1, 2, 3, 4, 5, 6, 7], side: null, facts: { length: 8, runLength: 8, above: 4, below: 4, lineAbove: 1, lineBelow: -1 } }]);
    expect(firedAt('N8', alternating(7, 1.5, -1.5))).toEqual([]);
    expect(firedAt('N8', [...times(7, 2.5), -1.1])).toEqual([7]);
  });
  it('does not fire when all eight are on one side (Nelson: "in both directions")', () => {
    expect(firedAt('N8', times(8, 1.5))).toEqual([]);
    // ... but does once the window of eight holds both sides.
    expect(firedAt('N8', [...times(8, 1.5), -1.5])).toEqual([8]);
  });
  it('a point within 1σ (on the line counts as within) or a gap breaks the run', () => {
    const onLine = alternating(8, 1.5, -1.5);
    onLine[3] = -1;
    expect(firedAt('N8', onLine)).toEqual([]);
    expect(firedAt('N8', [...alternating(4, 1.5, -1.5), null, ...alternating(4, 1.5, -1.5)])).toEqual([]);
  });
});

describe('evaluateRules', () => {
  it('runs each chosen rule once, ordered by index and then by the order asked', () => {
    const series = [...times(7, 0.1), 3.5];
    const s = evaluateRules(['WE4', 'WE1', 'WE4'], L, series);
    expect(s.map((x) => [x.index, x.rule])).toEqual([[7, 'WE4'], [7, 'WE1']]);
  });
  it('the Western Electric and Nelson presets on one series', () => {
    // 0.5 × 8 (WE4 from the 8th point, N2 from the 9th), then 1.5, 2.5, 2.5, 3.2: two beyond 2σ
    // at 10 and 11 (WE2/N5), four beyond 1σ at 11 (WE3/N6), beyond 3σ at 11 (WE1/N1). The equal
    // pair 2.5, 2.5 keeps the rise 0.5 → 3.2 from being a trend (N3).
    const series = [...times(8, 0.5), 1.5, 2.5, 2.5, 3.2];
    const we = evaluateRules(WESTERN_ELECTRIC_RULES, L, series).map((x) => `${x.rule}@${x.index}`);
    expect(we).toEqual(['WE4@7', 'WE4@8', 'WE4@9', 'WE2@10', 'WE4@10', 'WE1@11', 'WE2@11', 'WE3@11', 'WE4@11']);
    const nelson = evaluateRules(NELSON_RULES, L, series).map((x) => `${x.rule}@${x.index}`);
    expect(nelson).toEqual(['N2@8', 'N2@9', 'N2@10', 'N5@10', 'N1@11', 'N2@11', 'N5@11', 'N6@11']);
  });
  it('every rule code has a definition', () => {
    expect(Object.keys(RULES).sort()).toEqual([...WESTERN_ELECTRIC_RULES, ...NELSON_RULES].sort());
    for (const r of Object.values(RULES)) expect(r.definition.length).toBeGreaterThan(10);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. Integer data keep ties exact; cases with a point within 1e-6 of a zone line are
// skipped for the invariance properties, where rounding could legitimately move a point across.

const ALL: readonly RuleCode[] = [...WESTERN_ELECTRIC_RULES, ...NELSON_RULES];
const int = (min: number, max: number) => fc.integer({ min, max });
const baselineArb = fc.array(int(-20, 20), { minLength: 2, maxLength: 12 });
const segmentArb = fc.oneof(
  fc.array(fc.option(int(-60, 60), { nil: null, freq: 8 }), { maxLength: 10 }),
  fc.record({ start: int(-40, 40), stepBy: int(-8, 8), length: int(2, 16) }).map(({ start, stepBy, length }) => Array.from({ length }, (_, i) => start + i * stepBy)),
  fc.record({ a: int(-40, 40), b: int(-40, 40), length: int(2, 18) }).map(({ a, b, length }) => alternating(length, a, b)),
);
const seriesArb = fc.array(segmentArb, { maxLength: 6 }).map((parts): (number | null)[] => parts.flat());
const caseArb = fc.record({ baseline: baselineArb, series: seriesArb });

const shape = (s: Signal<RuleCode>) => ({ rule: s.rule, index: s.index, points: s.points, side: s.side, direction: s.facts.direction ?? null });
const clearOfLines = (limits: XmrLimits, series: Series): boolean => {
  const { above, below } = zoneLines(limits);
  const lines = [...above, ...below, limits.mean];
  return series.every((x) => x === null || lines.every((line) => Math.abs(x - line) > 1e-6));
};
const usable = (baseline: number[], series: Series): XmrLimits | null => {
  const l = xmrLimits(baseline);
  return l && l.mrBar > 0 && clearOfLines(l, series) ? l : null;
};
const mapSeries = (series: Series, f: (x: number) => number): Series => series.map((x) => (x === null ? null : f(x)));

describe('properties', () => {
  it('limits are symmetric about the mean and σ̂ = MR̄/1.128', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 30 }), (baseline) => {
        const l = xmrLimits(baseline)!;
        const tol = 1e-9 * (Math.abs(l.mean) + l.mrBar + 1);
        expect(Math.abs(l.ucl - l.mean - (l.mean - l.lcl))).toBeLessThanOrEqual(tol);
        expect(l.lcl).toBeLessThanOrEqual(l.mean);
        expect(l.ucl).toBeGreaterThanOrEqual(l.mean);
        expect(l.ucl - l.mean).toBeCloseTo(2.66 * l.mrBar, 3);
        expect(l.sigma * 1.128).toBeCloseTo(l.mrBar, 6);
      }),
    );
  });

  it('shifting the baseline and the series by a constant fires the same signals', () => {
    fc.assert(
      fc.property(caseArb, int(-1_000_000, 1_000_000), ({ baseline, series }, c) => {
        const l = usable(baseline, series);
        fc.pre(l !== null);
        const shifted = xmrLimits(baseline.map((x) => x + c))!;
        expect(evaluateRules(ALL, shifted, mapSeries(series, (x) => x + c)).map(shape)).toEqual(evaluateRules(ALL, l!, series).map(shape));
      }),
    );
  });

  it('scaling the baseline and the series by a positive constant fires the same signals', () => {
    fc.assert(
      fc.property(caseArb, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), ({ baseline, series }, a) => {
        const l = usable(baseline, series);
        fc.pre(l !== null);
        const scaled = xmrLimits(baseline.map((x) => x * a))!;
        expect(evaluateRules(ALL, scaled, mapSeries(series, (x) => x * a)).map(shape)).toEqual(evaluateRules(ALL, l!, series).map(shape));
      }),
    );
  });

  it('mirroring the baseline and the series swaps the sides and the trend directions', () => {
    const swap = { above: 'below', below: 'above', increasing: 'decreasing', decreasing: 'increasing' } as const;
    fc.assert(
      fc.property(caseArb, ({ baseline, series }) => {
        const l = usable(baseline, series);
        fc.pre(l !== null);
        const mirrored = evaluateRules(ALL, xmrLimits(baseline.map((x) => -x))!, mapSeries(series, (x) => -x)).map(shape);
        const expected = evaluateRules(ALL, l!, series)
          .map(shape)
          .map((s) => ({ ...s, side: s.side && swap[s.side], direction: s.direction && swap[s.direction as 'increasing' | 'decreasing'] }));
        expect(mirrored).toEqual(expected);
      }),
    );
  });

  it('WE1 ≡ N1, WE2 ≡ N5, WE3 ≡ N6, and every N2 point is also a WE4 point', () => {
    fc.assert(
      fc.property(caseArb, ({ baseline, series }) => {
        const l = xmrLimits(baseline)!;
        const same = (a: RuleCode, b: RuleCode) => expect(check(a, series, l).map((s) => ({ ...s, rule: b }))).toEqual(check(b, series, l));
        same('WE1', 'N1');
        same('WE2', 'N5');
        same('WE3', 'N6');
        const we4 = new Set(firedAt('WE4', series, l));
        for (const i of firedAt('N2', series, l)) expect(we4.has(i)).toBe(true);
      }),
    );
  });

  it('a signal lists its points in order, ending at its index, all present; runs are unbroken', () => {
    const runRules = new Set<RuleCode>(['WE4', 'N2', 'N3', 'N4', 'N7', 'N8']);
    fc.assert(
      fc.property(caseArb, ({ baseline, series }) => {
        for (const s of evaluateRules(ALL, xmrLimits(baseline)!, series)) {
          expect(s.points.at(-1)).toBe(s.index);
          expect([...s.points].sort((a, b) => a - b)).toEqual(s.points);
          for (const p of s.points) expect(series[p]).not.toBeNull();
          if (runRules.has(s.rule)) expect(s.points[0]! + s.points.length - 1).toBe(s.index);
        }
      }),
    );
  });

  it('the generated cases exercise every rule (so the properties above are not vacuous)', () => {
    const fired = new Set<string>();
    for (const { baseline, series } of fc.sample(caseArb, { numRuns: 400, seed: 42 })) {
      const l = xmrLimits(baseline)!;
      for (const s of evaluateRules(ALL, l, series)) fired.add(s.rule);
    }
    expect([...fired].sort()).toEqual([...ALL].sort());
  });
});
