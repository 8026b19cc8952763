import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { emptyBody, notificationList, notificationParams, notificationQuery, notificationSchema, readAllResult } from './notifications.schemas';
import type { NotificationService } from './notifications.service';

const tags = ['notifications'];

export function notificationRoutes(app: FastifyInstance, notifications: NotificationService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/notifications',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Your notifications (reminders, escalations, notices), newest first, with the unread count', querystring: notificationQuery, response: { 200: notificationList } } },
    (request) => notifications.list(actorOf(request), request.query),
  );
  r.post(
    '/api/notifications/read-all',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Mark all your notifications read', body: emptyBody, response: { 200: readAllResult } } },
    (request) => notifications.readAll(request.ctx, actorOf(request)),
  );
  r.post(
    '/api/notifications/:id/read',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Mark one of your notifications read (idempotent)', params: notificationParams, body: emptyBody, response: { 200: notificationSchema } } },
    (request) => notifications.read(request.ctx, actorOf(request), request.params.id),
  );
}
