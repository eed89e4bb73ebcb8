import { eventTypes, PaymentEvent, type PaymentEventData, ReservationEvent, topics } from '@shop/contracts';
import { on, type TopicHandler } from '@shop/platform/kafka/handlers';
import type { Fact } from '../domain/decide.ts';
import type { OrderRules } from '../domain/orders.ts';

function paymentFact(data: PaymentEventData): Fact {
  return data.status === 'success'
    ? { kind: 'paymentSucceeded', paymentId: data.paymentId }
    : { kind: 'paymentFailed', paymentId: data.paymentId, reason: data.reason ?? 'declined' };
}

/** Payment outcomes and reservation news become facts on the order; `decide` does the rest. */
export function orderHandlers(rules: OrderRules, paymentTopic: string): Record<string, TopicHandler> {
  const payment = on(PaymentEvent, async (event) => {
    await rules.record(event.data.orderId, paymentFact(event.data));
  });
  /** A reservation event of this type is this fact. */
  const reservation = (fact: (reason: string | undefined) => Fact) =>
    on(ReservationEvent, async (event) => {
      await rules.record(event.data.orderId, fact(event.data.reason));
    });
  return {
    [paymentTopic]: {
      [eventTypes.paymentSucceeded]: payment,
      [eventTypes.paymentFailed]: payment,
    },
    [topics.inventoryEvents]: {
      [eventTypes.reservationCommitted]: reservation(() => ({ kind: 'stockCommitted' })),
      [eventTypes.reservationCommitFailed]: reservation((reason) => ({ kind: 'commitFailed', reason: reason ?? 'stock no longer available' })),
      [eventTypes.reservationExpired]: reservation(() => ({ kind: 'reservationExpired' })),
      [eventTypes.reservationReleased]: reservation(() => ({ kind: 'reservationReleased' })),
    },
  };
}
