import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { AppError } from '@shop/platform/errors';
import type { Cart, ProductAvailability } from './cart.ts';
import { linesUntouched, markOf } from './cart-mark.ts';
import { type CartStore, createCartRules } from './carts.ts';

const hex = () => randomBytes(12).toString('hex');

type FakeCart = {
  id: string;
  items: Map<string, number>;
  applied: Set<string>;
  closed: boolean;
  emptied: number;
  resets: Record<string, number>;
  updatedAt: Date;
};

/** An in-memory CartStore with the MongoDB store's semantics (tombstones, guarded add, once-per-order, reset counts). */
function fakeStore() {
  const carts = new Map<string, FakeCart>();
  const counts = (c: FakeCart) => ({ emptied: c.emptied, lines: c.resets });
  const view = (userId: string): Cart | null => {
    const c = carts.get(userId);
    if (!c || c.closed) return null;
    const items = [...c.items].filter(([, q]) => q > 0).map(([productId, quantity]) => ({ productId, quantity }));
    return {
      id: c.id,
      userId,
      items,
      mark: markOf(
        counts(c),
        items.map((item) => item.productId),
      ),
      updatedAt: c.updatedAt,
    };
  };
  const reset = (c: FakeCart | undefined, productId: string) => {
    if (c) c.resets[productId] = (c.resets[productId] ?? 0) + 1;
  };
  const live = (userId: string) => (carts.get(userId)?.closed === false ? carts.get(userId) : undefined);
  const store: CartStore = {
    find: async (userId) => view(userId),
    async open(userId) {
      const c = carts.get(userId);
      if (c) return c.closed ? 'closed' : 'exists';
      carts.set(userId, { id: hex(), items: new Map(), applied: new Set(), closed: false, emptied: 0, resets: {}, updatedAt: new Date() });
      return 'created';
    },
    async add(userId, productId, quantity, { max, maxLines }) {
      const c = live(userId);
      if (!c) return null;
      if ((c.items.get(productId) ?? 0) > max - quantity) return 'units';
      if (!c.items.has(productId) && c.items.size >= maxLines) return 'lines';
      c.items.set(productId, (c.items.get(productId) ?? 0) + quantity);
      return view(userId);
    },
    async setQuantity(userId, productId, quantity, { maxLines }) {
      const c = live(userId);
      if (c && !c.items.has(productId) && c.items.size >= maxLines) return 'lines';
      c?.items.set(productId, quantity);
      reset(c, productId);
      return view(userId);
    },
    async removeItem(userId, productId) {
      live(userId)?.items.delete(productId);
      reset(live(userId), productId);
      return view(userId);
    },
    async empty(userId) {
      const c = live(userId);
      if (c) {
        c.items.clear();
        c.emptied++;
        c.resets = {};
      }
      return view(userId) !== null;
    },
    async close(userId) {
      if (!carts.has(userId)) await store.open(userId);
      const c = carts.get(userId)!;
      c.closed = true;
      c.items.clear();
    },
    async applyOrder(userId, orderId, quantities, at) {
      const c = live(userId);
      if (!c || c.applied.has(orderId)) return;
      const lines = at ? linesUntouched(counts(c), at, [...quantities.keys()]) : [...quantities.keys()];
      if (lines.length === 0) return;
      c.applied.add(orderId);
      for (const p of lines) c.items.set(p, (c.items.get(p) ?? 0) - (quantities.get(p) ?? 0));
      for (const [p, q] of c.items) if (q <= 0) c.items.delete(p);
    },
  };
  return { store, carts };
}

function setup(options: { users?: Set<string>; products?: Map<string, ProductAvailability>; maxLines?: number; tokensChecked?: boolean } = {}) {
  const fake = fakeStore();
  const users = options.users ?? new Set<string>();
  const products = options.products ?? new Map<string, ProductAvailability>();
  const calls = { userLookups: 0 };
  const rules = createCartRules({
    store: fake.store,
    users: {
      exists: async (id) => {
        calls.userLookups++;
        return users.has(id);
      },
    },
    catalog: { availability: async (id) => products.get(id) ?? { found: false } },
    limits: { maxLines: options.maxLines ?? 100 },
    tokensChecked: options.tokensChecked ?? false,
  });
  return { ...fake, rules, users, products, calls };
}

const status = (e: AppError) => e.status;

