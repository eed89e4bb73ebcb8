import { eventTypes, PaymentEvent, type PaymentEventData, ReservationEvent, type ReservationEventData, topics } from '@shop/contracts';
import { AppError } from '@shop/platform/errors';
import type { EventEnvelope } from '@shop/platform/kafka/envelope';
import type { TopicHandler } from '@shop/platform/kafka/handlers';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { Fact } from '../domain/decide.ts';
import type { OrderRules } from '../domain/orders.ts';

/** The topics carry other event types too; only the ones acted on are validated (a bad one is dead-lettered). */
function dataOf<T>(event: EventEnvelope, schema: TSchema): T {
  if (!Value.Check(schema, event.data)) {
    const first = [...Value.Errors(schema, event.data)][0];
    throw new AppError('VALIDATION_FAILED', `invalid ${event.type} data: ${first ? `${first.instancePath} ${first.message}` : 'invalid'}`);
  }
  return event.data as T;
}

function reservationFact(type: string, data: ReservationEventData): Fact | null {
  switch (type) {
    case eventTypes.reservationCommitted:
      return { kind: 'stockCommitted' };
    case eventTypes.reservationCommitFailed:
      return { kind: 'commitFailed', reason: data.reason ?? 'stock no longer available' };
    case eventTypes.reservationExpired:
      return { kind: 'reservationExpired' };
    case eventTypes.reservationReleased:
      return { kind: 'reservationReleased' };
    default:
      return null;
  }
}

const reservationTypes: string[] = [
  eventTypes.reservationCommitted,
  eventTypes.reservationCommitFailed,
  eventTypes.reservationExpired,
  eventTypes.reservationReleased,
];

/** Payment outcomes and reservation news become facts on the order; `decide` does the rest. */
export function orderHandlers(rules: OrderRules, paymentTopic: string): Record<string, TopicHandler> {
  return {
    [paymentTopic]: {
      async handle(event) {
        if (event.type !== eventTypes.paymentSucceeded && event.type !== eventTypes.paymentFailed) return;
        const data = dataOf<PaymentEventData>(event, PaymentEvent);
        const fact: Fact =
          data.status === 'success' ? { kind: 'paymentSucceeded', paymentId: data.paymentId } : { kind: 'paymentFailed', reason: data.reason ?? 'declined' };
        await rules.record(data.orderId, fact, { paymentId: data.paymentId });
      },
    },
    [topics.inventoryEvents]: {
      async handle(event) {
        if (!reservationTypes.includes(event.type)) return;
        const data = dataOf<ReservationEventData>(event, ReservationEvent);
        const fact = reservationFact(event.type, data);
        if (fact) await rules.record(data.orderId, fact);
      },
    },
  };
}
