import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Platform } from '@shop/platform/service';
import { bearer, eventually, fileScope, newId, startCartService, startCatalogStandIn, startUserService } from './support.ts';

const hooks = fileScope(after);
let cart: Platform;
let users: Platform;
let products: Awaited<ReturnType<typeof startCatalogStandIn>>;

before(async () => {
  const userService = await startUserService(hooks);
  users = userService.service;
  products = await startCatalogStandIn(hooks);
  cart = await startCartService(hooks, { USER_SERVICE_URL: userService.url, PRODUCT_SERVICE_URL: products.url, INVENTORY_SERVICE_URL: products.url });
});

/** Registers a customer at the real user-service, logs in, and waits for the cart its user-created makes. */
async function customer(label: string) {
  const email = `${label}-${newId()}@example.com`;
  const password = 'password-123';
  const registered = await users.http.inject({ method: 'POST', url: '/register', payload: { name: label, email, password } });
  assert.equal(registered.statusCode, 201);
  const login = await users.http.inject({ method: 'POST', url: '/login', payload: { email, password } });
  const id: string = registered.json().id;
  const headers = { authorization: `Bearer ${login.json().token}` };
  await eventually(`${label}'s cart`, async () =>
    (await cart.http.inject({ method: 'GET', url: `/cart/${id}`, headers })).statusCode === 200 ? true : undefined,
  );
  return { id, headers };
}

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
  cart.http.inject({ method, url, headers, ...(payload ? { payload } : {}) });

test('adding checks user and product, merges quantities and respects stock; lines can be set, removed and the cart emptied', async () => {
  const alice = await customer('alice');
  const apple = products.add(6);
  const pear = products.add(null);

  const asked = { ...products.asked };
  const first = await call('POST', '/cart', alice.headers, { userId: alice.id, productId: apple, quantity: 2 });
  assert.equal(first.statusCode, 200, first.body);
  // Stock known: one call, to inventory-service; product-service is not asked.
  assert.deepEqual(products.asked, { inventory: asked.inventory + 1, product: asked.product });
  const again = await call('POST', '/cart', alice.headers, { userId: alice.id, productId: apple, quantity: 3 });
  assert.deepEqual(again.json().items, [{ productId: apple, quantity: 5 }]);
  assert.equal(again.json().id, first.json().id);

  const tooMany = await call('POST', '/cart', alice.headers, { userId: alice.id, productId: apple, quantity: 2 });
  assert.equal(tooMany.statusCode, 409);
  assert.equal(tooMany.json().code, 'INSUFFICIENT_STOCK');
  assert.match(tooMany.headers['content-type'] as string, /^application\/problem\+json/);
  const unknown = await call('POST', '/cart', alice.headers, { userId: alice.id, productId: newId(), quantity: 1 });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().field, 'body.productId');
  // Inventory unknown (no stock record; product-service answers inventory: null): the cart takes it, the order will reserve for real.
  const beforePear = { ...products.asked };
  assert.equal((await call('POST', '/cart', alice.headers, { userId: alice.id, productId: pear, quantity: 7 })).statusCode, 200);
  assert.deepEqual(products.asked, { inventory: beforePear.inventory + 1, product: beforePear.product + 1 });

  const set = await call('PUT', `/cart/${alice.id}/items/${apple}`, alice.headers, { quantity: 1 });
  assert.deepEqual(set.json().items, [
    { productId: apple, quantity: 1 },
    { productId: pear, quantity: 7 },
  ]);
  assert.equal((await call('PUT', `/cart/${alice.id}/items/${apple}`, alice.headers, { quantity: 7 })).statusCode, 409);
  assert.equal((await call('DELETE', `/cart/${alice.id}/items/${pear}`, alice.headers)).statusCode, 204);
  const read = await call('GET', `/cart/${alice.id}`, alice.headers);
  assert.deepEqual(Object.keys(read.json()).sort(), ['id', 'items', 'mark', 'updatedAt', 'userId']);
  assert.deepEqual(read.json().items, [{ productId: apple, quantity: 1 }]);
  // The apple line was replaced once (PUT); the pear is gone, so the mark leaves it out.
  assert.equal(read.json().mark, `0.${apple}-1`);

  assert.equal((await call('DELETE', `/cart/${alice.id}`, alice.headers)).statusCode, 204);
  assert.deepEqual((await call('GET', `/cart/${alice.id}`, alice.headers)).json().items, []);
});

