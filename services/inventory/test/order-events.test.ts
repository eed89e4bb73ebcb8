import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { eventTypes, topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { createEventProducer } from '@shop/platform/kafka/producer';
import { createLogger } from '@shop/platform/log';
import { testBrokers } from '@shop/testing/env';
import { startOrderStandIn } from '@shop/testing/order-stand-in';
import { eventually, inventoryEnv, newId, paymentPublisher, reservationStatus, reserveOk, startInventoryService, stockDoc, stockedProduct } from './support.ts';

async function setup(t: TestContext) {
  const orderService = await startOrderStandIn(t);
  const inventory = await startInventoryService(t, { ...inventoryEnv(), ORDER_SERVICE_URL: orderService.url });
  const payments = paymentPublisher(t, inventory.config.PAYMENT_TOPIC);
  const producer = createEventProducer({ brokers: testBrokers(), clientId: 'test-orders', logger: createLogger({ service: 'test', level: 'silent' }) });
  t.after(() => producer.close());
  /** What order-service answers about this order. */
  const orderIs = (orderId: string, status: string) =>
    orderService.orders.set(orderId, { id: orderId, userId: newId(), total: 1.5, currency: 'USD', status, reservationId: newId() });
  const orderFailed = (orderId: string, reservationId: string, productId: string, quantity: number) =>
    createEvent({
      type: eventTypes.orderFailed,
      source: 'order-service',
      subject: orderId,
      data: {
        orderId,
        userId: newId(),
        status: 'failed',
        items: [{ productId, quantity, price: 1.5 }],
        total: 1.5 * quantity,
        currency: 'USD',
        reservationId,
        reason: 'payment-service unavailable',
      },
    });
  return { inventory, payments, producer, orderIs, orderFailed };
}

test('a failed order frees its stock: held units are released, committed ones go back on hand, once each', async (t) => {
  const { inventory, payments, producer, orderIs, orderFailed } = await setup(t);
  const productId = await stockedProduct(inventory, 10);
  const held = await reserveOk(inventory, [{ productId, quantity: 2 }]);
  const sold = await reserveOk(inventory, [{ productId, quantity: 3 }]);
  await payments.publish(payments.envelope(sold.reservationId, sold.orderId, 'success'));
  await eventually(
    () => reservationStatus(inventory, sold.reservationId),
    (s) => s === 'COMMITTED',
  );
  assert.deepEqual({ ...(await stockDoc(inventory, productId)), holds: undefined }, { onHand: 7, reserved: 2, available: 5, holds: undefined });

  for (const order of [held, sold]) {
    orderIs(order.orderId, 'failed');
    const event = orderFailed(order.orderId, order.reservationId, productId, 1);
    await producer.publish(topics.orderEvents, event);
    await producer.publish(topics.orderEvents, { ...event, id: crypto.randomUUID() }); // a redelivery under a new id
  }
  // A marker behind the redeliveries on the same partition: once it is handled, so are they.
  const marker = await reserveOk(inventory, [{ productId, quantity: 1 }]);
  orderIs(marker.orderId, 'failed');
  await producer.publish(topics.orderEvents, orderFailed(marker.orderId, marker.reservationId, productId, 1), { key: sold.orderId });
  await eventually(
    () => Promise.all([held, sold, marker].map((r) => reservationStatus(inventory, r.reservationId))),
    (statuses) => statuses.every((s) => s === 'CANCELLED'),
  );
  const reservations = inventory.service.mongo.db.collection('reservations');
  assert.equal((await reservations.findOne({ orderId: sold.orderId }))?.status, 'RETURNED');
  const doc = await inventory.service.mongo.db.collection('stock').findOne({ productId });
  assert.deepEqual([doc?.onHand, doc?.reserved, doc?.available, doc?.holds, doc?.returns], [10, 0, 10, [], []]);
});

test('a forged order.failed for a confirmed order puts no stock back: order-service does not confirm it', async (t) => {
  const { inventory, payments, producer, orderIs, orderFailed } = await setup(t);
  const productId = await stockedProduct(inventory, 10);
  const sold = await reserveOk(inventory, [{ productId, quantity: 3 }]);
  await payments.publish(payments.envelope(sold.reservationId, sold.orderId, 'success'));
  await eventually(
    () => reservationStatus(inventory, sold.reservationId),
    (s) => s === 'COMMITTED',
  );
  orderIs(sold.orderId, 'confirmed');
  await producer.publish(topics.orderEvents, orderFailed(sold.orderId, sold.reservationId, productId, 3));
  // A genuine failed order behind it on the same partition: once it is released, the forged one was handled.
  const marker = await reserveOk(inventory, [{ productId, quantity: 1 }]);
  orderIs(marker.orderId, 'failed');
  await producer.publish(topics.orderEvents, orderFailed(marker.orderId, marker.reservationId, productId, 1), { key: sold.orderId });
  await eventually(
    () => reservationStatus(inventory, marker.reservationId),
    (s) => s === 'CANCELLED',
  );
  assert.equal(await reservationStatus(inventory, sold.reservationId), 'COMMITTED');
  assert.deepEqual({ ...(await stockDoc(inventory, productId)), holds: undefined }, { onHand: 7, reserved: 0, available: 7, holds: undefined });
  const metrics = await inventory.service.http.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /events_unconfirmed_total\{[^}]*type="order.failed"[^}]*\} [1-9]/, 'counted as unconfirmed');
});
