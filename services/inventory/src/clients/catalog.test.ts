import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAnswering, contractMismatch } from '@shop/testing/answering';
import { createCatalog } from './catalog.ts';

const productId = '65f0c0ffee0000000000abcd';

test('a product exists when product-service has it, and not on 404', async (t) => {
  assert.equal(await createCatalog(await clientAnswering(t, 'product-service', 200, { id: productId, inventory: null })).productExists(productId), true);
  assert.equal(await createCatalog(await clientAnswering(t, 'product-service', 404, {})).productExists(productId), false);
});

test('product-service answering a product without its id fails loudly', async (t) => {
  const catalog = createCatalog(await clientAnswering(t, 'product-service', 200, { productId, inventory: null }));
  await assert.rejects(catalog.productExists(productId), contractMismatch('id'));
});