test('a customer cannot read or change another customer cart; anonymous is 401; admin and services may', async () => {
  const [alice, bob] = [await customer('alice'), await customer('bob')];
  const apple = products.add(10);
  await call('POST', '/cart', alice.headers, { userId: alice.id, productId: apple, quantity: 1 });
  const before = await cart.mongo.db.collection('carts').findOne({ userId: alice.id });

  const attempts = [
    call('GET', `/cart/${alice.id}`, bob.headers),
    call('POST', '/cart', bob.headers, { userId: alice.id, productId: apple, quantity: 1 }),
    call('PUT', `/cart/${alice.id}/items/${apple}`, bob.headers, { quantity: 3 }),
    call('DELETE', `/cart/${alice.id}/items/${apple}`, bob.headers),
    call('DELETE', `/cart/${alice.id}`, bob.headers),
  ];
  for (const response of await Promise.all(attempts)) assert.equal(response.statusCode, 403, response.body);
  for (const response of await Promise.all([
    call('GET', `/cart/${alice.id}`, {}),
    call('POST', '/cart', {}, { userId: alice.id, productId: apple, quantity: 1 }),
  ])) {
    assert.equal(response.statusCode, 401);
  }
  assert.equal((await call('GET', `/cart/${alice.id}`, { authorization: 'Bearer forged.token.here' })).statusCode, 401);
  assert.deepEqual(await cart.mongo.db.collection('carts').findOne({ userId: alice.id }), before);

  const asAdmin = await call('GET', `/cart/${alice.id}`, bearer(cart, { sub: newId(), role: 'admin' }));
  assert.deepEqual(asAdmin.json().items, [{ productId: apple, quantity: 1 }]);
  const asOrderService = await call('GET', `/cart/${alice.id}`, bearer(cart, { sub: 'order-service', role: 'service' }));
  assert.equal(asOrderService.statusCode, 200);
});

test('a deleted user loses the cart and cannot get one back', async () => {
  const carol = await customer('carol');
  const apple = products.add(10);
  assert.equal((await users.http.inject({ method: 'DELETE', url: `/users/${carol.id}`, headers: carol.headers })).statusCode, 204);
  const admin = bearer(cart, { sub: newId(), role: 'admin' });
  await eventually('the cart to go', async () => ((await call('GET', `/cart/${carol.id}`, admin)).statusCode === 404 ? true : undefined));
  const add = await call('POST', '/cart', admin, { userId: carol.id, productId: apple, quantity: 1 });
  assert.equal(add.statusCode, 404);
  assert.equal((await call('PUT', `/cart/${carol.id}/items/${apple}`, admin, { quantity: 1 })).statusCode, 404);
  assert.equal(await cart.mongo.db.collection('carts').countDocuments({ userId: carol.id, deletedAt: { $exists: false } }), 0);
});

test('a user that user-service does not know gets no cart', async () => {
  const admin = bearer(cart, { sub: newId(), role: 'admin' });
  const ghost = newId();
  const add = await call('POST', '/cart', admin, { userId: ghost, productId: products.add(1), quantity: 1 });
  assert.equal(add.statusCode, 404);
  assert.equal(add.json().field, 'body.userId');
  const set = await call('PUT', `/cart/${ghost}/items/${products.add(1)}`, admin, { quantity: 1 });
  assert.equal(set.statusCode, 404);
  assert.equal(set.json().field, 'params.userId');
  assert.equal(await cart.mongo.db.collection('carts').countDocuments({ userId: ghost }), 0);
});

test('concurrent adds to one cart are all counted (each add is one atomic conditional update; no lock anywhere)', async () => {
  const carol = await customer('carol');
  const plum = products.add(1000);
  const adds = await Promise.all(Array.from({ length: 30 }, () => call('POST', '/cart', carol.headers, { userId: carol.id, productId: plum, quantity: 1 })));
  assert.deepEqual(
    adds.map((r) => r.statusCode),
    adds.map(() => 200),
  );
  const read = await call('GET', `/cart/${carol.id}`, carol.headers);
  assert.deepEqual(read.json().items, [{ productId: plum, quantity: 30 }]);
});
