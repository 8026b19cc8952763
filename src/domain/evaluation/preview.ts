/**
 * The score preview behind the scheme editor: one value scored by one rule, as the API body gives
 * it, rounded to 2 decimals.
 */
import { ScoringError, type ItemScore } from './explanation';
import { scoreAddDeduct, scoreEfficacy, scoreFiveTier, type FiveNumbers } from './item-scoring';

export type ScorePreviewInput =
  | { method: 'efficacy'; value: number; satisfactory: number; impermissible: number }
  | { method: 'five-tier'; value: number; weight: number; tiers: FiveNumbers }
  | { method: 'add-deduct'; value: number; base: number; basePoints: number; perUnit: number; cap?: number | null; floor?: number | null };

/** The full item score (with its explanation) of a preview request. */
export function previewItem(input: ScorePreviewInput): ItemScore {
  switch (input.method) {
    case 'efficacy':
      return scoreEfficacy(input.value, { satisfactory: input.satisfactory, impermissible: input.impermissible }, 2);
    case 'five-tier':
      return scoreFiveTier(input.value, { weight: input.weight, tiers: input.tiers }, 2);
    case 'add-deduct': {
      // The preview body has no direction: basePoints + perUnit × (value − base), so a negative
      // perUnit means lower is better, which is the rule's direction 'lower' with |perUnit|.
      const lower = input.perUnit < 0;
      return scoreAddDeduct(input.value, { base: input.base, basePoints: input.basePoints, perUnit: Math.abs(input.perUnit), direction: lower ? 'lower' : 'higher', cap: input.cap ?? null, floor: input.floor ?? null }, 2);
    }
    default:
      throw new ScoringError('The method must be efficacy, five-tier or add-deduct', 'method');
  }
}

/** Scores one value by one rule for the preview API: { score } rounded to 2 decimals. */
export function scorePreview(input: ScorePreviewInput): { score: number } {
  return { score: previewItem(input).score };
}
