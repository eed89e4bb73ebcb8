import type { OrderStatus } from './order.ts';

/** What an order has learnt so far; each fact is recorded once and never taken back. */
export interface OrderFacts {
  /** payment.succeeded: the id of the successful payment. */
  paymentSucceeded?: string;
  /** payment.failed: the gateway's reason. */
  paymentFailed?: string;
  /** reservation.committed: the stock is taken for good. */
  stockCommitted?: true;
  /** reservation.commit-failed: paid, but the stock could not be taken. */
  commitFailed?: string;
  /** reservation.expired: the hold lapsed before the stock was committed. */
  reservationExpired?: true;
  /** reservation.released: the hold was let go (after a failed payment or a closed order). */
  reservationReleased?: true;
  /** Placing stopped (insufficient stock, a dependency down, interrupted and swept): why. */
  aborted?: string;
}

export type Fact =
  | { kind: 'paymentSucceeded'; paymentId: string }
  | { kind: 'paymentFailed'; paymentId: string; reason: string }
  | { kind: 'stockCommitted' }
  | { kind: 'commitFailed'; reason: string }
  | { kind: 'reservationExpired' }
  | { kind: 'reservationReleased' }
  | { kind: 'aborted'; reason: string };

export type Decision = { status: 'confirmed' } | { status: 'failed' | 'cancelled'; reason: string };

/** The facts with one more; the first value of a fact wins, so a redelivered or contradicting repeat changes nothing. */
export function withFact(facts: OrderFacts, fact: Fact): OrderFacts {
  switch (fact.kind) {
    case 'paymentSucceeded':
      return { paymentSucceeded: fact.paymentId, ...facts };
    case 'paymentFailed':
      return { paymentFailed: fact.reason, ...facts };
    case 'commitFailed':
      return { commitFailed: fact.reason, ...facts };
    case 'aborted':
      return { aborted: fact.reason, ...facts };
    case 'stockCommitted':
      return { ...facts, stockCommitted: true };
    case 'reservationExpired':
      return { ...facts, reservationExpired: true };
    case 'reservationReleased':
      return { ...facts, reservationReleased: true };
  }
}

/**
 * Where an order goes from its facts, whatever order they arrived in: confirmed only when both
 * the payment succeeded and the stock was committed; failed as soon as either cannot happen;
 * cancelled when the hold expired with no successful payment. Null: stay pending. Terminal
 * states never change.
 */
export function decide(status: OrderStatus, facts: OrderFacts): Decision | null {
  if (status !== 'pending') return null;
  if (facts.aborted !== undefined) return { status: 'failed', reason: facts.aborted };
  if (facts.paymentFailed !== undefined) return { status: 'failed', reason: `payment failed: ${facts.paymentFailed}` };
  if (facts.commitFailed !== undefined) return { status: 'failed', reason: `stock could not be committed: ${facts.commitFailed}` };
  if (facts.paymentSucceeded !== undefined && facts.stockCommitted) return { status: 'confirmed' };
  if (facts.reservationReleased) return { status: 'failed', reason: 'the stock reservation was released' };
  // Paid but expired: inventory either takes the stock again (committed) or reports commit-failed.
  if (facts.reservationExpired && facts.paymentSucceeded === undefined) return { status: 'cancelled', reason: 'the reservation expired before payment' };
  return null;
}
