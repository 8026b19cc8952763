import { z } from 'zod';

export const personSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  unitId: z.string().nullable(),
  userId: z.string().nullable(),
  cadre: z.boolean(),
  version: z.number().int(),
});
export type Person = z.infer<typeof personSchema>;
export const personList = z.object({ items: z.array(personSchema) });
export const createPersonBody = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  name: z.string().trim().min(1).max(100),
  unitId: z.string().uuid().nullable(),
  userId: z.string().uuid().nullable().optional(),
  cadre: z.boolean().optional(),
});
export const updatePersonBody = z.strictObject({
  version: z.number().int().min(1),
  name: z.string().trim().min(1).max(100).optional(),
  unitId: z.string().uuid().nullable().optional(),
  userId: z.string().uuid().nullable().optional(),
  cadre: z.boolean().optional(),
});
