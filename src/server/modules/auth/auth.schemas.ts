import { z } from 'zod';

export const localeSchema = z.enum(['zh-CN', 'en-US']);
export type Locale = z.infer<typeof localeSchema>;

export const scopeSchema = z.enum(['own', 'subtree', 'all']);
export type Scope = z.infer<typeof scopeSchema>;

/** A second-factor code: 6 digits from the authenticator app. */
export const totpCode = z.string().regex(/^\d{6}$/, 'the code is 6 digits');

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** The TOTP code; needed (401 MFA_REQUIRED without it) when the account has a second factor. */
  code: totpCode.optional(),
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
  /** The second factor: set up, and required by one of the roles (then everything else answers 403 MFA_ENROLMENT_REQUIRED until it is). */
  mfa: z.object({ enrolled: z.boolean(), required: z.boolean() }),
});
export type Me = z.infer<typeof meSchema>;

export const sessionResponse = z.object({ user: meSchema, csrfToken: z.string() });
export type SessionResponse = z.infer<typeof sessionResponse>;

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const localeBody = z.strictObject({ locale: localeSchema });

export const emptyBody = z.strictObject({});
export const mfaCodeBody = z.strictObject({ code: totpCode });
/** A new TOTP secret, shown once: the otpauth URI (for the QR code) and the base32 text. */
export const mfaEnrolment = z.object({ secret: z.string(), uri: z.string() });
export type MfaEnrolment = z.infer<typeof mfaEnrolment>;

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
