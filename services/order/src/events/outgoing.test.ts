import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announcement, type OrderRecord } from '../domain/order.ts';
import { outboxEntries } from './outgoing.ts';

const at = new Date();
const order: OrderRecord = {
  id: '65f0c0ffee0000000000aaaa',
  userId: '65f0c0ffee0000000000bbbb',
  items: [{ productId: '65f0c0ffee0000000000cccc', quantity: 3, priceMinor: 673 }],
  totalMinor: 2019,
  currency: 'USD',
  address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
  paymentMethod: 'card',
  status: 'failed',
  step: 'charged',
  facts: {},
  reason: 'payment failed: card declined',
  reservationId: '65f0c0ffee0000000000dddd',
  version: 3,
  createdAt: at,
  updatedAt: at,
};

test('an order announcement becomes the order-events entry of its status, in decimal money, keyed by the order', () => {
  const [failed] = outboxEntries([announcement(order)]);
  assert.equal(failed?.topic, 'order-events');
  assert.equal(failed?.key, order.id);
  assert.equal(failed?.event.type, 'order.failed');
  assert.deepEqual(failed?.event.data, {
    orderId: order.id,
    userId: order.userId,
    status: 'failed',
    items: [{ productId: '65f0c0ffee0000000000cccc', quantity: 3, price: 6.73 }],
    total: 20.19,
    currency: 'USD',
    reservationId: order.reservationId,
    reason: 'payment failed: card declined',
  });
  assert.equal(outboxEntries([announcement({ ...order, status: 'pending' })])[0]?.event.type, 'order.created');
});

test('the cart mark the order was placed with travels in its events, as read', () => {
  const [confirmed] = outboxEntries([announcement({ ...order, status: 'confirmed', cartMark: '2.65f0c0ffee0000000000cccc-1' })]);
  assert.equal(confirmed?.event.data.cartMark, '2.65f0c0ffee0000000000cccc-1');
});
