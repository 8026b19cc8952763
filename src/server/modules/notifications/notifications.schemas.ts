import { z } from 'zod';

export const notificationSchema = z.object({
  id: z.string(),
  /** e.g. 'notice.weekly', 'notice.daily', 'supervision.red'. */
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** A path in the web app, or null. */
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;
export const notificationList = z.object({
  rows: z.array(notificationSchema),
  /** How many of your notifications are unread (all of them, not only the rows listed). */
  unread: z.number().int(),
});
export type NotificationList = z.infer<typeof notificationList>;
export const notificationQuery = z.strictObject({
  unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const notificationParams = z.strictObject({ id: z.uuid() });
export const readAllResult = z.object({ updated: z.number().int(), unread: z.number().int() });
/** Nothing to say: an empty object, or no body. */
export const emptyBody = z.strictObject({}).nullish();
