import { problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity, principalOf } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { toPublicNotification } from '../domain/notification.ts';
import type { NotificationRules } from '../domain/notifications.ts';
import { ListQuery, NotificationPage } from './schemas.ts';

/** The notification-service HTTP API: a customer reads their own notifications, an admin anyone's. */
export function registerNotificationRoutes(app: HttpApp, rules: NotificationRules): void {
  app.get(
    '/notifications',
    {
      onRequest: authenticate(),
      schema: {
        tags: ['notifications'],
        security: bearerSecurity,
        querystring: ListQuery,
        response: { 200: NotificationPage, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { userId, cursor, limit } = request.query;
      const page = await rules.list(principalOf(request), { limit: limit ?? 50, ...(userId ? { userId } : {}), ...(cursor ? { cursor } : {}) });
      return { items: page.items.map(toPublicNotification), nextCursor: page.nextCursor };
    },
  );
}
