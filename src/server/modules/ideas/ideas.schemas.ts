import { z } from 'zod';
import { IDEA_ACTIONS, IDEA_STATUSES } from '../../../domain/results/ideas';
import { unitCode } from '../measurements/measurements.schemas';

export const ideaCategories = ['idea', 'small-improvement'] as const;
const yuanText = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'yuan: digits with at most 2 decimals');

/** Submitted for the caller's own unit; the submitter is the caller (and the caller's person record, if any). */
export const submitIdeaBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(4000).default(''),
  category: z.enum(ideaCategories).default('idea'),
});
export type SubmitIdeaBody = z.infer<typeof submitIdeaBody>;

export const reviewIdeaBody = z.strictObject({
  action: z.enum(IDEA_ACTIONS),
  note: z.string().trim().max(2000).default(''),
  /** The (expected or realised) yearly benefit in yuan, recorded on adopt and implement. */
  benefitYuan: yuanText.nullable().optional(),
  version: z.number().int().min(1),
});
export type ReviewIdeaBody = z.infer<typeof reviewIdeaBody>;

export const ideaSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  unit: z.string(),
  unitName: z.string(),
  /** The submitter's person code, else the account's user name. */
  submitter: z.string(),
  submitterName: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.enum(ideaCategories),
  status: z.enum(IDEA_STATUSES),
  reviewer: z.string().nullable(),
  reviewNote: z.string(),
  benefitYuan: z.string().nullable(),
  submittedAt: z.string(),
  adoptedAt: z.string().nullable(),
  implementedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Idea = z.infer<typeof ideaSchema>;
export const ideaList = z.object({ items: z.array(ideaSchema) });
export const ideaQuery = z.strictObject({ unit: unitCode.optional(), status: z.enum(IDEA_STATUSES).optional(), year: z.coerce.number().int().min(1900).max(2999).optional() });
export const ideaParams = z.strictObject({ id: z.uuid() });

export const summaryQuery = z.strictObject({ year: z.coerce.number().int().min(1900).max(2999) });
export const ideaSummary = z.object({
  year: z.number().int(),
  rows: z.array(z.object({ unit: z.string(), unitName: z.string(), submitted: z.number().int(), adopted: z.number().int(), implemented: z.number().int(), rejected: z.number().int(), benefitYuan: z.string() })),
  total: z.object({ submitted: z.number().int(), adopted: z.number().int(), implemented: z.number().int(), rejected: z.number().int(), benefitYuan: z.string() }),
});
export type IdeaSummary = z.infer<typeof ideaSummary>;
