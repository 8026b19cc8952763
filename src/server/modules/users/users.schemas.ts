import { z } from 'zod';

export const userStatusSchema = z.enum(['active', 'disabled']);
export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  unitId: z.string().nullable(),
  roleCodes: z.array(z.string()),
  status: userStatusSchema,
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
  /** A second factor (TOTP) is enrolled. */
  mfaEnrolled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type User = z.infer<typeof userSchema>;
export const userList = z.object({ items: z.array(userSchema) });

const username = z.string().regex(/^[a-z][a-z0-9._-]{1,31}$/, 'username: 2–32 lower-case letters, digits, . _ -, starting with a letter');
export const createUserBody = z.strictObject({
  username,
  displayName: z.string().trim().min(1).max(100),
  unitId: z.string().uuid().nullable(),
  roleCodes: z.array(z.string().max(40)).max(10),
  password: z.string().min(1).max(256),
});
export const updateUserBody = z.strictObject({
  version: z.number().int().min(1),
  displayName: z.string().trim().min(1).max(100).optional(),
  unitId: z.string().uuid().nullable().optional(),
});
export const setRolesBody = z.strictObject({ version: z.number().int().min(1), roleCodes: z.array(z.string().max(40)).max(10) });
export const resetPasswordBody = z.strictObject({ version: z.number().int().min(1), password: z.string().min(1).max(256) });
