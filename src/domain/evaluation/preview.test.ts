import { describe, expect, it } from 'vitest';
import { ScoringError } from './explanation';
import { previewItem, scorePreview, type ScorePreviewInput } from './preview';

describe('score preview (the API body shapes)', () => {
  it('efficacy: 5.81 against 12 and 6 → 58.73', () => {
    expect(scorePreview({ method: 'efficacy', value: 5.81, satisfactory: 12, impermissible: 6 })).toEqual({ score: 58.73 });
  });
  it('five-tier: 90 with weight 20 and tiers 100/80/60/40/20 → 18; mirrored → 18', () => {
    expect(scorePreview({ method: 'five-tier', value: 90, weight: 20, tiers: [100, 80, 60, 40, 20] })).toEqual({ score: 18 });
    expect(scorePreview({ method: 'five-tier', value: 20, weight: 20, tiers: [10, 30, 50, 70, 90] })).toEqual({ score: 18 });
  });
  it('add-deduct: 108 % with 10 at 100, 1 per point, cap 15, floor 0 → 15; cap and floor may be null', () => {
    expect(scorePreview({ method: 'add-deduct', value: 108, base: 100, basePoints: 10, perUnit: 1, cap: 15, floor: 0 })).toEqual({ score: 15 });
    expect(scorePreview({ method: 'add-deduct', value: 108, base: 100, basePoints: 10, perUnit: 1, cap: null, floor: null })).toEqual({ score: 18 });
  });
  it('add-deduct: a negative perUnit means lower is better (basePoints + perUnit × (value − base))', () => {
    // 10 + (−0.5) × (1980 − 2000) = 20 → capped at 15; 10 + (−0.5) × (2010 − 2000) = 5
    const at = (value: number) => previewItem({ method: 'add-deduct', value, base: 2000, basePoints: 10, perUnit: -0.5, cap: 15, floor: 0 });
    expect(at(1980).score).toBe(15);
    expect(at(2010)).toMatchObject({ score: 5, explanation: { rule: 'add-deduct.worse', arithmetic: '10 − (2010 − 2000) × 0.5 = 5 → 5' } });
    expect(at(1996).score).toBe(12);
  });
  it('rounds to 2 decimals half away from zero', () => {
    // 60 + 40 × 0.01275 ÷ 6 = 60.085 → 60.09
    expect(scorePreview({ method: 'efficacy', value: 6.01275, satisfactory: 12, impermissible: 6 })).toEqual({ score: 60.09 });
  });
  it('gives the explanation too, and refuses what it cannot score', () => {
    expect(previewItem({ method: 'efficacy', value: 5.81, satisfactory: 12, impermissible: 6 }).explanation.arithmetic).toBe('60 + 40 × (5.81 − 6) ÷ (12 − 6) ≈ 58.7333 → 58.73');
    expect(() => scorePreview({ method: 'efficacy', value: 5, satisfactory: 6, impermissible: 6 })).toThrow(ScoringError);
    expect(() => scorePreview({ method: 'pass-fail' } as unknown as ScorePreviewInput)).toThrow(/method/);
  });
});
