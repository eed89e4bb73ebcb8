import { isRetryable } from '@shop/platform/errors';
import type { Logger } from '@shop/platform/log';
import type { Fact } from '../decide.ts';
import type { OrderRecord } from '../order.ts';
import type { Payments, PaymentView } from '../ports.ts';
import type { Transitions } from '../transitions.ts';

/** The fact a payment's status tells the order; none while it is still processing. */
export function paymentFact(payment: PaymentView): Fact | null {
  if (payment.status === 'success') return { kind: 'paymentSucceeded', paymentId: payment.id };
  if (payment.status === 'failure') return { kind: 'paymentFailed', paymentId: payment.id, reason: payment.reason ?? 'declined' };
  if (payment.status === 'refunded') return { kind: 'aborted', reason: 'the payment was refunded' };
  return null;
}

/**
 * Asks payment-service to charge the order total (idempotent by orderId) and records the answer.
 * A declined card is an answer, not an error: the order becomes `failed` through its facts.
 * payment-service out of reach is not a reason to fail an order whose stock is held: it stays
 * pending and the sweeper charges it again until it goes through or the hold expires. A refusal
 * (4xx) fails the order, which releases the stock.
 */
export async function chargePayment(
  deps: { payments: Payments; transitions: Transitions; logger: Pick<Logger, 'warn'> },
  order: OrderRecord,
): Promise<OrderRecord> {
  let payment: PaymentView;
  try {
    payment = await deps.payments.charge({
      orderId: order.id,
      userId: order.userId,
      reservationId: order.reservationId as string,
      amountMinor: order.totalMinor,
      currency: order.currency,
      method: order.paymentMethod,
    });
  } catch (error) {
    if (isRetryable(error)) {
      deps.logger.warn({ err: error, orderId: order.id }, 'could not charge yet; the sweeper tries again');
      return order;
    }
    const reason = error instanceof Error ? error.message : 'the payment was refused';
    await deps.transitions.apply(order.id, { kind: 'aborted', reason });
    throw error;
  }
  return (await deps.transitions.apply(order.id, { kind: 'charged', paymentId: payment.id, outcome: paymentFact(payment) }, order)) ?? order;
}
