import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAnswering, contractMismatch } from '@shop/testing/answering';
import { createCatalog } from './products.ts';

const productId = '65f0c0ffee0000000000abcd';

test('a product and its stock are read; unknown stock is null', async (t) => {
  const known = createCatalog(await clientAnswering(t, 'product-service', 200, { id: productId, name: 'x', inventory: null }));
  assert.deepEqual(await known.availability(productId), { found: true, available: null });
});

test('product-service answering stock in another shape fails loudly', async (t) => {
  const catalog = createCatalog(await clientAnswering(t, 'product-service', 200, { id: productId, inventory: { available: '3' } }));
  await assert.rejects(catalog.availability(productId), contractMismatch('available'));
});
