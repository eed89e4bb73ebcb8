import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AppError } from '@shop/platform/errors';
import { type ChargeRequest, type PaymentGateway, simulatedAnswer } from './gateway.ts';
import type { PaymentDomainEvent, PaymentRecord } from './payment.ts';
import { createPaymentRules, type Directory, type OrderView, type PaymentStore } from './payments.ts';

const newId = () => randomBytes(12).toString('hex');

/** An in-memory PaymentStore with the same one-payment-per-order rule as the unique index. */
function fakeStore() {
  const payments = new Map<string, PaymentRecord>();
  const outbox: PaymentDomainEvent[] = [];
  const byOrder = (orderId: string) => [...payments.values()].find((p) => p.orderId === orderId) ?? null;
  const store: PaymentStore = {
    newId,
    async insert(payment) {
      if (byOrder(payment.orderId)) return false;
      payments.set(payment.id, { ...payment });
      return true;
    },
    findById: async (id) => payments.get(id) ?? null,
    findByOrder: async (orderId) => byOrder(orderId),
    list: async (filter, limit) =>
      [...payments.values()]
        .filter((p) => p.status !== 'voided' && (!filter.orderId || p.orderId === filter.orderId) && (!filter.userId || p.userId === filter.userId))
        .slice(0, limit),
    async transition(id, from, changes, events) {
      const payment = payments.get(id);
      if (!payment || payment.status !== from) return null;
      const next = { ...payment, ...changes };
      payments.set(id, next);
      outbox.push(...events);
      return next;
    },
    findUnfinished: async (before) => [...payments.values()].filter((p) => p.status === 'processing' && p.createdAt < before),
  };
  return { store, payments, outbox };
}

