import { eventTypes, fromMinor, type PaymentEventData } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { type OutboxEntry, outboxEntry } from '@shop/platform/mongo/outbox';

/**
 * `processing`: written before the gateway is asked, so a crash leaves a trace the sweeper finishes.
 * `voided`: a placeholder taking the order's one payment slot after the order failed or was
 * cancelled, so no charge can happen for it any more; never shown to clients.
 */
export type PaymentStatus = 'processing' | 'success' | 'failure' | 'refunded' | 'voided';

export interface PaymentRecord {
  id: string;
  orderId: string;
  userId: string;
  reservationId: string;
  amountMinor: number;
  currency: string;
  method: string;
  status: PaymentStatus;
  reason?: string;
  refundReason?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A payment as shown to clients. */
export interface PublicPayment {
  id: string;
  orderId: string;
  userId: string;
  reservationId: string;
  amount: number;
  currency: string;
  method: string;
  status: Exclude<PaymentStatus, 'voided'>;
  reason?: string;
  refundReason?: string;
  createdAt: string;
  updatedAt: string;
}

export const isVisible = (payment: PaymentRecord) => payment.status !== 'voided';

export function toPublicPayment(payment: PaymentRecord): PublicPayment {
  return {
    id: payment.id,
    orderId: payment.orderId,
    userId: payment.userId,
    reservationId: payment.reservationId,
    amount: fromMinor(payment.amountMinor),
    currency: payment.currency,
    method: payment.method,
    status: payment.status as PublicPayment['status'],
    ...(payment.reason === undefined ? {} : { reason: payment.reason }),
    ...(payment.refundReason === undefined ? {} : { refundReason: payment.refundReason }),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

const typeOf = { success: eventTypes.paymentSucceeded, failure: eventTypes.paymentFailed, refunded: eventTypes.paymentRefunded } as const;

/** The payment-events entry announcing a payment's outcome (key = orderId). */
export function paymentEventEntry(topic: string, payment: PaymentRecord, status: 'success' | 'failure' | 'refunded', at: Date): OutboxEntry {
  const reason = status === 'refunded' ? payment.refundReason : payment.reason;
  const data: PaymentEventData = {
    paymentId: payment.id,
    orderId: payment.orderId,
    userId: payment.userId,
    reservationId: payment.reservationId,
    amount: fromMinor(payment.amountMinor),
    currency: payment.currency,
    method: payment.method,
    status,
    ...(reason === undefined ? {} : { reason }),
    timestamp: at.toISOString(),
  };
  return outboxEntry(topic, createEvent({ type: typeOf[status], source: 'payment-service', subject: payment.orderId, data }));
}
