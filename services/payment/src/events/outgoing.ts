import { eventTypes, type PaymentEventData } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { type OutboxEntry, outboxEntry } from '@shop/platform/mongo/outbox';
import { type PaymentDomainEvent, toPublicPayment } from '../domain/payment.ts';

const wire = {
  paymentSucceeded: { type: eventTypes.paymentSucceeded, status: 'success' },
  paymentFailed: { type: eventTypes.paymentFailed, status: 'failure' },
  paymentRefunded: { type: eventTypes.paymentRefunded, status: 'refunded' },
} as const;

/** The one place payment-service's domain events become contract events on `topic` (key = orderId), ready for the outbox. */
export function outboxEntries(topic: string, events: PaymentDomainEvent[]): OutboxEntry[] {
  return events.map(({ kind, payment }) => {
    const { type, status } = wire[kind];
    const reason = status === 'refunded' ? payment.refundReason : payment.reason;
    const { id, orderId, userId, reservationId, amount, currency, method } = toPublicPayment(payment);
    const data: PaymentEventData = {
      paymentId: id,
      orderId,
      userId,
      reservationId,
      amount,
      currency,
      method,
      status,
      timestamp: payment.updatedAt.toISOString(),
    };
    if (reason !== undefined) data.reason = reason;
    return outboxEntry(topic, createEvent({ type, source: 'payment-service', subject: payment.orderId, data }));
  });
}
