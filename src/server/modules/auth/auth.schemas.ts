import { z } from 'zod';

export const localeSchema = z.enum(['zh-CN', 'en-US']);
export type Locale = z.infer<typeof localeSchema>;

export const scopeSchema = z.enum(['own', 'subtree', 'all']);
export type Scope = z.infer<typeof scopeSchema>;

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

/** The signed-in user as the web app sees it. */
export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  unitId: z.string().nullable(),
  unitCode: z.string().nullable(),
  roles: z.array(z.object({ code: z.string(), scope: scopeSchema })),
  permissions: z.array(z.string()),
  locale: localeSchema,
  mustChangePassword: z.boolean(),
  passwordExpired: z.boolean(),
});
export type Me = z.infer<typeof meSchema>;

export const sessionResponse = z.object({ user: meSchema, csrfToken: z.string() });
export type SessionResponse = z.infer<typeof sessionResponse>;

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const localeBody = z.strictObject({ locale: localeSchema });

export const sessionItem = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type SessionItem = z.infer<typeof sessionItem>;
export const sessionList = z.object({ items: z.array(sessionItem) });

export const demoAccounts = z.object({
  demo: z.boolean(),
  password: z.string().nullable(),
  accounts: z.array(z.object({ username: z.string(), role: z.string(), unitCode: z.string().nullable() })),
});
export type DemoAccounts = z.infer<typeof demoAccounts>;
