import { problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { publicStatus } from '../domain/reservation.ts';
import type { InventoryAdminQueries } from '../store/admin-queries.ts';
import { ReservationListQuery, ReservationPage } from './schemas.ts';

/** The admin console's view of every reservation. */
export function registerInventoryAdminRoutes(app: HttpApp, queries: InventoryAdminQueries): void {
  app.get(
    '/inventory/reservations',
    {
      onRequest: authenticate('admin'),
      schema: {
        tags: ['reservations'],
        summary: 'All reservations, optionally of one status, newest first (admin)',
        security: bearerSecurity,
        querystring: ReservationListQuery,
        response: { 200: ReservationPage, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, status } = request.query;
      const reservations = await queries.listReservations(status, limit, cursor);
      const last = reservations.at(-1);
      return {
        items: reservations.map((r) => ({
          reservationId: r.id,
          orderId: r.orderId,
          status: publicStatus(r.status),
          items: r.items,
          expiresAt: r.expiresAt.toISOString(),
          createdAt: r.createdAt.toISOString(),
          ...(r.reason === undefined ? {} : { reason: r.reason }),
        })),
        nextCursor: reservations.length === limit && last ? last.id : null,
      };
    },
  );
}
