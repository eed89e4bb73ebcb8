import { eventTypes, type ReservationEventData, topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { type OutboxEntry, outboxEntry } from '@shop/platform/mongo/outbox';
import { publicStatus, type ReservationDomainEvent } from '../domain/reservation.ts';

/** The one place inventory-service's domain events become inventory-events entries (key = reservationId), ready for the outbox. */
export function outboxEntries(events: ReservationDomainEvent[]): OutboxEntry[] {
  return events.map(({ kind, reservation, status, reason }) => {
    const data: ReservationEventData = {
      reservationId: reservation.id,
      orderId: reservation.orderId,
      status: publicStatus(status),
      items: reservation.items.map(({ productId, quantity }) => ({ productId, quantity })),
      ...(reason === undefined ? {} : { reason }),
    };
    return outboxEntry(topics.inventoryEvents, createEvent({ type: eventTypes[kind], source: 'inventory-service', subject: reservation.id, data }));
  });
}
