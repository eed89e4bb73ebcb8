import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OrderEventData, PaymentEventData } from '@shop/contracts';
import { farewell, formatMoney, orderNews, paymentNews, welcome } from './messages.ts';

const orderId = 'a'.repeat(24);
const userId = 'b'.repeat(24);
const order = (type: string, extra: Partial<OrderEventData> = {}) => ({
  id: 'evt-1',
  type,
  data: { orderId, userId, status: 'x', items: [], total: 39.98, currency: 'USD', ...extra },
});
const payment = (status: PaymentEventData['status'], extra: Partial<PaymentEventData> = {}) => ({
  id: 'evt-2',
  type: 'payment.whatever',
  data: {
    paymentId: 'c'.repeat(24),
    orderId,
    userId,
    reservationId: 'd'.repeat(24),
    amount: 0.3,
    currency: 'EUR',
    method: 'card',
    status,
    timestamp: '2025-01-01T00:00:00.000Z',
    ...extra,
  },
});

test('money is shown from exact cents', () => {
  assert.equal(formatMoney(39.98, 'USD'), '39.98 USD');
  assert.equal(formatMoney(0.1 + 0.2 - 0.00000000000000004, 'USD'), '0.30 USD');
  assert.equal(formatMoney(1234567.5, 'EUR'), '1234567.50 EUR');
  assert.equal(formatMoney(0, 'USD'), '0.00 USD');
});

test('order outcomes say clearly what happened; other order events say nothing', () => {
  assert.deepEqual(orderNews(order('order.confirmed')), {
    eventId: 'evt-1',
    userId,
    orderId,
    type: 'order.confirmed',
    subject: `Order ${orderId} confirmed`,
    message: `Your order ${orderId} is confirmed: total 39.98 USD.`,
  });
  assert.equal(orderNews(order('order.failed', { reason: 'payment declined' }))?.message, `Your order ${orderId} failed: payment declined.`);
  assert.equal(orderNews(order('order.failed'))?.message, `Your order ${orderId} failed: it could not be completed.`);
  assert.match(orderNews(order('order.cancelled'))?.message ?? '', /was cancelled: it was not paid in time/);
  assert.equal(orderNews(order('order.created')), null);
});

test('payment outcomes follow the payload status', () => {
  assert.deepEqual(
    [paymentNews(payment('success')), paymentNews(payment('failure', { reason: 'card declined' })), paymentNews(payment('refunded'))].map((d) => [
      d.type,
      d.message,
    ]),
    [
      ['payment.succeeded', `We received your payment of 0.30 EUR for order ${orderId}.`],
      ['payment.failed', `Your payment of 0.30 EUR for order ${orderId} failed: card declined.`],
      ['payment.refunded', `Your payment of 0.30 EUR for order ${orderId} was refunded.`],
    ],
  );
});

test('account events greet and say goodbye', () => {
  const hello = welcome({ id: 'e', type: 'user.created', data: { userId, email: 'ann@example.com', name: 'Ann' } });
  assert.equal(hello.message, 'Welcome, Ann! Your account ann@example.com is ready.');
  assert.equal(hello.orderId, undefined);
  assert.equal(farewell({ id: 'f', type: 'user.deleted', data: { userId } }).type, 'user.deleted');
});
