import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProduct, newId, startProductService } from './support.ts';

test('bad input gets a 4xx problem+json naming the field, and nothing is written', async (t) => {
  const product = await startProductService(t);
  const { http, mongo } = product.service;
  const existing = await createProduct(product, { name: 'Lamp', category: 'lights', price: 10 });
  const good = { name: 'Desk', category: 'furniture', price: 99.5 };
  const cases: { name: string; method: 'POST' | 'PATCH'; url?: string; payload: string; status: number; mentions?: RegExp }[] = [
    { name: 'three decimals', method: 'POST', payload: JSON.stringify({ ...good, price: 19.999 }), status: 400, mentions: /body\.price/ },
    { name: 'negative price', method: 'POST', payload: JSON.stringify({ ...good, price: -1 }), status: 400, mentions: /body\.price/ },
    { name: 'price as a string', method: 'POST', payload: JSON.stringify({ ...good, price: '10' }), status: 400, mentions: /body\.price/ },
    { name: 'negative stock', method: 'POST', payload: JSON.stringify({ ...good, stock: -1 }), status: 400, mentions: /body\.stock/ },
    { name: 'fractional stock', method: 'POST', payload: JSON.stringify({ ...good, stock: 1.5 }), status: 400, mentions: /body\.stock/ },
    { name: 'missing category', method: 'POST', payload: JSON.stringify({ name: 'x', price: 1 }), status: 400, mentions: /body\.category/ },
    { name: 'extra field', method: 'POST', payload: JSON.stringify({ ...good, id: newId() }), status: 400, mentions: /body\.id/ },
    { name: 'operator injection', method: 'POST', payload: JSON.stringify({ ...good, category: { $ne: null } }), status: 400, mentions: /body\.category/ },
    { name: 'bad currency', method: 'POST', payload: JSON.stringify({ ...good, currency: 'usd' }), status: 400, mentions: /body\.currency/ },
    { name: 'blank name', method: 'POST', payload: JSON.stringify({ ...good, name: '   ' }), status: 400, mentions: /body\.name/ },
    { name: 'malformed JSON', method: 'POST', payload: '{"name": ', status: 400, mentions: /JSON/ },
    { name: 'empty patch', method: 'PATCH', url: `/product/${existing.id}`, payload: '{}', status: 400, mentions: /body/ },
    {
      name: 'stock is not patched here',
      method: 'PATCH',
      url: `/product/${existing.id}`,
      payload: JSON.stringify({ stock: 5 }),
      status: 400,
      mentions: /body\.stock/,
    },
    {
      name: 'patch three decimals',
      method: 'PATCH',
      url: `/product/${existing.id}`,
      payload: JSON.stringify({ price: 0.001 }),
      status: 400,
      mentions: /body\.price/,
    },
    { name: 'unknown product', method: 'PATCH', url: `/product/${newId()}`, payload: JSON.stringify({ price: 1 }), status: 404 },
  ];
  for (const c of cases) {
    const response = await http.inject({
      method: c.method,
      url: c.url ?? '/product',
      headers: { ...product.headers.admin, 'content-type': 'application/json' },
      payload: c.payload,
    });
    assert.equal(response.statusCode, c.status, `${c.name}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, c.name);
    const problem = response.json();
    assert.ok(problem.title && problem.type && problem.code, c.name);
    if (c.mentions) assert.match(problem.detail, c.mentions, c.name);
  }
  for (const url of ['/product/not-an-id', '/product?limit=0', '/product?limit=201', '/product?cursor=nope', '/product?category[$ne]=x']) {
    const response = await http.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
  }
  const products = await mongo.db.collection('products').find().toArray();
  assert.equal(products.length, 1);
  assert.deepEqual([products[0]?.name, products[0]?.priceMinor], ['Lamp', 1000]);
});

test('every price with at most two decimals up to the maximum is accepted, exactly', async (t) => {
  const product = await startProductService(t);
  // 1234567.89 was refused as "not a multiple of 0.01" (binary floating point), 99999999.99 too.
  for (const price of [1234567.89, 99999999.99, 100_000_000, 0.07]) {
    const created = await product.service.http.inject({
      method: 'POST',
      url: '/product',
      headers: product.headers.admin,
      payload: { name: 'Boat', category: 'boats', price },
    });
    assert.equal(created.statusCode, 201, `${price}: ${created.body}`);
    assert.equal(created.json().price, price);
  }
  const tooMuch = await product.service.http.inject({
    method: 'POST',
    url: '/product',
    headers: product.headers.admin,
    payload: { name: 'Boat', category: 'boats', price: 100_000_000.01 },
  });
  assert.equal(tooMuch.statusCode, 400);
});