/** The pure simulated answer, counting how often each key was asked, with a pause so calls overlap. */
function countingGateway() {
  const calls = new Map<string, number>();
  const gateway: PaymentGateway = {
    async charge(request: ChargeRequest) {
      calls.set(request.idempotencyKey, (calls.get(request.idempotencyKey) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return simulatedAnswer(request, 0);
    },
  };
  return { gateway, calls };
}

function setup() {
  const fake = fakeStore();
  const { gateway, calls } = countingGateway();
  const orders = new Map<string, OrderView>();
  const users = new Set<string>();
  const directory: Directory = { userExists: async (id) => users.has(id), findOrder: async (id) => orders.get(id) ?? null };
  const rules = createPaymentRules({ store: fake.store, gateway, directory, eventsQueued: () => {} });
  const order = (totalMinor = 2999): OrderView => {
    const view = { id: newId(), userId: newId(), status: 'pending', totalMinor, currency: 'USD', reservationId: newId() };
    orders.set(view.id, view);
    users.add(view.userId);
    return view;
  };
  return { ...fake, rules, calls, order, orders };
}

// A service other than order-service: its charges are checked against order- and user-service.
const service = { sub: 'back-office', role: 'service' as const };
const orderService = { sub: 'order-service', role: 'service' as const };
const input = (o: OrderView, method = 'card') => ({
  orderId: o.id,
  userId: o.userId,
  reservationId: o.reservationId as string,
  amount: o.totalMinor / 100,
  method,
});
const status = (code: number) => (e: unknown) => e instanceof AppError && e.status === code;

test('parallel retries of one charge give one payment, one idempotency key at the gateway and one event', async () => {
  const { rules, payments, outbox, calls, order } = setup();
  const o = order();
  const results = await Promise.all(Array.from({ length: 10 }, () => rules.charge(service, input(o))));
  assert.equal(payments.size, 1);
  assert.equal(new Set(results.map((p) => JSON.stringify(p))).size, 1);
  assert.equal(results[0]?.status, 'success');
  assert.equal(outbox.length, 1);
  assert.equal(outbox[0]?.kind, 'paymentSucceeded');
  assert.equal(outbox[0]?.payment.orderId, o.id);
  // Retries arriving while the first was still at the gateway re-ask it with the same key: never a second key.
  assert.deepEqual([...calls.keys()], [results[0]?.id]);
  const later = await rules.charge(service, input(o));
  assert.deepEqual(later, results[0]);
  assert.equal(outbox.length, 1);
});

test("order-service's own charges are taken as they come: no lookups, its currency kept", async () => {
  const { rules, payments } = setup();
  // Not in the directory at all: only order-service's word stands behind this order.
  const payment = await rules.charge(orderService, {
    orderId: newId(),
    userId: newId(),
    reservationId: newId(),
    amount: 12.5,
    method: 'card',
    currency: 'EUR',
  });
  assert.deepEqual([payment.status, payment.amountMinor, payment.currency], ['success', 1250, 'EUR']);
  assert.equal(payments.size, 1);
  await assert.rejects(rules.charge(service, { orderId: newId(), userId: newId(), reservationId: newId(), amount: 12.5, method: 'card' }), status(404));
});

test("order-service's first charge is written without a lookup; its repeats, at once or later, get that payment", async (t) => {
  const { store, rules, payments, outbox, calls } = setup();
  const lookups = t.mock.method(store, 'findByOrder');
  const charge = { orderId: newId(), userId: newId(), reservationId: newId(), amount: 12.5, method: 'card', currency: 'EUR' };
  const first = await rules.charge(orderService, charge);
  assert.equal(lookups.mock.callCount(), 0, 'the unique orderId finds a repeat; the common first charge needs no read');
  const repeats = await Promise.all(Array.from({ length: 5 }, () => rules.charge(orderService, charge)));
  assert.deepEqual(
    repeats.map((p) => p.id),
    Array(5).fill(first.id),
  );
  assert.deepEqual([payments.size, outbox.length, [...calls.keys()]], [1, 1, [first.id]]);
  await assert.rejects(rules.charge(orderService, { ...charge, amount: 13 }), status(409));
});

test('an amount other than the order total is a 409 and writes nothing', async () => {
  const { rules, payments, order } = setup();
  const o = order(1000);
  await assert.rejects(rules.charge(service, { ...input(o), amount: 10.01 }), status(409));
  assert.equal(payments.size, 0);
});

test('only the order owner, an admin or a service may pay; a different customer gets 403', async () => {
  const { rules, payments, order } = setup();
  const o = order();
  const other = order();
  await assert.rejects(rules.charge({ sub: other.userId, role: 'customer' }, input(o)), status(403));
  await assert.rejects(rules.charge({ sub: other.userId, role: 'customer' }, { ...input(o), userId: other.userId }), status(403));
  await assert.rejects(rules.charge(service, { ...input(o), userId: other.userId }), status(409));
  assert.equal(payments.size, 0);
  const own = await rules.charge({ sub: o.userId, role: 'customer' }, input(o));
  assert.equal(own.status, 'success');
  await assert.rejects(rules.get({ sub: other.userId, role: 'customer' }, own.id), status(403));
});

test('a declined card is a failure with a reason and a payment.failed event', async () => {
  const { rules, outbox, order } = setup();
  const payment = await rules.charge(service, input(order(), 'card_declined'));
  assert.equal(payment.status, 'failure');
  assert.equal(payment.reason, 'card declined');
  assert.equal(outbox[0]?.kind, 'paymentFailed');
  assert.equal(outbox[0]?.payment.status, 'failure');
});

test('a retry with other details, and a closed order, are refused', async () => {
  const { rules, orders, order } = setup();
  const o = order();
  await rules.charge(service, input(o, 'card_declined'));
  await assert.rejects(rules.charge(service, input(o, 'card')), status(409));
  const cancelled = order();
  orders.set(cancelled.id, { ...cancelled, status: 'cancelled' });
  await assert.rejects(rules.charge(service, input(cancelled)), status(409));
});

test('a charge a crash left processing is finished by the sweep with the gateway answer for its key', async () => {
  const { rules, store, outbox, calls, order } = setup();
  const o = order();
  const stuck: PaymentRecord = {
    id: newId(),
    orderId: o.id,
    userId: o.userId,
    reservationId: o.reservationId as string,
    amountMinor: o.totalMinor,
    currency: 'USD',
    method: 'card',
    status: 'processing',
    createdAt: new Date(Date.now() - 60_000),
    updatedAt: new Date(Date.now() - 60_000),
  };
  await store.insert(stuck);
  assert.equal(await rules.sweep(10_000), 1);
  assert.equal((await store.findById(stuck.id))?.status, 'success');
  assert.equal(calls.get(stuck.id), 1);
  assert.equal(outbox.length, 1);
  assert.equal(await rules.sweep(10_000), 0);
});

test('closing an order refunds its successful payment once, and voids an unpaid order so it cannot be charged later', async () => {
  const { rules, outbox, order } = setup();
  const paid = order();
  const payment = await rules.charge(service, input(paid));
  const closed = { orderId: paid.id, userId: paid.userId, totalMinor: paid.totalMinor, currency: 'USD' };
  assert.equal(await rules.closeOrder(closed, 'order failed'), 'refunded');
  assert.equal(await rules.closeOrder(closed, 'order failed'), 'unchanged');
  assert.equal(await rules.refundForReservation(paid.id, 'commit failed'), 'unchanged');
  assert.equal((await rules.get(service, payment.id)).status, 'refunded');
  assert.deepEqual(
    outbox.map((e) => e.kind),
    ['paymentSucceeded', 'paymentRefunded'],
  );

  const unpaid = order();
  assert.equal(
    await rules.closeOrder({ orderId: unpaid.id, userId: unpaid.userId, totalMinor: unpaid.totalMinor, currency: 'USD' }, 'order cancelled'),
    'voided',
  );
  await assert.rejects(rules.charge(service, input(unpaid)), status(409));
  assert.deepEqual(await rules.list(service, { orderId: unpaid.id }, 50), []);
  assert.equal(await rules.refundForReservation(newId(), 'commit failed'), 'unchanged');
});

test('a refund of a payment still processing first finishes it with the same gateway answer', async () => {
  const { rules, store, calls, order } = setup();
  const o = order();
  const id = newId();
  await store.insert({
    ...input(o),
    id,
    amountMinor: o.totalMinor,
    currency: 'USD',
    status: 'processing',
    createdAt: new Date(),
    updatedAt: new Date(),
  } as PaymentRecord);
  assert.equal(await rules.refundForReservation(o.id, 'commit failed'), 'refunded');
  assert.equal(calls.get(id), 1);
});
