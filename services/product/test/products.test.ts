import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { readTopic } from '@shop/testing/kafka-reader';
import { createProduct, newId, startProductService } from './support.ts';

test('admins create, change and delete products; each creation and deletion is announced once', async (t) => {
  const product = await startProductService(t);
  const { http } = product.service;
  const created = await createProduct(product, { name: 'Blue Shirt', description: 'Cotton', category: 'clothes', price: 19.99, stock: 7 });
  assert.match(created.id, /^[0-9a-f]{24}$/);
  assert.deepEqual([created.price, created.currency, created.category], [19.99, 'USD', 'clothes']);
  const stored = await product.service.mongo.db.collection('products').findOne({ name: 'Blue Shirt' });
  assert.equal(stored?.priceMinor, 1999, 'integer cents inside');

  const changed = await http.inject({
    method: 'PATCH',
    url: `/product/${created.id}`,
    headers: product.headers.admin,
    payload: { price: 0.1, currency: 'EUR' },
  });
  assert.equal(changed.statusCode, 200);
  assert.deepEqual([changed.json().price, changed.json().currency, changed.json().name], [0.1, 'EUR', 'Blue Shirt']);
  const patchedName = await http.inject({ method: 'PATCH', url: `/product/${created.id}`, headers: product.headers.admin, payload: { name: 'Red Shirt' } });
  assert.equal(patchedName.json().currency, 'EUR', 'a PATCH without currency keeps it');

  const read = await http.inject({ method: 'GET', url: `/product/${created.id}` });
  assert.equal(read.statusCode, 200);
  assert.equal(read.json().name, 'Red Shirt');

  const deleted = await http.inject({ method: 'DELETE', url: `/product/${created.id}`, headers: product.headers.admin });
  assert.equal(deleted.statusCode, 204);
  assert.equal((await http.inject({ method: 'GET', url: `/product/${created.id}` })).statusCode, 404);
  assert.equal((await http.inject({ method: 'DELETE', url: `/product/${created.id}`, headers: product.headers.admin })).statusCode, 404);

  const events = await readTopic(topics.productEvents, (m) => m.key === created.id, { expected: 2 });
  assert.deepEqual(
    events.map((m) => [m.event.type, m.event.data]),
    [
      ['product.created', { productId: created.id, stock: 7 }],
      ['product.deleted', { productId: created.id }],
    ],
  );
});

test('only admins write: 401 without a token, 403 for a customer; reads are public', async (t) => {
  const product = await startProductService(t);
  const { http } = product.service;
  const payload = { name: 'Mug', category: 'kitchen', price: 5 };
  assert.equal((await http.inject({ method: 'POST', url: '/product', payload })).statusCode, 401);
  assert.equal((await http.inject({ method: 'POST', url: '/product', headers: product.headers.customer, payload })).statusCode, 403);
  const mug = await createProduct(product, payload);
  for (const [method, extra] of [
    ['PATCH', { payload: { price: 1 } }],
    ['DELETE', {}],
  ] as const) {
    assert.equal((await http.inject({ method, url: `/product/${mug.id}`, headers: product.headers.customer, ...extra })).statusCode, 403);
    assert.equal((await http.inject({ method, url: `/product/${mug.id}`, ...extra })).statusCode, 401);
  }
  assert.equal((await http.inject({ method: 'GET', url: '/product' })).statusCode, 200);
  assert.equal(await product.service.mongo.db.collection('products').countDocuments(), 1);
});

test('lists filter by category and text and page through every product once by cursor', async (t) => {
  const product = await startProductService(t);
  const { http } = product.service;
  for (let i = 0; i < 5; i++) await createProduct(product, { name: `Lamp ${i}`, category: 'lights', price: 10 + i });
  await createProduct(product, { name: 'Desk', description: 'Goes well with a lamp', category: 'furniture', price: 99.5 });
  await createProduct(product, { name: 'Chair', category: 'furniture', price: 45 });

  const seen: string[] = [];
  let url = '/product?limit=3';
  for (let page = 0; page < 5; page++) {
    const body = (await http.inject({ method: 'GET', url })).json();
    seen.push(...body.items.map((p: { id: string }) => p.id));
    if (!body.nextCursor) break;
    url = `/product?limit=3&cursor=${body.nextCursor}`;
  }
  assert.equal(seen.length, 7);
  assert.equal(new Set(seen).size, 7);

  const lights = (await http.inject({ method: 'GET', url: '/product?category=lights&limit=2' })).json();
  assert.equal(lights.items.length, 2);
  assert.ok(lights.nextCursor);
  const lamps = (await http.inject({ method: 'GET', url: '/product?q=LAMP' })).json();
  assert.equal(lamps.items.length, 6, 'name or description, any case');
  const furnitureLamps = (await http.inject({ method: 'GET', url: '/product?q=lamp&category=furniture' })).json();
  assert.deepEqual(
    furnitureLamps.items.map((p: { name: string }) => p.name),
    ['Desk'],
  );
  assert.equal(furnitureLamps.nextCursor, null);
  const regexLike = (await http.inject({ method: 'GET', url: `/product?q=${encodeURIComponent('.*')}` })).json();
  assert.equal(regexLike.items.length, 0, 'q is literal text, not a pattern');
  assert.equal((await http.inject({ method: 'GET', url: `/product/${newId()}` })).statusCode, 404);
});
