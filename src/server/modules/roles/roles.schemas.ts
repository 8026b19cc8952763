import { z } from 'zod';
import { scopeSchema } from '../auth/auth.schemas';

export const roleSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  scope: scopeSchema,
  permissions: z.array(z.string()),
  builtIn: z.boolean(),
  version: z.number().int(),
});
export type Role = z.infer<typeof roleSchema>;
export const roleList = z.object({ items: z.array(roleSchema) });
export const permissionList = z.object({
  items: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })),
});

const roleCode = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'role code: lower-case letters, digits and -');
export const createRoleBody = z.strictObject({
  code: roleCode,
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(200),
  scope: scopeSchema,
  permissions: z.array(z.string().max(64)).max(200),
});
export const updateRoleBody = z.strictObject({
  version: z.number().int().min(1),
  nameZh: z.string().trim().min(1).max(100).optional(),
  nameEn: z.string().trim().min(1).max(200).optional(),
  scope: scopeSchema.optional(),
  permissions: z.array(z.string().max(64)).max(200).optional(),
});
export const roleParams = z.strictObject({ code: roleCode });
