import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inMemoryInventory } from './in-memory.ts';
import { createOnOrderClosed } from './on-order-closed.ts';
import { createOnPayment } from './on-payment.ts';
import { createReserve } from './reserve.ts';
import { addsUp, returnTag } from './stock.ts';
import { createSweep } from './sweep.ts';

const id = (n: number) => n.toString(16).padStart(24, '0');
const product = id(1);

async function setup() {
  const inventory = inMemoryInventory({ ttlMs: 1000, graceMs: 500 });
  await inventory.deps.stock.ensure(product, 5);
  const level = () => {
    const s = inventory.stock.get(product);
    assert.ok(s && addsUp(s), 'counters add up');
    return { onHand: s.onHand, reserved: s.reserved, available: s.available, returns: s.returns.length };
  };
  return {
    ...inventory,
    level,
    reserve: createReserve(inventory.deps),
    orders: createOnOrderClosed(inventory.deps),
    payments: createOnPayment(inventory.deps),
    sweep: createSweep(inventory.deps),
    types: () => inventory.outbox.map((e) => e.kind),
  };
}

test('a failed order releases its held stock once', async () => {
  const { reserve, orders, level, types, reservations } = await setup();
  const r = await reserve({ orderId: id(10), items: [{ productId: product, quantity: 2 }] });
  await orders.orderClosed(r.orderId, 'order failed');
  await orders.orderClosed(r.orderId, 'order failed');
  assert.deepEqual(level(), { onHand: 5, reserved: 0, available: 5, returns: 0 });
  assert.equal(reservations.get(r.id)?.status, 'CANCELLED');
  assert.deepEqual(types(), ['reservationReleased']);
  await orders.orderClosed(id(99), 'never reserved'); // nothing to do
});

test('an order that failed after its stock was committed puts the units back once', async () => {
  const { reserve, orders, payments, level, types, reservations } = await setup();
  const r = await reserve({ orderId: id(11), items: [{ productId: product, quantity: 2 }] });
  await payments.apply({ reservationId: r.id, orderId: r.orderId, status: 'success' });
  assert.deepEqual(level(), { onHand: 3, reserved: 0, available: 3, returns: 0 });
  await orders.orderClosed(r.orderId, 'order failed');
  await orders.orderClosed(r.orderId, 'order failed');
  assert.deepEqual(level(), { onHand: 5, reserved: 0, available: 5, returns: 0 });
  assert.equal(reservations.get(r.id)?.status, 'RETURNED');
  assert.deepEqual(types(), ['reservationCommitted', 'reservationReleased']);
});

test('a return a crash interrupted is finished by the sweep without counting any unit twice', async () => {
  const { deps, reserve, payments, sweep, level, clock, reservations } = await setup();
  const r = await reserve({ orderId: id(12), items: [{ productId: product, quantity: 2 }] });
  await payments.apply({ reservationId: r.id, orderId: r.orderId, status: 'success' });
  // The crash: RETURNING, and the units already put back, but never RETURNED.
  await deps.reservations.move(r.id, 'COMMITTED', 'RETURNING');
  await deps.stock.restock(product, returnTag(r.id), 2);
  clock.now += 501;
  await sweep();
  assert.equal(reservations.get(r.id)?.status, 'RETURNED');
  assert.deepEqual(level(), { onHand: 5, reserved: 0, available: 5, returns: 0 });
});

test('once its order is closed, an expired reservation takes nothing for a late payment', async () => {
  const { reserve, orders, payments, sweep, level, clock, types } = await setup();
  const r = await reserve({ orderId: id(13), items: [{ productId: product, quantity: 2 }] });
  clock.now += 1001;
  await sweep();
  await orders.orderClosed(r.orderId, 'order cancelled');
  await payments.apply({ reservationId: r.id, orderId: r.orderId, status: 'success' });
  assert.deepEqual(level(), { onHand: 5, reserved: 0, available: 5, returns: 0 });
  assert.deepEqual(types(), ['reservationExpired']);
});

test('a payment delivered again after its sale was returned (the order closed) changes nothing and is not retried forever', async () => {
  const { reserve, payments, orders, level, types, reservations } = await setup();
  const r = await reserve({ orderId: id(40), items: [{ productId: product, quantity: 2 }] });
  await payments.apply({ reservationId: r.id, orderId: r.orderId, status: 'success' });
  await orders.orderClosed(r.orderId, 'order failed: the order was not completed in time');
  assert.equal(reservations.get(r.id)?.status, 'RETURNED');
  await payments.apply({ reservationId: r.id, orderId: r.orderId, status: 'success' }); // a redelivery
  assert.equal(reservations.get(r.id)?.status, 'RETURNED');
  assert.deepEqual(level(), { onHand: 5, reserved: 0, available: 5, returns: 0 });
  assert.deepEqual(types(), ['reservationCommitted', 'reservationReleased']);
});

test('a payment delivered again while its sale is being returned leaves the return to finish it', async () => {
  const { reserve, payments, level, reservations, deps } = await setup();
  const r = await reserve({ orderId: id(41), items: [{ productId: product, quantity: 2 }] });
  await payments.apply({ reservationId: r.id, orderId: r.orderId, status: 'success' });
  await deps.reservations.move(r.id, 'COMMITTED', 'RETURNING', { reason: 'order failed; stock returned' }); // a crash right after this step
  await payments.apply({ reservationId: r.id, orderId: r.orderId, status: 'success' });
  assert.equal(reservations.get(r.id)?.status, 'RETURNING');
  assert.deepEqual(level(), { onHand: 3, reserved: 0, available: 3, returns: 0 }, 'sold, not yet back: the sweep or the order event finishes the return');
});
