import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppError } from '@shop/platform/errors';
import { inMemoryInventory } from './in-memory.ts';
import { createOnPayment } from './on-payment.ts';
import { createReserve } from './reserve.ts';
import { addsUp } from './stock.ts';
import { createSweep } from './sweep.ts';

const id = (n: number) => n.toString(16).padStart(24, '0');
const product = id(1);

async function setup(onHand = 5) {
  const inventory = inMemoryInventory({ ttlMs: 1000 });
  await inventory.deps.stock.ensure(product, onHand);
  const reserve = createReserve(inventory.deps);
  const payments = createOnPayment(inventory.deps);
  const sweep = createSweep(inventory.deps);
  const level = () => {
    const s = inventory.stock.get(product);
    assert.ok(s && addsUp(s), 'counters add up');
    return { onHand: s.onHand, reserved: s.reserved, available: s.available };
  };
  const types = () => inventory.outbox.map((e) => e.kind);
  return { ...inventory, reserve, payments, sweep, level, types };
}

const pay = (reservationId: string, orderId: string, status: 'success' | 'failure' | 'refunded' = 'success') => ({ reservationId, orderId, status });

test('success commits once: a repeat of the same payment changes nothing', async () => {
  const { reserve, payments, level, types, reservations } = await setup();
  const r = await reserve({ orderId: id(10), items: [{ productId: product, quantity: 2 }] });
  await payments.apply(pay(r.id, r.orderId));
  assert.deepEqual(level(), { onHand: 3, reserved: 0, available: 3 });
  await payments.apply(pay(r.id, r.orderId));
  await payments.apply(pay(r.id, r.orderId, 'failure'));
  assert.deepEqual(level(), { onHand: 3, reserved: 0, available: 3 });
  assert.equal(reservations.get(r.id)?.status, 'COMMITTED');
  assert.deepEqual(types(), ['reservationCommitted']);
});

test('failure releases once and announces reservation.released', async () => {
  const { reserve, payments, level, types, reservations } = await setup();
  const r = await reserve({ orderId: id(11), items: [{ productId: product, quantity: 2 }] });
  await payments.apply(pay(r.id, r.orderId, 'failure'));
  await payments.apply(pay(r.id, r.orderId, 'failure'));
  assert.deepEqual(level(), { onHand: 5, reserved: 0, available: 5 });
  assert.equal(reservations.get(r.id)?.status, 'CANCELLED');
  assert.deepEqual(types(), ['reservationReleased']);
});

test('a payment for an unknown reservation or another order is refused for good (dead-lettered)', async () => {
  const { reserve, payments } = await setup();
  const r = await reserve({ orderId: id(12), items: [{ productId: product, quantity: 1 }] });
  await assert.rejects(payments.apply(pay(id(99), r.orderId)), (e: AppError) => e.status === 404 && !e.retryable);
  await assert.rejects(payments.apply(pay(r.id, id(13))), (e: AppError) => e.status === 400 && !e.retryable);
});

test('a success after expiry takes the stock again when it is there', async () => {
  const { reserve, payments, sweep, level, types, clock, reservations } = await setup();
  const r = await reserve({ orderId: id(14), items: [{ productId: product, quantity: 2 }] });
  clock.now += 1001;
  assert.equal((await sweep()).expired, 1);
  assert.deepEqual(level(), { onHand: 5, reserved: 0, available: 5 });
  await payments.apply(pay(r.id, r.orderId));
  await payments.apply(pay(r.id, r.orderId));
  assert.deepEqual(level(), { onHand: 3, reserved: 0, available: 3 });
  assert.equal(reservations.get(r.id)?.status, 'COMMITTED');
  assert.deepEqual(types(), ['reservationExpired', 'reservationCommitted']);
});

test('a success after expiry whose stock is gone announces commit-failed once and takes nothing', async () => {
  const { reserve, payments, sweep, level, types, clock, reservations } = await setup(2);
  const r = await reserve({ orderId: id(15), items: [{ productId: product, quantity: 2 }] });
  clock.now += 1001;
  await sweep();
  await reserve({ orderId: id(16), items: [{ productId: product, quantity: 2 }] });
  await payments.apply(pay(r.id, r.orderId));
  await payments.apply(pay(r.id, r.orderId));
  assert.deepEqual(level(), { onHand: 2, reserved: 2, available: 0 });
  assert.equal(reservations.get(r.id)?.status, 'EXPIRED');
  assert.equal(reservations.get(r.id)?.final, true);
  assert.deepEqual(types(), ['reservationExpired', 'reservationCommitFailed']);
});

test('a success for a released reservation announces commit-failed, once', async () => {
  const { reserve, payments, types } = await setup();
  const r = await reserve({ orderId: id(17), items: [{ productId: product, quantity: 1 }] });
  await payments.apply(pay(r.id, r.orderId, 'failure'));
  await payments.apply(pay(r.id, r.orderId));
  await payments.apply(pay(r.id, r.orderId));
  assert.deepEqual(types(), ['reservationReleased', 'reservationCommitFailed']);
});

test('the payment after a reservation this process made starts from its copy (no read); a repeat reads it again', async (t) => {
  const { reserve, payments, level, types, deps } = await setup();
  const reads = t.mock.method(deps.reservations, 'findById');
  const r = await reserve({ orderId: id(18), items: [{ productId: product, quantity: 2 }] });
  await payments.apply(pay(r.id, r.orderId));
  assert.equal(reads.mock.callCount(), 0);
  await payments.apply(pay(r.id, r.orderId));
  assert.equal(reads.mock.callCount(), 1, 'the copy is used once');
  assert.deepEqual(level(), { onHand: 3, reserved: 0, available: 3 });
  assert.deepEqual(types(), ['reservationCommitted']);
});

test('a copy gone stale (the sweep expired the hold) costs a read, and the payment still takes the stock again', async (t) => {
  const { reserve, payments, sweep, level, types, clock, deps } = await setup();
  const reads = t.mock.method(deps.reservations, 'findById');
  const r = await reserve({ orderId: id(19), items: [{ productId: product, quantity: 2 }] });
  clock.now += 1001;
  assert.equal((await sweep()).expired, 1);
  await payments.apply(pay(r.id, r.orderId));
  assert.ok(reads.mock.callCount() >= 1, 'the PENDING copy could not move, so the reservation was read');
  assert.deepEqual(level(), { onHand: 3, reserved: 0, available: 3 });
  assert.deepEqual(types(), ['reservationExpired', 'reservationCommitted']);
});
