import { z } from 'zod';

const figure = z.number().min(-1e15).max(1e15);
const points = z.number().min(-1e6).max(1e6);

/** One value scored by one rule: the calculator anyone can use to check a scheme's arithmetic. */
export const scorePreviewBody = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('efficacy'), value: figure, satisfactory: figure, impermissible: figure }),
  z.strictObject({
    method: z.literal('five-tier'),
    value: figure,
    weight: points.positive(),
    /** SASAC standard values from best to worst: excellent, good, average, low, poor. */
    tiers: z.tuple([figure, figure, figure, figure, figure]),
  }),
  z.strictObject({
    method: z.literal('add-deduct'),
    value: figure,
    base: figure,
    basePoints: points,
    /** Points per unit above the base (negative when lower is better). */
    perUnit: points,
    cap: points.nullable().optional(),
    floor: points.nullable().optional(),
  }),
]);

export const scorePreviewResponse = z.object({
  /** Rounded to 2 decimals, half away from zero. */
  score: z.number(),
  explanation: z.object({
    rule: z.string(),
    value: z.union([z.number(), z.boolean(), z.string()]).nullable(),
    references: z.record(z.string(), z.number()),
    arithmetic: z.string(),
    limitedBy: z.enum(['cap', 'floor']).optional(),
  }),
});
