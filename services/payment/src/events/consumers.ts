import { eventTypes, OrderEvent, ReservationEvent, toMinor, topics } from '@shop/contracts';
import { whenConfirmed } from '@shop/platform/kafka/confirm';
import { on, type TopicHandler } from '@shop/platform/kafka/handlers';
import type { Logger } from '@shop/platform/log';
import type { Directory, PaymentRules } from '../domain/payments.ts';

/**
 * Refunds (or voids) an order's payment when the order cannot go through — once order-service
 * confirms the order really failed or was cancelled, so a forged event cannot refund a confirmed order.
 */
export function paymentHandlers(rules: PaymentRules, directory: Directory, logger: Logger): Record<string, TopicHandler> {
  /** Runs `act` only if order-service says the order failed or was cancelled. */
  const ifOrderClosed = (type: string, orderId: string, act: () => Promise<void>) =>
    whenConfirmed({
      type,
      subject: orderId,
      logger,
      confirm: async () => {
        const order = await directory.findOrder(orderId);
        return order?.status === 'failed' || order?.status === 'cancelled';
      },
      act,
    });
  const orderClosed = on(OrderEvent, async ({ type, data }) =>
    ifOrderClosed(type, data.orderId, async () => {
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
    }),
  );
  return {
    [topics.inventoryEvents]: {
      // order-service fails the order on the same event; until it has, the order.failed that follows refunds.
      [eventTypes.reservationCommitFailed]: on(ReservationEvent, async ({ type, data }) =>
        ifOrderClosed(type, data.orderId, async () => {
          const reason = `stock could not be committed${data.reason ? `: ${data.reason}` : ''}`;
          const outcome = await rules.refundForReservation(data.orderId, reason);
          logger.info({ orderId: data.orderId, outcome }, 'reservation commit failed');
        }),
      ),
    },
    [topics.orderEvents]: {
      [eventTypes.orderFailed]: orderClosed,
      [eventTypes.orderCancelled]: orderClosed,
    },
  };
}