test('adding the same product again raises its quantity; the cart is created on first use', async () => {
  const [alice, apple] = [hex(), hex()];
  const { rules } = setup({ users: new Set([alice]), products: new Map([[apple, { found: true, available: 10 }]]) });
  const me = { sub: alice, role: 'customer' as const };
  await rules.add(me, { userId: alice, productId: apple, quantity: 2 });
  const cart = await rules.add(me, { userId: alice, productId: apple, quantity: 3 });
  assert.deepEqual(cart.items, [{ productId: apple, quantity: 5 }]);
});

test('the total asked for must be in stock (unknown stock does not block), and a line holds at most 10000 units', async () => {
  const [alice, apple, pear] = [hex(), hex(), hex()];
  const products = new Map<string, ProductAvailability>([
    [apple, { found: true, available: 4 }],
    [pear, { found: true, available: null }],
  ]);
  const { rules } = setup({ users: new Set([alice]), products });
  const me = { sub: alice, role: 'customer' as const };
  await rules.add(me, { userId: alice, productId: apple, quantity: 3 });
  await assert.rejects(rules.add(me, { userId: alice, productId: apple, quantity: 2 }), (e: AppError) => e.code === 'INSUFFICIENT_STOCK');
  await rules.add(me, { userId: alice, productId: pear, quantity: 9_999 });
  await assert.rejects(rules.add(me, { userId: alice, productId: pear, quantity: 2 }), (e: AppError) => e.status === 409);
  assert.deepEqual((await rules.get(me, alice)).items, [
    { productId: apple, quantity: 3 },
    { productId: pear, quantity: 9_999 },
  ]);
});

test('adding does not read the cart; only a refused add reads it, to say why: the stock, the line maximum or the line count', async (t) => {
  const [alice, apple, pear] = [hex(), hex(), hex()];
  const products = new Map<string, ProductAvailability>([
    [apple, { found: true, available: 4 }],
    [pear, { found: true, available: null }],
  ]);
  const { rules, store } = setup({ users: new Set([alice]), products, maxLines: 2 });
  const reads = t.mock.method(store, 'find');
  const me = { sub: alice, role: 'customer' as const };
  await rules.add(me, { userId: alice, productId: apple, quantity: 3 }); // opens the cart first
  await rules.add(me, { userId: alice, productId: pear, quantity: 9_999 });
  assert.equal(reads.mock.callCount(), 0);
  const refused = (added: Promise<unknown>) =>
    added.then(
      () => 'added',
      (e: AppError) => (e.code === 'INSUFFICIENT_STOCK' ? `stock ${e.details?.requested}/${e.details?.available}` : e.message),
    );
  assert.equal(await refused(rules.add(me, { userId: alice, productId: apple, quantity: 2 })), 'stock 5/4', 'the total wanted, as before');
  assert.match(await refused(rules.add(me, { userId: alice, productId: pear, quantity: 2 })), /at most 10000 units/);
  assert.match(await refused(rules.add(me, { userId: alice, productId: hex(), quantity: 1 })), /Product not found/);
  products.set(pear, { found: true, available: null });
  const plum = hex();
  products.set(plum, { found: true, available: 1 });
  assert.match(await refused(rules.add(me, { userId: alice, productId: plum, quantity: 1 })), /at most 2 different products/);
  assert.equal(reads.mock.callCount(), 3, 'one read per refusal');
});

test("adding to a deleted user's cart is a 404, whatever the quantity", async () => {
  const [alice, apple] = [hex(), hex()];
  const { rules, store } = setup({ users: new Set([alice]), products: new Map([[apple, { found: true, available: 1 }]]) });
  await store.close(alice);
  for (const quantity of [1, 2]) {
    await assert.rejects(rules.add({ sub: 'x', role: 'admin' }, { userId: alice, productId: apple, quantity }), (e: AppError) => status(e) === 404);
  }
});

test('a cart holds a bounded number of different products', async () => {
  const [alice, a, b] = [hex(), hex(), hex()];
  const products = new Map<string, ProductAvailability>([
    [a, { found: true, available: null }],
    [b, { found: true, available: null }],
  ]);
  const { rules } = setup({ users: new Set([alice]), products, maxLines: 1 });
  const me = { sub: alice, role: 'customer' as const };
  await rules.add(me, { userId: alice, productId: a, quantity: 1 });
  await rules.add(me, { userId: alice, productId: a, quantity: 1 });
  await assert.rejects(rules.add(me, { userId: alice, productId: b, quantity: 1 }), (e: AppError) => e.status === 409);
});

