import type { Fact } from '../decide.ts';
import type { OrderRecord } from '../order.ts';
import type { Payments, PaymentView } from '../ports.ts';
import type { Transitions } from '../transitions.ts';
import type { Step } from './saga.ts';

/** The fact a payment's status tells the order; none while it is still processing. */
export function paymentFact(payment: PaymentView): Fact | null {
  if (payment.status === 'success') return { kind: 'paymentSucceeded', paymentId: payment.id };
  if (payment.status === 'failure') return { kind: 'paymentFailed', reason: payment.reason ?? 'declined' };
  if (payment.status === 'refunded') return { kind: 'aborted', reason: 'the payment was refunded' };
  return null;
}

/**
 * Asks payment-service to charge the order total (idempotent by orderId) and records the answer.
 * A declined card is an answer, not an error: the order becomes `failed` through its facts.
 * Undo: none here; a payment that went through is refunded by payment-service on order.failed.
 */
export const chargePayment = (deps: { payments: Payments; transitions: Transitions }): Step<OrderRecord, OrderRecord> => ({
  name: 'charge-payment',
  async invoke(order) {
    const payment = await deps.payments.charge({
      orderId: order.id,
      userId: order.userId,
      reservationId: order.reservationId as string,
      amountMinor: order.totalMinor,
      method: order.paymentMethod,
    });
    return (await deps.transitions.apply(order.id, paymentFact(payment), { paymentId: payment.id, step: 'charged' })) ?? order;
  },
});
