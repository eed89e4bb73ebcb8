import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AppError, unavailable } from '@shop/platform/errors';
import type { OutboxEntry } from '@shop/platform/mongo/outbox';
import type { OrderRecord } from './order.ts';
import { createOrderRules } from './orders.ts';
import type { OrderStore, PaymentView, ReserveResult } from './ports.ts';

const newId = () => randomBytes(12).toString('hex');

/** An in-memory OrderStore with the same guards as the MongoDB one: unique (user, key), version and pending checks. */
function fakeStore() {
  const orders = new Map<string, OrderRecord>();
  const outbox: OutboxEntry[] = [];
  const byKey = (userId: string, key: string) => [...orders.values()].find((o) => o.userId === userId && o.idempotencyKey === key) ?? null;
  const store: OrderStore = {
    newId,
    async insert(order, events) {
      const first = order.idempotencyKey === undefined ? null : byKey(order.userId, order.idempotencyKey);
      if (first) return { order: first, created: false };
      orders.set(order.id, structuredClone(order));
      outbox.push(...events);
      return { order, created: true };
    },
    findById: async (id) => structuredClone(orders.get(id) ?? null),
    findByKey: async (userId, key) => byKey(userId, key),
    listByUser: async (userId, limit) => [...orders.values()].filter((o) => o.userId === userId).slice(0, limit),
    async update(id, version, changes, events) {
      await new Promise((resolve) => setImmediate(resolve)); // let concurrent writers interleave
      const order = orders.get(id);
      if (!order || order.version !== version || order.status !== 'pending') return null;
      const next = { ...order, ...changes, version: version + 1 };
      orders.set(id, next);
      outbox.push(...events);
      return structuredClone(next);
    },
    findStale: async (before, deadline) =>
      [...orders.values()].filter((o) => o.status === 'pending' && o.updatedAt < before && (o.facts.paymentSucceeded === undefined || o.createdAt < deadline)),
  };
  return { store, orders, outbox };
}

function setup(options: { stock?: number; method?: string } = {}) {
  const fake = fakeStore();
  const userId = newId();
  const products = new Map([
    [newId(), 19.99],
    [newId(), 0.1],
  ]);
  const cart = { id: newId(), items: [...products.keys()].map((productId, i) => ({ productId, quantity: i + 1 })) };
  const reservations = new Map<string, string>();
  const payments = new Map<string, PaymentView>();
  const calls = { reserve: 0, charge: 0 };
  let clock = Date.now();
  let paymentDown = false;
  const rules = createOrderRules({
    store: fake.store,
    users: { exists: async (id) => id === userId },
    carts: { get: async (id) => (id === userId ? cart : null) },
    catalog: { price: async (id) => (products.has(id) ? { productId: id, price: products.get(id) as number, currency: 'USD' } : null) },
    inventory: {
      async reserve(orderId, items): Promise<ReserveResult> {
        calls.reserve++;
        const short = items.filter((item) => item.quantity > (options.stock ?? 100));
        if (short.length > 0) return { ok: false, shortItems: short };
        if (!reservations.has(orderId)) reservations.set(orderId, newId());
        return { ok: true, reservationId: reservations.get(orderId) as string };
      },
    },
    payments: {
      async charge(request) {
        calls.charge++;
        if (paymentDown) throw unavailable('payment-service');
        const existing = payments.get(request.orderId);
        if (existing) return existing;
        const payment: PaymentView =
          request.method === 'card' ? { id: newId(), status: 'success' } : { id: newId(), status: 'failure', reason: 'card declined' };
        payments.set(request.orderId, payment);
        return payment;
      },
      findByOrder: async (orderId) => payments.get(orderId) ?? null,
    },
    logger: { warn: () => {}, info: () => {} },
    eventsQueued: () => {},
    timing: { graceMs: 60_000, deadlineMs: 960_000 },
    now: () => new Date(clock),
  });
  const place = (extra: { idempotencyKey?: string; paymentMethod?: string } = {}) =>
    rules.place(
      { sub: userId, role: 'customer' },
      { userId, address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, paymentMethod: options.method ?? 'card', ...extra },
    );
  return {
    ...fake,
    rules,
    userId,
    cart,
    products,
    calls,
    payments,
    place,
    types: () => fake.outbox.map((entry) => entry.event.type),
    advance: (ms: number) => {
      clock += ms;
    },
    setPaymentDown: (down: boolean) => {
      paymentDown = down;
    },
  };
}

test('placing records, reserves and charges at catalog prices; the order confirms once stock is committed too', async () => {
  const s = setup();
  const { order, replayed } = await s.place();
  assert.equal(replayed, false);
  assert.equal(order.status, 'pending');
  assert.equal(order.totalMinor, 1999 * 1 + 10 * 2);
  assert.ok(order.reservationId && order.paymentId);
  assert.equal(order.step, 'charged');
  const confirmed = await s.rules.record(order.id, { kind: 'stockCommitted' });
  assert.equal(confirmed?.status, 'confirmed');
  assert.deepEqual(s.types(), ['order.created', 'order.confirmed']);
  assert.equal(s.outbox[1]?.event.data.total, 20.19);
});

test('a declined card fails the order without an error, and the order.failed event names the reservation', async () => {
  const s = setup({ method: 'card_declined' });
  const { order } = await s.place();
  assert.equal(order.status, 'failed');
  assert.equal(order.reason, 'payment failed: card declined');
  assert.deepEqual(s.types(), ['order.created', 'order.failed']);
  assert.equal(s.outbox[1]?.event.data.reservationId, order.reservationId);
});

