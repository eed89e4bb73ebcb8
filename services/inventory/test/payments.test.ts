import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { readTopic } from '@shop/testing/kafka-reader';
import { eventually, paymentPublisher, reservationStatus, reserveOk, startInventoryService, stockDoc, stockedProduct } from './support.ts';

test('a payment success commits once: the same envelope again, or a copy under a new id, changes nothing', async (t) => {
  const inventory = await startInventoryService(t);
  const payments = paymentPublisher(t, inventory.config.PAYMENT_TOPIC);
  const productId = await stockedProduct(inventory, 5);
  const reserved = await reserveOk(inventory, [{ productId, quantity: 2 }]);
  const { orderId } = reserved;

  const success = payments.envelope(reserved.reservationId, orderId, 'success');
  await payments.publish(success);
  await eventually(
    () => reservationStatus(inventory, reserved.reservationId),
    (s) => s === 'COMMITTED',
  );
  // The status moves first, the holds follow in the same handler: wait for the stock too.
  await eventually(
    () => stockDoc(inventory, productId),
    (d) => d?.onHand === 3,
  );
  assert.deepEqual(await stockDoc(inventory, productId), { onHand: 3, reserved: 0, available: 3, holds: [] });

  // Redelivery: the very same envelope, and a copy with a new id (another relay publishing the
  // same change); then a marker on the same partition key.
  await payments.publish(success);
  await payments.publish({ ...success, id: crypto.randomUUID() });
  const marker = await reserveOk(inventory, [{ productId, quantity: 1 }]);
  await payments.publish(payments.envelope(marker.reservationId, marker.orderId, 'success'), orderId);
  await eventually(
    () => reservationStatus(inventory, marker.reservationId),
    (s) => s === 'COMMITTED',
  );
  await eventually(
    () => stockDoc(inventory, productId),
    (d) => d?.onHand !== 3,
  );
  assert.deepEqual(await stockDoc(inventory, productId), { onHand: 2, reserved: 0, available: 2, holds: [] });

  const announced = await readTopic(topics.inventoryEvents, (m) => m.key === reserved.reservationId, { settleMs: 1000 });
  assert.deepEqual(
    announced.map((m) => [m.event.type, m.event.data.status]),
    [['reservation.committed', 'COMMITTED']],
  );
});

test('a payment failure releases the held stock and announces reservation.released', async (t) => {
  const inventory = await startInventoryService(t);
  const payments = paymentPublisher(t, inventory.config.PAYMENT_TOPIC);
  const productId = await stockedProduct(inventory, 5);
  const reserved = await reserveOk(inventory, [{ productId, quantity: 4 }]);
  await payments.publish(payments.envelope(reserved.reservationId, reserved.orderId, 'failure'));
  await eventually(
    () => reservationStatus(inventory, reserved.reservationId),
    (s) => s === 'CANCELLED',
  );
  await eventually(
    () => stockDoc(inventory, productId),
    (d) => d?.available === 5,
  );
  assert.deepEqual(await stockDoc(inventory, productId), { onHand: 5, reserved: 0, available: 5, holds: [] });
  const announced = await readTopic(topics.inventoryEvents, (m) => m.key === reserved.reservationId);
  assert.deepEqual(
    announced.map((m) => m.event.type),
    ['reservation.released'],
  );
});