test('unknown users and products are 404; another customer is 403, an admin or a service may', async () => {
  const [alice, bob, apple] = [hex(), hex(), hex()];
  const { rules } = setup({ users: new Set([alice, bob]), products: new Map([[apple, { found: true, available: 5 }]]) });
  const asBob = { sub: bob, role: 'customer' as const };
  await assert.rejects(rules.add(asBob, { userId: alice, productId: apple, quantity: 1 }), (e: AppError) => status(e) === 403);
  await assert.rejects(rules.add(asBob, { userId: bob, productId: hex(), quantity: 1 }), (e: AppError) => status(e) === 404);
  const ghost = hex();
  await assert.rejects(rules.add({ sub: 'x', role: 'admin' }, { userId: ghost, productId: apple, quantity: 1 }), (e: AppError) => status(e) === 404);
  await rules.add({ sub: 'order-service', role: 'service' }, { userId: alice, productId: apple, quantity: 1 });
  await assert.rejects(rules.get(asBob, alice), (e: AppError) => status(e) === 403);
  await assert.rejects(rules.clear(asBob, alice), (e: AppError) => status(e) === 403);
  await assert.rejects(rules.setQuantity(asBob, alice, apple, 2), (e: AppError) => status(e) === 403);
  await assert.rejects(rules.removeItem(asBob, alice, apple), (e: AppError) => status(e) === 403);
});

test('the user is looked up in user-service unless a checked token of their own just showed they exist; a deleted user is refused either way', async () => {
  const [alice, carol, apple] = [hex(), hex(), hex()];
  const products = new Map([[apple, { found: true, available: 5 }]]);
  const checked = setup({ users: new Set([alice, carol]), products, tokensChecked: true });
  const me = { sub: alice, role: 'customer' as const };
  await checked.rules.add(me, { userId: alice, productId: apple, quantity: 1 });
  await checked.rules.setQuantity(me, alice, apple, 2);
  assert.equal(checked.calls.userLookups, 0, 'a customer for themself, token confirmed: no second call');
  await checked.rules.add({ sub: 'x', role: 'admin' }, { userId: alice, productId: apple, quantity: 1 });
  assert.equal(checked.calls.userLookups, 1, 'on behalf of someone else: asked');
  await checked.rules.userDeleted(carol);
  const asCarol = { sub: carol, role: 'customer' as const };
  await assert.rejects(checked.rules.add(asCarol, { userId: carol, productId: apple, quantity: 1 }), (e: AppError) => status(e) === 404);

  const unchecked = setup({ users: new Set([alice]), products, tokensChecked: false });
  await unchecked.rules.add(me, { userId: alice, productId: apple, quantity: 1 });
  assert.equal(unchecked.calls.userLookups, 1, 'tokens not confirmed with user-service: asked');
});

test('setting and removing one line; emptying the cart', async () => {
  const [alice, apple, pear] = [hex(), hex(), hex()];
  const products = new Map<string, ProductAvailability>([
    [apple, { found: true, available: 5 }],
    [pear, { found: true, available: 5 }],
  ]);
  const { rules } = setup({ users: new Set([alice]), products });
  const me = { sub: alice, role: 'customer' as const };
  await rules.add(me, { userId: alice, productId: apple, quantity: 1 });
  assert.deepEqual((await rules.setQuantity(me, alice, apple, 4)).items, [{ productId: apple, quantity: 4 }]);
  await assert.rejects(rules.setQuantity(me, alice, apple, 6), (e: AppError) => e.code === 'INSUFFICIENT_STOCK');
  await rules.setQuantity(me, alice, pear, 2);
  assert.deepEqual((await rules.removeItem(me, alice, apple)).items, [{ productId: pear, quantity: 2 }]);
  await rules.clear(me, alice);
  assert.deepEqual((await rules.get(me, alice)).items, []);
});

test('setting a line before user-created was consumed opens the cart, as adding does; unknown and deleted users are 404', async () => {
  const [alice, ghost, carol, apple] = [hex(), hex(), hex(), hex()];
  const { rules, carts } = setup({ users: new Set([alice, carol]), products: new Map([[apple, { found: true, available: 5 }]]) });
  const me = { sub: alice, role: 'customer' as const };
  assert.deepEqual((await rules.setQuantity(me, alice, apple, 3)).items, [{ productId: apple, quantity: 3 }]);
  assert.deepEqual((await rules.get(me, alice)).items, [{ productId: apple, quantity: 3 }]);
  const admin = { sub: 'admin', role: 'admin' as const };
  const userMissing = (e: AppError) => status(e) === 404 && e.details?.field === 'params.userId';
  await assert.rejects(rules.setQuantity(admin, ghost, apple, 1), userMissing);
  assert.equal(carts.has(ghost), false);
  // user-service may still answer for a moment after user-deleted; the tombstone refuses anyway.
  await rules.userDeleted(carol);
  await assert.rejects(rules.setQuantity(admin, carol, apple, 1), userMissing);
  await assert.rejects(rules.get(admin, carol), (e: AppError) => status(e) === 404);
});

