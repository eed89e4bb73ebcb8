import { problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { toPublicOrder } from '../domain/order.ts';
import type { OrderAdminQueries } from '../store/admin-queries.ts';
import { AdminListQuery, OrderPage } from './schemas.ts';

/** The admin console's view of every customer's orders. */
export function registerOrderAdminRoutes(app: HttpApp, queries: OrderAdminQueries): void {
  app.get(
    '/orders',
    {
      onRequest: authenticate('admin'),
      schema: {
        tags: ['orders'],
        summary: 'All orders, optionally of one status, newest first (admin)',
        security: bearerSecurity,
        querystring: AdminListQuery,
        response: { 200: OrderPage, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, status } = request.query;
      const orders = await queries.list(status, limit, cursor);
      const last = orders.at(-1);
      return { items: orders.map(toPublicOrder), nextCursor: orders.length === limit && last ? last.id : null };
    },
  );
}
