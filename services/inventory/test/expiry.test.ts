import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { readTopic } from '@shop/testing/kafka-reader';
import { eventually, inventoryEnv, paymentPublisher, reservationStatus, reserveOk, startInventoryService, stockDoc, stockedProduct } from './support.ts';

const shortTtl = () => inventoryEnv({ RESERVATION_TTL_SECONDS: '1', SWEEP_INTERVAL_MS: '200', STOCK_REPAIR_INTERVAL_MS: '200' });

test('an unpaid reservation expires after its TTL: its stock is back and reservation.expired is announced', async (t) => {
  const inventory = await startInventoryService(t, shortTtl());
  const productId = await stockedProduct(inventory, 3);
  const { reservationId } = await reserveOk(inventory, [{ productId, quantity: 3 }]);
  assert.equal((await stockDoc(inventory, productId))?.available, 0);
  await eventually(
    () => reservationStatus(inventory, reservationId),
    (s) => s === 'EXPIRED',
    5000,
  );
  await eventually(
    () => stockDoc(inventory, productId),
    (d) => d?.available === 3,
    2000,
  );
  assert.deepEqual(await stockDoc(inventory, productId), { onHand: 3, reserved: 0, available: 3, holds: [] });
  const announced = await readTopic(topics.inventoryEvents, (m) => m.key === reservationId);
  assert.deepEqual(
    announced.map((m) => [m.event.type, m.event.data.status]),
    [['reservation.expired', 'EXPIRED']],
  );
});

test('a payment success after expiry takes the stock again when it is still there', async (t) => {
  const inventory = await startInventoryService(t, shortTtl());
  const payments = paymentPublisher(t, inventory.config.PAYMENT_TOPIC);
  const productId = await stockedProduct(inventory, 5);
  const { reservationId, orderId } = await reserveOk(inventory, [{ productId, quantity: 2 }]);
  await eventually(
    () => reservationStatus(inventory, reservationId),
    (s) => s === 'EXPIRED',
    5000,
  );
  await payments.publish(payments.envelope(reservationId, orderId, 'success'));
  await eventually(
    () => reservationStatus(inventory, reservationId),
    (s) => s === 'COMMITTED',
  );
  await eventually(
    () => stockDoc(inventory, productId),
    (d) => d?.onHand === 3,
    2000,
  );
  assert.deepEqual(await stockDoc(inventory, productId), { onHand: 3, reserved: 0, available: 3, holds: [] });
  const announced = await readTopic(topics.inventoryEvents, (m) => m.key === reservationId, { expected: 2 });
  assert.deepEqual(
    announced.map((m) => m.event.type),
    ['reservation.expired', 'reservation.committed'],
  );
});

test('a payment success after expiry whose stock is gone publishes reservation.commit-failed and takes nothing', async (t) => {
  const inventory = await startInventoryService(t, shortTtl());
  const payments = paymentPublisher(t, inventory.config.PAYMENT_TOPIC);
  const productId = await stockedProduct(inventory, 2);
  const late = await reserveOk(inventory, [{ productId, quantity: 2 }]);
  await eventually(
    () => reservationStatus(inventory, late.reservationId),
    (s) => s === 'EXPIRED',
    5000,
  );
  await eventually(
    () => stockDoc(inventory, productId),
    (d) => d?.available === 2,
    2000,
  );
  // The units are gone before the late payment arrives (written off by an admin).
  const record = await inventory.service.http.inject({ method: 'GET', url: `/inventory/${productId}` });
  const writeOff = await inventory.service.http.inject({
    method: 'PATCH',
    url: `/inventory/${record.json().id}`,
    headers: inventory.headers.admin,
    payload: { delta: -1 },
  });
  assert.equal(writeOff.statusCode, 200);
  await payments.publish(payments.envelope(late.reservationId, late.orderId, 'success'));
  const announced = await readTopic(topics.inventoryEvents, (m) => m.key === late.reservationId, { expected: 2 });
  assert.deepEqual(
    announced.map((m) => [m.event.type, m.event.data.status, m.event.data.orderId]),
    [
      ['reservation.expired', 'EXPIRED', late.orderId],
      ['reservation.commit-failed', 'EXPIRED', late.orderId],
    ],
  );
  assert.equal(await reservationStatus(inventory, late.reservationId), 'EXPIRED');
  assert.deepEqual(await stockDoc(inventory, productId), { onHand: 1, reserved: 0, available: 1, holds: [] });
});
