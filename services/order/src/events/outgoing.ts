import { eventTypes, fromMinor, type OrderEventData, topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { type OutboxEntry, outboxEntry } from '@shop/platform/mongo/outbox';
import type { OrderDomainEvent } from '../domain/order.ts';

/** The one place order-service's domain events become order-events entries (key = orderId), ready for the outbox. */
export function outboxEntries(events: OrderDomainEvent[]): OutboxEntry[] {
  return events.map(({ kind, order }) => {
    const data: OrderEventData = {
      orderId: order.id,
      userId: order.userId,
      status: order.status,
      items: order.items.map((line) => ({ productId: line.productId, quantity: line.quantity, price: fromMinor(line.priceMinor) })),
      total: fromMinor(order.totalMinor),
      currency: order.currency,
      ...(order.reservationId === undefined ? {} : { reservationId: order.reservationId }),
      ...(order.reason === undefined ? {} : { reason: order.reason }),
      ...(order.cartMark === undefined ? {} : { cartMark: order.cartMark }),
    };
    return outboxEntry(topics.orderEvents, createEvent({ type: eventTypes[kind], source: 'order-service', subject: order.id, data }));
  });
}