test('the same idempotency key gives the first order: one order, one reservation, one charge', async () => {
  const s = setup();
  const first = await s.place({ idempotencyKey: 'key-1' });
  const again = await s.place({ idempotencyKey: 'key-1' });
  assert.equal(again.replayed, true);
  assert.equal(again.order.id, first.order.id);
  assert.equal(s.orders.size, 1);
  assert.deepEqual(s.calls, { reserve: 1, charge: 1 });
  await s.place({ idempotencyKey: 'key-2' });
  assert.equal(s.orders.size, 2);
});

test('insufficient stock: 409 naming the items, the order failed, nothing charged', async () => {
  const s = setup({ stock: 1 });
  const error = await s.place().catch((e: unknown) => e);
  assert.ok(error instanceof AppError);
  assert.equal(error.code, 'INSUFFICIENT_STOCK');
  assert.deepEqual(error.details?.items, [{ productId: s.cart.items[1]?.productId, quantity: 2 }]);
  const [order] = s.orders.values();
  assert.equal(order?.status, 'failed');
  assert.equal(order?.reason, 'insufficient stock');
  assert.equal(s.calls.charge, 0);
  assert.deepEqual(s.types(), ['order.created', 'order.failed']);
});

test('payment-service down: 503, and the order is failed so the reservation is released', async () => {
  const s = setup();
  s.setPaymentDown(true);
  await assert.rejects(s.place(), (e: AppError) => e.status === 503);
  const [order] = s.orders.values();
  assert.equal(order?.status, 'failed');
  assert.ok(order?.reservationId);
  assert.equal(s.outbox[1]?.event.data.reservationId, order?.reservationId);
});

test('bad requests write nothing: empty cart 400, unknown product 409, someone else 403', async () => {
  const s = setup();
  const [first] = s.cart.items;
  s.products.delete(first?.productId as string);
  await assert.rejects(s.place(), (e: AppError) => e.status === 409 && JSON.stringify(e.details).includes(first?.productId as string));
  s.cart.items.length = 0;
  await assert.rejects(s.place(), (e: AppError) => e.status === 400);
  await assert.rejects(
    s.rules.place(
      { sub: newId(), role: 'customer' },
      { userId: s.userId, address: { line1: 'x', city: 'y', postalCode: '123', country: 'US' }, paymentMethod: 'card' },
    ),
    (e: AppError) => e.status === 403,
  );
  assert.equal(s.orders.size, 0);
  assert.equal(s.outbox.length, 0);
});

test('facts recorded at the same time are all kept (optimistic versions), and terminal orders ignore late events', async () => {
  const s = setup();
  const { order } = await s.place();
  await Promise.all([
    s.rules.record(order.id, { kind: 'stockCommitted' }),
    s.rules.record(order.id, { kind: 'paymentSucceeded', paymentId: order.paymentId as string }),
    s.rules.record(order.id, { kind: 'stockCommitted' }),
  ]);
  assert.equal(s.orders.get(order.id)?.status, 'confirmed');
  for (const late of [{ kind: 'paymentFailed', reason: 'x' }, { kind: 'reservationExpired' }, { kind: 'commitFailed', reason: 'y' }] as const) {
    assert.equal((await s.rules.record(order.id, late))?.status, 'confirmed');
  }
  assert.deepEqual(s.types(), ['order.created', 'order.confirmed']);
});

test('the sweeper ends interrupted orders from what payment-service knows, and everything at the deadline', async () => {
  const s = setup();
  const { order: paid } = await s.place();
  const at = new Date();
  const base = { userId: s.userId, items: [], totalMinor: 100, currency: 'USD', address: paid.address, paymentMethod: 'card', facts: {}, version: 0 };
  const noReservation: OrderRecord = { ...base, id: newId(), status: 'pending', step: 'recorded', createdAt: at, updatedAt: at };
  const noPayment: OrderRecord = { ...base, id: newId(), status: 'pending', step: 'reserved', reservationId: newId(), createdAt: at, updatedAt: at };
  const paymentOnly: OrderRecord = { ...base, id: newId(), status: 'pending', step: 'reserved', reservationId: newId(), createdAt: at, updatedAt: at };
  s.payments.set(paymentOnly.id, { id: newId(), status: 'success' });
  for (const order of [noReservation, noPayment, paymentOnly]) await s.store.insert(order, []);

  assert.equal(await s.rules.sweep(), 0, 'nothing is touched within the grace period');
  s.advance(61_000);
  await s.rules.sweep();
  assert.equal(s.orders.get(noReservation.id)?.status, 'failed');
  assert.equal(s.orders.get(noPayment.id)?.status, 'failed');
  assert.equal(s.orders.get(paymentOnly.id)?.facts.paymentSucceeded, s.payments.get(paymentOnly.id)?.id);
  assert.equal(s.orders.get(paymentOnly.id)?.status, 'pending', 'paid: waits for inventory');
  assert.equal(s.orders.get(paid.id)?.status, 'pending');

  s.advance(960_000);
  await s.rules.sweep();
  assert.equal(s.orders.get(paymentOnly.id)?.status, 'failed');
  assert.equal(s.orders.get(paid.id)?.reason, 'the order was not completed in time');
});
