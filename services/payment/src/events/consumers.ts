import { eventTypes, OrderEvent, type OrderEventData, ReservationEvent, type ReservationEventData, toMinor, topics } from '@shop/contracts';
import { AppError } from '@shop/platform/errors';
import type { EventEnvelope } from '@shop/platform/kafka/envelope';
import type { TopicHandler } from '@shop/platform/kafka/handlers';
import type { Logger } from '@shop/platform/log';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { PaymentRules } from '../domain/payments.ts';

/** The topic carries other event types too; only the ones acted on are validated (a bad one is dead-lettered). */
function dataOf<T>(event: EventEnvelope, schema: TSchema): T {
  if (!Value.Check(schema, event.data)) {
    const first = [...Value.Errors(schema, event.data)][0];
    throw new AppError('VALIDATION_FAILED', `invalid ${event.type} data: ${first ? `${first.instancePath} ${first.message}` : 'invalid'}`);
  }
  return event.data as T;
}

/** Refunds (or voids) an order's payment when the order cannot go through. */
export function paymentHandlers(rules: PaymentRules, logger: Logger): Record<string, TopicHandler> {
  return {
    [topics.inventoryEvents]: {
      async handle(event) {
        if (event.type !== eventTypes.reservationCommitFailed) return;
        const data = dataOf<ReservationEventData>(event, ReservationEvent);
        // The payment carries the amount; without one there is nothing to refund, and the order is closing anyway.
        const reason = `stock could not be committed${data.reason ? `: ${data.reason}` : ''}`;
        const outcome = await rules.refundForReservation(data.orderId, reason);
        logger.info({ orderId: data.orderId, outcome }, 'reservation commit failed');
      },
    },
    [topics.orderEvents]: {
      async handle(event) {
        if (event.type !== eventTypes.orderFailed && event.type !== eventTypes.orderCancelled) return;
        const data = dataOf<OrderEventData>(event, OrderEvent);
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
      },
    },
  };
}
