import { problemResponses } from '@shop/contracts';
import { notFound } from '@shop/platform/errors';
import { authenticate, bearerSecurity } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import type { ReservationStore } from '../domain/ports.ts';
import { publicStatus, type Reservation } from '../domain/reservation.ts';
import { ReservationParams, ReservationView, ReserveBody, ReserveResult } from './schemas.ts';

const tags = ['reservations'];
const privileged = authenticate('admin', 'service');

/** Reservations: made by order-service (service credential) or an admin; customers never call these. */
export function registerReservationRoutes(
  app: HttpApp,
  reserve: (input: { orderId: string; items: { productId: string; quantity: number }[] }) => Promise<Reservation>,
  reservations: Pick<ReservationStore, 'findById'>,
): void {
  app.post(
    '/inventory/reserve',
    {
      onRequest: privileged,
      schema: { tags, security: bearerSecurity, body: ReserveBody, response: { 201: ReserveResult, ...problemResponses(400, 401, 403, 404, 409, 503) } },
    },
    async (request, reply) => {
      const reservation = await reserve(request.body);
      return reply
        .status(201)
        .send({ reservationId: reservation.id, expiresAt: reservation.expiresAt.toISOString(), status: publicStatus(reservation.status) });
    },
  );

  app.get(
    '/inventory/reservations/:reservationId',
    {
      onRequest: privileged,
      schema: { tags, security: bearerSecurity, params: ReservationParams, response: { 200: ReservationView, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => {
      const reservation = await reservations.findById(request.params.reservationId);
      if (!reservation) throw notFound('Reservation');
      return {
        reservationId: reservation.id,
        orderId: reservation.orderId,
        status: publicStatus(reservation.status),
        items: reservation.items,
        expiresAt: reservation.expiresAt.toISOString(),
        ...(reservation.reason === undefined ? {} : { reason: reservation.reason }),
      };
    },
  );
}
