import { fromMinor } from '@shop/contracts';

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

/** What the payment rules announce, with the payment as it is after the change; events/outgoing.ts turns these into contract events. */
export interface PaymentDomainEvent {
  kind: 'paymentSucceeded' | 'paymentFailed' | 'paymentRefunded';
  payment: PaymentRecord;
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
