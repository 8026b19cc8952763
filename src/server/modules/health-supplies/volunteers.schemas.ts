import { z } from 'zod';
import { personCode, siteCode } from '../access-live/access-scope';

const text = (max: number) => z.string().trim().min(1).max(max);

export const createVolunteerBody = z.strictObject({
  /** A registered person in your scope, by code. */
  person: personCode,
  /** The community or plant they help at, in your scope. */
  site: siteCode.nullable().default(null),
  task: text(200),
  /** When they can help, as they said it ("工作日晚上", "周末全天"). */
  available: text(200).nullable().default(null),
});
export type CreateVolunteerBody = z.infer<typeof createVolunteerBody>;
export const putVolunteerBody = z.strictObject({ task: text(200), available: text(200).nullable(), active: z.boolean(), version: z.number().int().min(1) });
export type PutVolunteerBody = z.infer<typeof putVolunteerBody>;
export const volunteerParams = z.strictObject({ id: z.uuid() });
export const volunteerQuery = z.strictObject({ site: siteCode.optional(), active: z.enum(['true', 'false']).optional() });

export const volunteerSchema = z.object({
  id: z.string(),
  /** Name masked. */
  person: z.object({ code: z.string(), name: z.string() }),
  site: z.object({ code: z.string(), nameZh: z.string() }).nullable(),
  task: z.string(),
  available: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Volunteer = z.infer<typeof volunteerSchema>;
export const volunteerList = z.object({ rows: z.array(volunteerSchema) });
