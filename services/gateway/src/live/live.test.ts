import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEvent } from '@shop/platform/kafka/envelope';
import { createOrderHub } from './hub.ts';
import { type OrderChange, orderChangeOf } from './order-change.ts';
import { sseComment, sseEvent } from './sse.ts';

const ada = '0123456789abcdef01234567';
const bob = '89abcdef0123456789abcdef';
const orderOf = (userId: string, status = 'confirmed') => ({
  orderId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  userId,
  status,
  items: [{ productId: 'bbbbbbbbbbbbbbbbbbbbbbbb', quantity: 1, price: 5 }],
  total: 5,
  currency: 'USD',
});
const message = (type: string, data: unknown) => JSON.stringify(createEvent({ type, source: 'order-service', subject: 'aaaaaaaaaaaaaaaaaaaaaaaa', data }));

test('an order event becomes a status change; anything else is ignored', () => {
  const change = orderChangeOf(message('order.failed', { ...orderOf(ada, 'failed'), reason: 'card declined' }));
  assert.equal(change?.status, 'failed');
  assert.equal(change?.reason, 'card declined');
  assert.equal(change?.userId, ada);
  assert.equal(orderChangeOf(message('order.shipped', orderOf(ada))), undefined, 'a type it does not know');
  assert.equal(orderChangeOf(message('order.confirmed', { orderId: 'x' })), undefined, 'data outside the contract');
  assert.equal(orderChangeOf('not json'), undefined);
  assert.equal(orderChangeOf(undefined), undefined);
});

test('a customer hears of their own orders only; an admin of all', () => {
  const hub = createOrderHub();
  const heard: Record<string, string[]> = { ada: [], bob: [], admin: [] };
  const listen = (name: string, principal: { sub: string; role: 'customer' | 'admin' }) =>
    hub.add({ principal, send: (change) => heard[name]?.push(change.userId), end: () => {} });
  listen('ada', { sub: ada, role: 'customer' });
  const bobGone = listen('bob', { sub: bob, role: 'customer' });
  listen('admin', { sub: 'root', role: 'admin' });
  hub.publish(orderChangeOf(message('order.confirmed', orderOf(ada))) as OrderChange);
  bobGone();
  hub.publish(orderChangeOf(message('order.confirmed', orderOf(bob))) as OrderChange);
  assert.deepEqual(heard, { ada: [ada], bob: [], admin: [ada, bob] });
  assert.equal(hub.size, 2);
});

test('endAll ends every stream and forgets it', () => {
  const hub = createOrderHub();
  let ended = 0;
  for (let i = 0; i < 3; i++) hub.add({ principal: { sub: ada, role: 'customer' }, send: () => {}, end: () => ended++ });
  hub.endAll();
  assert.equal(ended, 3);
  assert.equal(hub.size, 0);
});

test('SSE frames', () => {
  assert.equal(sseEvent('order', { a: 'x\ny' }, 'id-1'), 'id: id-1\nevent: order\ndata: {"a":"x\\ny"}\n\n');
  assert.equal(sseComment('keep\nalive'), ': keep alive\n\n');
});
