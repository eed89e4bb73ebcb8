import { eventTypes, type ReservationEventData, topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { type OutboxEntry, outboxEntry } from '@shop/platform/mongo/outbox';
import { publicStatus, type Reservation, type ReservationStatus } from '../domain/reservation.ts';

const SOURCE = 'inventory-service';

const types = {
  committed: eventTypes.reservationCommitted,
  released: eventTypes.reservationReleased,
  expired: eventTypes.reservationExpired,
  'commit-failed': eventTypes.reservationCommitFailed,
} as const;

export type ReservationOutcome = keyof typeof types;

/** The inventory-events entry announcing what became of a reservation; `status` is the one it moves to. */
export function reservationEntry(outcome: ReservationOutcome, reservation: Reservation, status: ReservationStatus, reason?: string): OutboxEntry {
  const data: ReservationEventData = {
    reservationId: reservation.id,
    orderId: reservation.orderId,
    status: publicStatus(status),
    items: reservation.items.map(({ productId, quantity }) => ({ productId, quantity })),
    ...(reason === undefined ? {} : { reason }),
  };
  return outboxEntry(topics.inventoryEvents, createEvent({ type: types[outcome], source: SOURCE, subject: reservation.id, data }));
}
