import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyGapClosed, type PeriodResult } from './verification';

const months = (holds: (boolean | null)[]): PeriodResult[] => holds.map((h, i) => ({ period: `2026-${String(i + 1).padStart(2, '0')}`, holds: h }));

describe('verifyGapClosed', () => {
  it('is verified after N good months in a row at the end of the data (default 2)', () => {
    expect(verifyGapClosed(months([true, false, false])).verified).toBe(true);
    expect(verifyGapClosed(months([true, false, false]))).toMatchObject({ goodRun: 2, goodPeriods: ['2026-02', '2026-03'], lastChecked: '2026-03', required: 2 });
    expect(verifyGapClosed(months([false])).verified).toBe(false);
    expect(verifyGapClosed(months([false]), 1).verified).toBe(true);
    expect(verifyGapClosed(months([false, false, true])).verified).toBe(false);
  });
  it('never counts missing data as good: months without data are skipped', () => {
    expect(verifyGapClosed(months([false, null, false]))).toMatchObject({ verified: true, goodPeriods: ['2026-01', '2026-03'] });
    expect(verifyGapClosed(months([true, null, false]))).toMatchObject({ verified: false, goodRun: 1 });
    expect(verifyGapClosed(months([false, false, null, null])).verified).toBe(true);
    expect(verifyGapClosed(months([null, null]))).toMatchObject({ verified: false, goodRun: 0, lastChecked: null });
    expect(verifyGapClosed([])).toMatchObject({ verified: false, lastChecked: null });
  });

  const result = fc.constantFrom<boolean | null>(true, false, null);
  it('property: verified iff the last `required` months with data are all good', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 30 }), fc.integer({ min: 1, max: 12 }), (hs, n) => {
        const out = verifyGapClosed(months(hs), n);
        const data = hs.filter((h) => h !== null);
        expect(out.verified).toBe(data.length >= n && data.slice(-n).every((h) => h === false));
        expect(out.goodRun).toBe(out.goodPeriods.length);
      }),
    );
  });
  it('property: months not reported yet change nothing; a bad month at the end always refutes', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 30 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 12 }), (hs, pad, n) => {
        const base = verifyGapClosed(months(hs), n);
        const padded = verifyGapClosed(months([...hs, ...Array<null>(pad).fill(null)]), n);
        expect(padded.verified).toBe(base.verified);
        expect(padded.goodRun).toBe(base.goodRun);
        expect(verifyGapClosed(months([...hs, true]), n).verified).toBe(false);
      }),
    );
  });
  it('property: replacing a good month by missing data never turns unverified into verified', () => {
    fc.assert(
      fc.property(fc.array(result, { minLength: 1, maxLength: 30 }), fc.nat(), fc.integer({ min: 1, max: 6 }), (hs, k, n) => {
        const i = k % hs.length;
        if (hs[i] !== false) return;
        const worse = [...hs];
        worse[i] = null;
        if (!verifyGapClosed(months(hs), n).verified) expect(verifyGapClosed(months(worse), n).verified).toBe(false);
      }),
    );
  });
});
