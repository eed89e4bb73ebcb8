import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId, startInventoryService, stockDoc, stockedProduct } from './support.ts';

test('bad input gets a 4xx problem+json naming the field, and nothing is written', async (t) => {
  const inventory = await startInventoryService(t);
  const { http, mongo } = inventory.service;
  const productId = await stockedProduct(inventory, 5);
  const id = (await http.inject({ method: 'GET', url: `/inventory/${productId}` })).json().id;
  const orderId = newId();
  const fresh = newId();
  const reserveWith = (items: unknown, extra: object = {}) => JSON.stringify({ orderId, items, ...extra });
  const cases: { name: string; method: 'POST' | 'PATCH'; url: string; payload: string; status: number; mentions?: RegExp }[] = [
    {
      name: 'zero quantity',
      method: 'POST',
      url: '/inventory/reserve',
      payload: reserveWith([{ productId, quantity: 0 }]),
      status: 400,
      mentions: /items\.0\.quantity/,
    },
    {
      name: 'negative quantity',
      method: 'POST',
      url: '/inventory/reserve',
      payload: reserveWith([{ productId, quantity: -1 }]),
      status: 400,
      mentions: /quantity/,
    },
    {
      name: 'fractional quantity',
      method: 'POST',
      url: '/inventory/reserve',
      payload: reserveWith([{ productId, quantity: 1.5 }]),
      status: 400,
      mentions: /quantity/,
    },
    {
      name: 'quantity as a string',
      method: 'POST',
      url: '/inventory/reserve',
      payload: reserveWith([{ productId, quantity: '1' }]),
      status: 400,
      mentions: /quantity/,
    },
    { name: 'no items', method: 'POST', url: '/inventory/reserve', payload: reserveWith([]), status: 400, mentions: /body\.items/ },
    {
      name: 'operator injection',
      method: 'POST',
      url: '/inventory/reserve',
      payload: reserveWith([{ productId: { $ne: null }, quantity: 1 }]),
      status: 400,
      mentions: /productId/,
    },
    {
      name: 'not an id',
      method: 'POST',
      url: '/inventory/reserve',
      payload: reserveWith([{ productId: 'abc', quantity: 1 }]),
      status: 400,
      mentions: /productId/,
    },
    {
      name: 'extra field',
      method: 'POST',
      url: '/inventory/reserve',
      payload: reserveWith([{ productId, quantity: 1 }], { userId: 'x' }),
      status: 400,
      mentions: /body\.userId/,
    },
    {
      name: 'extra item field',
      method: 'POST',
      url: '/inventory/reserve',
      payload: reserveWith([{ productId, quantity: 1, price: 1 }]),
      status: 400,
      mentions: /price/,
    },
    { name: 'malformed JSON', method: 'POST', url: '/inventory/reserve', payload: '{"orderId": ', status: 400, mentions: /JSON/ },
    {
      name: 'negative stock',
      method: 'POST',
      url: '/inventory',
      payload: JSON.stringify({ productId: fresh, quantity: -1 }),
      status: 400,
      mentions: /body\.quantity/,
    },
    {
      name: 'a product the catalog does not know',
      method: 'POST',
      url: '/inventory',
      payload: JSON.stringify({ productId: fresh, quantity: 1 }),
      status: 404,
      mentions: /Product not found/,
    },
    { name: 'fractional delta', method: 'PATCH', url: `/inventory/${id}`, payload: JSON.stringify({ delta: 0.5 }), status: 400, mentions: /body\.delta/ },
    { name: 'zero delta', method: 'PATCH', url: `/inventory/${id}`, payload: JSON.stringify({ delta: 0 }), status: 400, mentions: /body\.delta/ },
    {
      name: 'both onHand and delta',
      method: 'PATCH',
      url: `/inventory/${id}`,
      payload: JSON.stringify({ delta: 1, onHand: 3 }),
      status: 400,
      mentions: /body/,
    },
    {
      name: 'reserved is not settable',
      method: 'PATCH',
      url: `/inventory/${id}`,
      payload: JSON.stringify({ reserved: 0 }),
      status: 400,
      mentions: /body\.reserved/,
    },
    { name: 'unknown record', method: 'PATCH', url: `/inventory/${newId()}`, payload: JSON.stringify({ delta: 1 }), status: 404 },
  ];
  for (const c of cases) {
    const response = await http.inject({
      method: c.method,
      url: c.url,
      headers: { ...inventory.headers.admin, 'content-type': 'application/json' },
      payload: c.payload,
    });
    assert.equal(response.statusCode, c.status, `${c.name}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, c.name);
    const problem = response.json();
    assert.ok(problem.title && problem.type && problem.code, c.name);
    if (c.mentions) assert.match(problem.detail, c.mentions, c.name);
  }
  assert.equal((await http.inject({ method: 'GET', url: '/inventory/not-an-id' })).statusCode, 400);
  assert.equal((await http.inject({ method: 'GET', url: `/inventory/${newId()}` })).statusCode, 404);
  assert.deepEqual(await stockDoc(inventory, productId), { onHand: 5, reserved: 0, available: 5, holds: [] });
  assert.equal(await mongo.db.collection('reservations').countDocuments(), 0);
  // (Other records may exist: a new consumer group replays product-events from the start.)
  assert.equal(await mongo.db.collection('stock').countDocuments({ productId: fresh }), 0);
});
