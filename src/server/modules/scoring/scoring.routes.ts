import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ScoringError } from '../../../domain/evaluation/explanation';
import { previewItem } from '../../../domain/evaluation/preview';
import { businessRule } from '../../errors';
import { scorePreviewBody, scorePreviewResponse } from './scoring.schemas';

const tags = ['evaluation'];

export function scoringRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/scoring/preview',
    {
      // A calculator: it reads and writes nothing, so anyone signed in may use it.
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Score one value by one rule (efficacy, five-tier, add-deduct), with the arithmetic',
        description:
          'efficacy: 60 + 40 × (value − impermissible) ÷ (satisfactory − impermissible). five-tier: weight × tier coefficient (1.0, 0.8, 0.6, 0.4, 0.2) plus the interpolation towards the next tier up, never above the weight; tiers from best to worst, for lower-is-better lists too. add-deduct: basePoints + perUnit × (value − base), within cap and floor. The score is rounded to 2 decimals.',
        body: scorePreviewBody,
        response: { 200: scorePreviewResponse },
      },
    },
    (request) => {
      try {
        const { score, explanation } = previewItem(request.body);
        return { score, explanation: { rule: explanation.rule, value: explanation.value, references: explanation.references, arithmetic: explanation.arithmetic, ...(explanation.limitedBy ? { limitedBy: explanation.limitedBy } : {}) } };
      } catch (e) {
        if (e instanceof ScoringError) throw businessRule('SCORING_INVALID', e.message, { field: e.field });
        throw e;
      }
    },
  );
}
