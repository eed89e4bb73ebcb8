import { eventTypes, OrderEvent, ReservationEvent, toMinor, topics } from '@shop/contracts';
import { on, type TopicHandler } from '@shop/platform/kafka/handlers';
import type { Logger } from '@shop/platform/log';
import type { PaymentRules } from '../domain/payments.ts';

/** Refunds (or voids) an order's payment when the order cannot go through. */
export function paymentHandlers(rules: PaymentRules, logger: Logger): Record<string, TopicHandler> {
  const orderClosed = on(OrderEvent, async ({ data }) => {
    const reason = `order ${data.status}${data.reason ? `: ${data.reason}` : ''}`;
    const closed = {
      orderId: data.orderId,
      userId: data.userId,
      totalMinor: toMinor(data.total),
      currency: data.currency,
      ...(data.reservationId ? { reservationId: data.reservationId } : {}),
    };
    const outcome = await rules.closeOrder(closed, reason);
    logger.info({ orderId: data.orderId, outcome }, 'order closed');
  });
  return {
    [topics.inventoryEvents]: {
      [eventTypes.reservationCommitFailed]: on(ReservationEvent, async ({ data }) => {
        // The payment carries the amount; without one there is nothing to refund, and the order is closing anyway.
        const reason = `stock could not be committed${data.reason ? `: ${data.reason}` : ''}`;
        const outcome = await rules.refundForReservation(data.orderId, reason);
        logger.info({ orderId: data.orderId, outcome }, 'reservation commit failed');
      }),
    },
    [topics.orderEvents]: {
      [eventTypes.orderFailed]: orderClosed,
      [eventTypes.orderCancelled]: orderClosed,
    },
  };
}
