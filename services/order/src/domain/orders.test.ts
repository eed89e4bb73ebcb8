import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AppError, unavailable } from '@shop/platform/errors';
import type { OrderDomainEvent, OrderRecord } from './order.ts';
import { createOrderRules } from './orders.ts';
import type { OrderStore, PaymentView, ReserveResult } from './ports.ts';
import { createTransitions } from './transitions.ts';

const newId = () => randomBytes(12).toString('hex');

/** An in-memory OrderStore with the same guards as the MongoDB one: unique (user, key), version and pending checks. */
function fakeStore() {
  const orders = new Map<string, OrderRecord>();
  const outbox: OrderDomainEvent[] = [];
  const byKey = (userId: string, key: string) => [...orders.values()].find((o) => o.userId === userId && o.idempotencyKey === key) ?? null;
  const store: OrderStore = {
    newId,
    async insert(order) {
      const first = order.idempotencyKey === undefined ? null : byKey(order.userId, order.idempotencyKey);
      if (first) return { order: first, created: false };
      orders.set(order.id, structuredClone(order));
      return { order, created: true };
    },
    findById: async (id) => structuredClone(orders.get(id) ?? null),
    findByKey: async (userId, key) => byKey(userId, key),
    async discardDraft(id) {
      if (orders.get(id)?.step === 'draft') orders.delete(id);
    },
    listByUser: async (userId, limit) => [...orders.values()].filter((o) => o.userId === userId && o.step !== 'draft').slice(0, limit),
    async update(id, version, changes, events) {
      await new Promise((resolve) => setImmediate(resolve)); // let concurrent writers interleave
      const order = orders.get(id);
      if (!order || order.version !== version || order.status !== 'pending') return null;
      const next = { ...order, ...changes, version: version + 1 };
      orders.set(id, next);
      outbox.push(...structuredClone(events));
      return structuredClone(next);
    },
    findStale: async (before, deadline) =>
      [...orders.values()].filter(
        (o) => o.status === 'pending' && o.updatedAt < before && ((o.step !== 'draft' && o.facts.paymentSucceeded === undefined) || o.createdAt < deadline),
      ),
  };
  return { store, orders, outbox };
}

