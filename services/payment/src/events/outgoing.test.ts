import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PaymentRecord } from '../domain/payment.ts';
import { outboxEntries } from './outgoing.ts';

const at = new Date('2030-01-01T00:00:00Z');
const payment: PaymentRecord = {
  id: '65f0c0ffee0000000000aaaa',
  orderId: '65f0c0ffee0000000000bbbb',
  userId: '65f0c0ffee0000000000cccc',
  reservationId: '65f0c0ffee0000000000dddd',
  amountMinor: 2019,
  currency: 'USD',
  method: 'card',
  status: 'refunded',
  reason: 'first reason',
  refundReason: 'order failed',
  createdAt: at,
  updatedAt: at,
};

test('payment domain events become the spec payload on the configured topic, keyed by the order', () => {
  const [succeeded, refunded] = outboxEntries('payments-test', [
    { kind: 'paymentSucceeded', payment: { ...payment, status: 'success' } },
    { kind: 'paymentRefunded', payment },
  ]);
  assert.equal(succeeded?.topic, 'payments-test');
  assert.equal(succeeded?.key, payment.orderId);
  assert.equal(succeeded?.event.type, 'payment.succeeded');
  assert.equal(succeeded?.event.data.amount, 20.19);
  assert.equal(succeeded?.event.data.timestamp, at.toISOString());
  assert.equal(refunded?.event.type, 'payment.refunded');
  assert.equal(refunded?.event.data.status, 'refunded');
  assert.equal(refunded?.event.data.reason, 'order failed');
});
