import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Platform } from '@shop/platform/service';
import { createCartStore } from '../src/store/carts.ts';
import { bearer, fileScope, newId, startCartService } from './support.ts';

const hooks = fileScope(after);
let cart: Platform;
before(async () => {
  // Nothing here may reach user- or product-service: bad input is refused before any call.
  cart = await startCartService(hooks, {
    USER_SERVICE_URL: 'http://127.0.0.1:9',
    PRODUCT_SERVICE_URL: 'http://127.0.0.1:9',
    INVENTORY_SERVICE_URL: 'http://127.0.0.1:9',
  });
});

test('bad input gets a 4xx problem+json naming the field, and nothing is written', async () => {
  const userId = newId();
  const productId = newId();
  await createCartStore(cart.mongo.db).open(userId);
  // Only this user's cart: the consumer may be creating carts for other users' user-created meanwhile.
  const snapshot = async () => cart.mongo.db.collection('carts').find({ userId }).toArray();
  const before = await snapshot();
  const headers = { ...bearer(cart, { sub: userId, role: 'customer' }), 'content-type': 'application/json' };
  const body = (fields: object) => JSON.stringify({ userId, productId, quantity: 1, ...fields });
  const cases: { name: string; method?: 'POST' | 'PUT'; url?: string; payload: string; status: number; mentions?: RegExp }[] = [
    { name: 'malformed JSON', payload: '{"userId": "', status: 400, mentions: /JSON/ },
    { name: 'quantity as text', payload: body({ quantity: '2' }), status: 400, mentions: /body\.quantity/ },
    { name: 'zero quantity', payload: body({ quantity: 0 }), status: 400, mentions: /body\.quantity/ },
    { name: 'negative quantity', payload: body({ quantity: -3 }), status: 400, mentions: /body\.quantity/ },
    { name: 'fractional quantity', payload: body({ quantity: 1.5 }), status: 400, mentions: /body\.quantity/ },
    { name: 'huge quantity', payload: body({ quantity: 10_001 }), status: 400, mentions: /body\.quantity/ },
    { name: 'missing product', payload: JSON.stringify({ userId, quantity: 1 }), status: 400, mentions: /body\.productId/ },
    { name: 'product id not hex', payload: body({ productId: 'apple' }), status: 400, mentions: /body\.productId/ },
    { name: 'extra field', payload: body({ price: 0.01 }), status: 400, mentions: /body\.price/ },
    { name: 'operator injection', payload: body({ userId: { $ne: null } }), status: 400, mentions: /body\.userId/ },
    { name: 'operator in product', payload: body({ productId: { $gt: '' } }), status: 400, mentions: /body\.productId/ },
    { name: 'set: zero', method: 'PUT', url: `/cart/${userId}/items/${productId}`, payload: '{"quantity":0}', status: 400, mentions: /body\.quantity/ },
    {
      name: 'set: extra field',
      method: 'PUT',
      url: `/cart/${userId}/items/${productId}`,
      payload: '{"quantity":1,"$set":{"x":1}}',
      status: 400,
      mentions: /body\.\$set/,
    },
    { name: 'set: bad product id', method: 'PUT', url: `/cart/${userId}/items/x.y`, payload: '{"quantity":1}', status: 400, mentions: /params\.productId/ },
    { name: 'oversized body', payload: body({ pad: 'x'.repeat(70_000) }), status: 413 },
  ];
  for (const c of cases) {
    const response = await cart.http.inject({ method: c.method ?? 'POST', url: c.url ?? '/cart', headers, payload: c.payload });
    assert.equal(response.statusCode, c.status, `${c.name}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, c.name);
    const problem = response.json();
    assert.ok(problem.title && problem.type && problem.code && problem.status === c.status, c.name);
    if (c.mentions) assert.match(problem.detail, c.mentions, c.name);
  }
  const get = await cart.http.inject({ method: 'GET', url: '/cart/not-an-id', headers });
  assert.equal(get.statusCode, 400);
  assert.match(get.json().detail, /params\.userId/);
  const wrongMedia = await cart.http.inject({ method: 'POST', url: '/cart', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hi' });
  assert.equal(wrongMedia.statusCode, 415);
  assert.deepEqual(await snapshot(), before);
});

test('user- or product-service down is a 503, not a 500, and nothing is written', async () => {
  const userId = newId();
  const headers = bearer(cart, { sub: userId, role: 'customer' });
  const add = await cart.http.inject({ method: 'POST', url: '/cart', headers, payload: { userId, productId: newId(), quantity: 1 } });
  const set = await cart.http.inject({ method: 'PUT', url: `/cart/${userId}/items/${newId()}`, headers, payload: { quantity: 1 } });
  for (const response of [add, set]) {
    assert.equal(response.statusCode, 503, response.body);
    assert.equal(response.json().code, 'DEPENDENCY_UNAVAILABLE');
  }
  assert.equal(await cart.mongo.db.collection('carts').countDocuments({ userId }), 0);
});