test('user events: created gives an empty cart, deleted removes it for good, both idempotent', async () => {
  const [alice, apple] = [hex(), hex()];
  const { rules } = setup({ users: new Set([alice]), products: new Map([[apple, { found: true, available: 5 }]]) });
  const admin = { sub: 'admin', role: 'admin' as const };
  assert.equal(await rules.userCreated(alice), 'created');
  assert.equal(await rules.userCreated(alice), 'exists');
  assert.deepEqual((await rules.get(admin, alice)).items, []);
  await rules.userDeleted(alice);
  await rules.userDeleted(alice);
  await assert.rejects(rules.get(admin, alice), (e: AppError) => status(e) === 404);
  // user-service may still answer for a moment; the tombstone refuses anyway.
  await assert.rejects(rules.add(admin, { userId: alice, productId: apple, quantity: 1 }), (e: AppError) => status(e) === 404);
  assert.equal(await rules.userCreated(alice), 'closed');
});

test('a confirmed order takes its units out once, keeping what was added beyond them', async () => {
  const [alice, apple, pear] = [hex(), hex(), hex()];
  const products = new Map<string, ProductAvailability>([
    [apple, { found: true, available: null }],
    [pear, { found: true, available: null }],
  ]);
  const { rules } = setup({ users: new Set([alice]), products });
  const me = { sub: alice, role: 'customer' as const };
  await rules.add(me, { userId: alice, productId: apple, quantity: 3 });
  await rules.add(me, { userId: alice, productId: pear, quantity: 1 });
  const order = {
    orderId: hex(),
    userId: alice,
    items: [
      { productId: apple, quantity: 1 },
      { productId: apple, quantity: 1 },
      { productId: pear, quantity: 1 },
    ],
  };
  await rules.orderConfirmed(order);
  await rules.orderConfirmed(order);
  assert.deepEqual((await rules.get(me, alice)).items, [{ productId: apple, quantity: 1 }]);
});

test('a late order.confirmed takes out only the units the order saw: not those put back after emptying the cart or resetting a line', async () => {
  const [alice, apple, pear, plum] = [hex(), hex(), hex(), hex()];
  const products = new Map<string, ProductAvailability>([apple, pear, plum].map((id) => [id, { found: true, available: 50 }]));
  const { rules } = setup({ users: new Set([alice]), products });
  const me = { sub: alice, role: 'customer' as const };
  const confirm = (cart: Cart, items: { productId: string; quantity: number }[]) =>
    rules.orderConfirmed({ orderId: hex(), userId: alice, items, cartMark: cart.mark });

  // Ordered one apple; the customer empties the cart and puts one apple back before the confirmation.
  const placed = await rules.add(me, { userId: alice, productId: apple, quantity: 1 });
  await rules.clear(me, alice);
  await rules.add(me, { userId: alice, productId: apple, quantity: 1 });
  await confirm(placed, [{ productId: apple, quantity: 1 }]);
  assert.deepEqual((await rules.get(me, alice)).items, [{ productId: apple, quantity: 1 }], 'the apple put back stays');

  // Ordered the apple and two pears; then the pear line is removed and one pear put back, and a plum added.
  await rules.add(me, { userId: alice, productId: pear, quantity: 2 });
  const second = await rules.get(me, alice);
  await rules.removeItem(me, alice, pear);
  await rules.add(me, { userId: alice, productId: pear, quantity: 1 });
  await rules.add(me, { userId: alice, productId: plum, quantity: 1 });
  await confirm(second, [
    { productId: apple, quantity: 1 },
    { productId: pear, quantity: 2 },
  ]);
  assert.deepEqual(
    (await rules.get(me, alice)).items,
    [
      { productId: pear, quantity: 1 },
      { productId: plum, quantity: 1 },
    ],
    'the apple the order saw goes; the pear put back and the plum stay',
  );

  // A line replaced (PUT) after ordering keeps the quantity the customer set.
  const third = await rules.get(me, alice);
  await rules.setQuantity(me, alice, plum, 3);
  await confirm(third, [{ productId: plum, quantity: 1 }]);
  assert.deepEqual((await rules.get(me, alice)).items.find((item) => item.productId === plum)?.quantity, 3);
});
