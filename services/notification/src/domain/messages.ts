import { eventTypes, type OrderEventData, type PaymentEventData, toMinor, type UserCreatedData, type UserDeletedData } from '@shop/contracts';
import type { NotificationDraft } from './notification.ts';

interface Source<T> {
  id: string;
  type: string;
  data: T;
}

/** `39.98 USD`: formatted from integer cents, so no binary fraction shows up. */
export function formatMoney(amount: number, currency: string): string {
  const cents = toMinor(amount);
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')} ${currency}`;
}

export function welcome(event: Source<UserCreatedData>): NotificationDraft {
  const { userId, name, email } = event.data;
  return {
    eventId: event.id,
    userId,
    type: eventTypes.userCreated,
    subject: 'Welcome to the shop',
    message: `Welcome, ${name}! Your account ${email} is ready.`,
  };
}

export function farewell(event: Source<UserDeletedData>): NotificationDraft {
  return {
    eventId: event.id,
    userId: event.data.userId,
    type: eventTypes.userDeleted,
    subject: 'Your account was deleted',
    message: 'Your account and your personal data have been deleted. Goodbye!',
  };
}

/** The order events a customer hears about; null for the others (e.g. order.created). */
export function orderNews(event: Source<OrderEventData>): NotificationDraft | null {
  const { orderId, userId, total, currency, reason } = event.data;
  const base = { eventId: event.id, userId, orderId, type: event.type };
  switch (event.type) {
    case eventTypes.orderConfirmed:
      return { ...base, subject: `Order ${orderId} confirmed`, message: `Your order ${orderId} is confirmed: total ${formatMoney(total, currency)}.` };
    case eventTypes.orderFailed:
      return { ...base, subject: `Order ${orderId} failed`, message: `Your order ${orderId} failed: ${reason ?? 'it could not be completed'}.` };
    case eventTypes.orderCancelled:
      return {
        ...base,
        subject: `Order ${orderId} cancelled`,
        message: `Your order ${orderId} was cancelled: ${reason ?? 'it was not paid in time'}.`,
      };
    default:
      return null;
  }
}

const paymentTypes = { success: eventTypes.paymentSucceeded, failure: eventTypes.paymentFailed, refunded: eventTypes.paymentRefunded } as const;

/** Payment outcomes; the payload's `status` decides, whatever the envelope type says. */
export function paymentNews(event: Source<PaymentEventData>): NotificationDraft {
  const { orderId, userId, amount, currency, status, reason } = event.data;
  const money = formatMoney(amount, currency);
  const base = { eventId: event.id, userId, orderId, type: paymentTypes[status] };
  switch (status) {
    case 'success':
      return { ...base, subject: `Payment received for order ${orderId}`, message: `We received your payment of ${money} for order ${orderId}.` };
    case 'failure':
      return {
        ...base,
        subject: `Payment failed for order ${orderId}`,
        message: `Your payment of ${money} for order ${orderId} failed: ${reason ?? 'payment declined'}.`,
      };
    case 'refunded':
      return { ...base, subject: `Payment refunded for order ${orderId}`, message: `Your payment of ${money} for order ${orderId} was refunded.` };
  }
}