/** A pending order of `userId` written at `at`, as a store holds it (no lines; a total of 1.00 USD). */
function pendingOrder(userId: string, at: Date, fields: Pick<OrderRecord, 'step'> & Partial<OrderRecord>): OrderRecord {
  const address = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
  return {
    userId,
    items: [],
    totalMinor: 100,
    currency: 'USD',
    address,
    paymentMethod: 'card',
    facts: {},
    version: 0,
    id: newId(),
    status: 'pending',
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

function setup(options: { stock?: number; method?: string; slowReserveAfterFirst?: boolean; tokensChecked?: boolean } = {}) {
  const fake = fakeStore();
  const userId = newId();
  const products = new Map([
    [newId(), 19.99],
    [newId(), 0.1],
  ]);
  const cart = { id: newId(), items: [...products.keys()].map((productId, i) => ({ productId, quantity: i + 1 })), mark: '4' };
  const reservations = new Map<string, string>();
  const payments = new Map<string, PaymentView>();
  const calls = { reserve: 0, charge: 0, reservedFor: [] as string[], userLookups: 0 };
  let clock = Date.now();
  let paymentDown = false;
  /** up; `away`: the call never reaches inventory-service; `silent`: it does, but the answer is lost (a timeout). */
  let inventoryState: 'up' | 'away' | 'silent' = 'up';
  const rules = createOrderRules({
    store: fake.store,
    users: {
      exists: async (id) => {
        calls.userLookups++;
        return id === userId;
      },
    },
    carts: { get: async (id) => (id === userId ? cart : null) },
    catalog: {
      prices: async (ids) => ids.filter((id) => products.has(id)).map((id) => ({ productId: id, price: products.get(id) as number, currency: 'USD' })),
    },
    inventory: {
      async reserve(orderId, items): Promise<ReserveResult> {
        if (inventoryState === 'away') return { outcome: 'not-reached', error: unavailable('inventory-service') };
        calls.reserve++;
        calls.reservedFor.push(orderId);
        // Later calls answer only after the first request has gone on (charged, even ended).
        if (options.slowReserveAfterFirst && calls.reserve > 1) for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
        const stock = options.stock ?? 100;
        const short = items.filter((item) => item.quantity > stock);
        if (short.length > 0) return { outcome: 'short', shortItems: short.map((item) => ({ ...item, requested: item.quantity, available: stock })) };
        if (!reservations.has(orderId)) reservations.set(orderId, newId());
        if (inventoryState === 'silent') throw unavailable('inventory-service');
        return { outcome: 'reserved', reservationId: reservations.get(orderId) as string };
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
    },
    logger: { warn: () => {}, info: () => {} },
    ...(options.tokensChecked === undefined ? {} : { tokensChecked: options.tokensChecked }),
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
    types: () => fake.outbox.map((event) => event.kind),
    advance: (ms: number) => {
      clock += ms;
    },
    setPaymentDown: (down: boolean) => {
      paymentDown = down;
    },
    setInventory: (state: 'up' | 'away' | 'silent') => {
      inventoryState = state;
    },
    reservations,
  };
}

test('placing reserves, then announces and charges at catalog prices; the order confirms once stock is committed too', async () => {
  const s = setup();
  const { order, replayed } = await s.place();
  assert.equal(replayed, false);
  assert.equal(order.status, 'pending');
  assert.equal(order.totalMinor, 1999 * 1 + 10 * 2);
  assert.ok(order.reservationId && order.paymentId);
  assert.equal(order.step, 'charged');
  const confirmed = await s.rules.record(order.id, { kind: 'stockCommitted' });
  assert.equal(confirmed?.status, 'confirmed');
  assert.deepEqual(s.types(), ['orderCreated', 'orderConfirmed']);
  assert.equal(s.outbox[1]?.order.totalMinor, 2019);
  assert.equal(s.outbox[1]?.order.cartMark, '4', 'the cart mark read at placing is what order.confirmed hands back');
});

test('a declined card fails the order without an error, and the order.failed event names the reservation', async () => {
  const s = setup({ method: 'card_declined' });
  const { order } = await s.place();
  assert.equal(order.status, 'failed');
  assert.equal(order.reason, 'payment failed: card declined');
  assert.deepEqual(s.types(), ['orderCreated', 'orderFailed']);
  assert.equal(s.outbox[1]?.order.reservationId, order.reservationId);
});

test('the same idempotency key gives the first order: one order, one reservation, one charge', async () => {
  const s = setup();
  const first = await s.place({ idempotencyKey: 'key-1' });
  const again = await s.place({ idempotencyKey: 'key-1' });
  assert.equal(again.replayed, true);
  assert.equal(again.order.id, first.order.id);
  assert.equal(s.orders.size, 1);
  assert.deepEqual([s.calls.reserve, s.calls.charge], [1, 1]);
  await s.place({ idempotencyKey: 'key-2' });
  assert.equal(s.orders.size, 2);
});

test('the key is found when the draft is written, and a retry whose cart the first order emptied still gets that order', async (t) => {
  const s = setup();
  const lookups = t.mock.method(s.store, 'findByKey');
  const first = await s.place({ idempotencyKey: 'key-1' });
  assert.equal(lookups.mock.callCount(), 0, 'a new key costs no lookup of its own');
  s.cart.items.length = 0; // order.confirmed took the units out
  const again = await s.place({ idempotencyKey: 'key-1' });
  assert.deepEqual([again.replayed, again.order.id], [true, first.order.id]);
  await assert.rejects(s.place({ idempotencyKey: 'key-2' }), (e: AppError) => e.status === 400, 'a new key with the cart empty');
  assert.equal(s.orders.size, 1);
  assert.deepEqual([s.calls.reserve, s.calls.charge], [1, 1]);
});

test('parallel requests with one key: one order, one hold, one charge, and no request refused, whatever the interleaving', async () => {
  for (const method of ['card', 'card_declined']) {
    const s = setup({ method, slowReserveAfterFirst: true });
    const answers = await Promise.all(Array.from({ length: 4 }, () => s.place({ idempotencyKey: 'same' })));
    assert.equal(new Set(answers.map((a) => a.order.id)).size, 1);
    assert.equal(answers.filter((a) => !a.replayed).length, 1);
    assert.equal(s.orders.size, 1);
    assert.equal(s.payments.size, 1);
    assert.deepEqual(s.types(), method === 'card' ? ['orderCreated'] : ['orderCreated', 'orderFailed']);
  }
});

test('insufficient stock: 409 naming the items; nothing recorded, announced or charged', async () => {
  const s = setup({ stock: 1 });
  const error = await s.place().catch((e: unknown) => e);
  assert.ok(error instanceof AppError);
  assert.equal(error.code, 'INSUFFICIENT_STOCK');
  assert.deepEqual(error.details?.items, [{ productId: s.cart.items[1]?.productId, quantity: 2, requested: 2, available: 1 }]);
  assert.equal(s.orders.size, 0);
  assert.equal(s.calls.charge, 0);
  assert.deepEqual(s.types(), []);
});

test('inventory-service away: 503 and nothing recorded; the same key places the order once it is back', async () => {
  const s = setup();
  s.setInventory('away');
  await assert.rejects(s.place({ idempotencyKey: 'k' }), (e: AppError) => e.status === 503 && e.retryable);
  assert.equal(s.orders.size, 0);
  assert.deepEqual(s.types(), []);
  s.setInventory('up');
  const { order, replayed } = await s.place({ idempotencyKey: 'k' });
  assert.equal(replayed, false);
  assert.equal(order.step, 'charged');
  assert.deepEqual(s.types(), ['orderCreated']);
});

test('a reservation whose answer was lost: 503, nothing shown; the same key carries on with the same order and the same hold', async () => {
  const s = setup();
  s.setInventory('silent');
  await assert.rejects(s.place({ idempotencyKey: 'k' }), (e: AppError) => e.status === 503);
  const [draft] = s.orders.values();
  assert.equal(draft?.step, 'draft', 'kept, so a retry gets the same reservation');
  await assert.rejects(s.rules.get({ sub: s.userId, role: 'customer' }, draft?.id as string), (e: AppError) => e.status === 404);
  assert.deepEqual(await s.rules.listByUser({ sub: s.userId, role: 'customer' }, s.userId, 10), []);
  assert.deepEqual(s.types(), []);
  // A fact about the draft's hold (it expired) changes nothing: the draft has no reservation to lose.
  assert.equal((await s.rules.record(draft?.id as string, { kind: 'reservationExpired' }))?.status, 'pending');

  // Carried on while inventory-service is away, the draft stays: it may hold stock from the first call.
  s.setInventory('away');
  await assert.rejects(s.place({ idempotencyKey: 'k' }), (e: AppError) => e.status === 503);
  assert.equal(s.orders.get(draft?.id as string)?.step, 'draft');

  s.setInventory('up');
  const { order } = await s.place({ idempotencyKey: 'k' });
  assert.equal(order.id, draft?.id);
  assert.deepEqual(s.calls.reservedFor, [order.id, order.id], 'asked again for the same order: one hold');
  assert.equal(order.reservationId, s.reservations.get(order.id));
  assert.deepEqual(s.types(), ['orderCreated']);
  assert.equal(s.orders.size, 1);
});

test('payment-service down once the stock is held: 201 pending, not failed; the sweeper charges it when it is back', async () => {
  const s = setup();
  s.setPaymentDown(true);
  const { order } = await s.place();
  assert.equal(order.status, 'pending');
  assert.equal(order.step, 'reserved');
  assert.deepEqual(s.types(), ['orderCreated']);
  s.advance(61_000);
  await s.rules.sweep();
  assert.equal(s.orders.get(order.id)?.status, 'pending', 'still down: still pending');
  s.setPaymentDown(false);
  s.advance(61_000);
  await s.rules.sweep();
  assert.equal(s.orders.get(order.id)?.step, 'charged');
  assert.equal((await s.rules.record(order.id, { kind: 'stockCommitted' }))?.status, 'confirmed');
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

test('the buyer is looked up in user-service unless a checked token of their own just showed they exist', async () => {
  const address = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
  const checked = setup({ tokensChecked: true });
  await checked.place();
  assert.equal(checked.calls.userLookups, 0, 'a customer ordering for themself, token confirmed: no second call');
  const admin = { sub: newId(), role: 'admin' as const };
  await checked.rules.place(admin, { userId: checked.userId, address, paymentMethod: 'card', idempotencyKey: 'by-admin' });
  assert.equal(checked.calls.userLookups, 1, 'on behalf of someone else: asked');
  await assert.rejects(checked.rules.place(admin, { userId: newId(), address, paymentMethod: 'card' }), (e: AppError) => e.status === 404);

  const unchecked = setup({ tokensChecked: false });
  await unchecked.place();
  assert.equal(unchecked.calls.userLookups, 1, 'tokens not confirmed with user-service: asked');
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
  for (const late of [
    { kind: 'paymentFailed', paymentId: newId(), reason: 'x' },
    { kind: 'reservationExpired' },
    { kind: 'commitFailed', reason: 'y' },
  ] as const) {
    assert.equal((await s.rules.record(order.id, late))?.status, 'confirmed');
  }
  assert.deepEqual(s.types(), ['orderCreated', 'orderConfirmed']);
});

test('a change given the order as the caller had it keeps what was recorded since, and answers with the stored order', async () => {
  const s = setup();
  const reserved = pendingOrder(s.userId, new Date(), { step: 'reserved', reservationId: newId() });
  await s.store.insert(reserved);
  const asRead = structuredClone(reserved);
  const transitions = createTransitions({ store: s.store, eventsQueued: () => {} });
  await transitions.apply(reserved.id, { kind: 'stockCommitted' }); // meanwhile, from a consumer
  const after = await transitions.apply(reserved.id, { kind: 'paymentSucceeded', paymentId: newId() }, asRead);
  assert.equal(after?.status, 'confirmed', 'both facts: the stale copy cost a re-read, not the committed stock');
  assert.equal(after?.version, 2);
  const again = await transitions.apply(reserved.id, { kind: 'stockCommitted' }, asRead);
  assert.equal(again?.status, 'confirmed', 'nothing to write: the answer is the stored order, not the copy');
});

test("a checkout's events are applied to the order as this process last wrote it: no read, the same outcome", async (t) => {
  const s = setup();
  const reads = t.mock.method(s.store, 'findById');
  const { order } = await s.place();
  assert.equal(order.facts.paymentSucceeded, order.paymentId, 'the charge answered success');
  assert.equal((await s.rules.record(order.id, { kind: 'paymentSucceeded', paymentId: order.paymentId as string }))?.version, order.version);
  assert.equal((await s.rules.record(order.id, { kind: 'stockCommitted' }))?.status, 'confirmed');
  assert.equal((await s.rules.record(order.id, { kind: 'stockCommitted' }))?.status, 'confirmed', 'a redelivery');
  assert.equal(reads.mock.callCount(), 0, 'placing, the payment event, the commit and its repeat: all from the remembered copy');
  assert.equal(s.orders.get(order.id)?.status, 'confirmed');
  assert.deepEqual(s.types(), ['orderCreated', 'orderConfirmed']);
});

test('a remembered copy gone stale (another replica wrote since) costs a read, never a lost or doubled change', async (t) => {
  const s = setup();
  const { order } = await s.place();
  const replica = createTransitions({ store: s.store, eventsQueued: () => {} });
  await replica.apply(order.id, { kind: 'stockCommitted' }); // the commit is consumed by the other replica
  assert.equal(s.orders.get(order.id)?.status, 'confirmed');
  const reads = t.mock.method(s.store, 'findById');
  // This process still remembers the order pending, charged, without the commit.
  assert.equal(
    (await s.rules.record(order.id, { kind: 'paymentSucceeded', paymentId: order.paymentId as string }))?.status,
    'pending',
    'held already: the copy is the answer',
  );
  assert.equal(reads.mock.callCount(), 0);
  assert.equal(
    (await s.rules.record(order.id, { kind: 'stockCommitted' }))?.status,
    'confirmed',
    'a write on the stale copy lost to the version, and was read again',
  );
  assert.equal(reads.mock.callCount(), 1);
  assert.equal((await s.rules.record(order.id, { kind: 'reservationExpired' }))?.status, 'confirmed');
  assert.equal(reads.mock.callCount(), 1, 'the copy read last is terminal: a late event changes nothing without a read');
  assert.deepEqual(s.types(), ['orderCreated', 'orderConfirmed'], 'one confirmation');
});

test('news of an order remembered as a draft is read from the store: it may have been reserved meanwhile', async (t) => {
  const s = setup();
  const draft = pendingOrder(s.userId, new Date(), { step: 'draft' });
  await s.store.insert(draft);
  const transitions = createTransitions({ store: s.store, eventsQueued: () => {} });
  assert.equal((await transitions.apply(draft.id, { kind: 'stockCommitted' }))?.step, 'draft', 'news about a draft is ignored (and its copy kept)');
  const replica = createTransitions({ store: s.store, eventsQueued: () => {} });
  await replica.apply(draft.id, { kind: 'reserved', reservationId: newId() });
  const reads = t.mock.method(s.store, 'findById');
  const after = await transitions.apply(draft.id, { kind: 'stockCommitted' });
  assert.equal(reads.mock.callCount(), 1);
  assert.equal(after?.facts.stockCommitted, true, 'recorded on the reserved order, not dropped for the draft copy');
});

test('the sweeper charges what was not charged, leaves paid orders to inventory, drops drafts and ends everything at the deadline', async () => {
  const s = setup();
  const { order: paid } = await s.place();
  const at = new Date();
  const draft = pendingOrder(s.userId, at, { step: 'draft' });
  const notCharged = pendingOrder(s.userId, at, { step: 'reserved', reservationId: newId() });
  const paidEarlier = pendingOrder(s.userId, at, { step: 'reserved', reservationId: newId() });
  s.payments.set(paidEarlier.id, { id: newId(), status: 'success' });
  for (const order of [draft, notCharged, paidEarlier]) await s.store.insert(order);

  assert.equal(await s.rules.sweep(), 0, 'nothing is touched within the grace period');
  s.advance(61_000);
  await s.rules.sweep();
  assert.equal(s.orders.get(draft.id)?.step, 'draft', 'a draft waits for its key to come back');
  assert.equal(s.orders.get(notCharged.id)?.step, 'charged');
  assert.ok(s.orders.get(notCharged.id)?.facts.paymentSucceeded);
  assert.equal(
    s.orders.get(paidEarlier.id)?.facts.paymentSucceeded,
    s.payments.get(paidEarlier.id)?.id,
    'asked again, payment-service tells the first outcome',
  );
  assert.equal(s.orders.get(paidEarlier.id)?.status, 'pending', 'paid: waits for inventory');
  assert.equal(s.orders.get(paid.id)?.status, 'pending');
  const eventsBefore = s.outbox.length;

  s.advance(960_000);
  await s.rules.sweep();
  assert.equal(s.orders.has(draft.id), false, 'dropped at the deadline, silently: nobody had heard of it');
  assert.equal(s.orders.get(paidEarlier.id)?.status, 'failed');
  assert.equal(s.orders.get(paid.id)?.reason, 'the order was not completed in time');
  assert.ok(s.outbox.slice(eventsBefore).every((event) => event.order.id !== draft.id));
});
