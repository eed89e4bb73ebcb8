import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceClient } from '@shop/platform/http/client';
import { clientAnswering, contractMismatch } from '@shop/testing/answering';
import { createCatalog } from './catalog.ts';

const productId = '65f0c0ffee0000000000abcd';
const notFound = { status: 404, code: 'NOT_FOUND', title: 'Not found' };
const logger = { warn() {} };
/** A client that fails the test when used: the service it stands for must not be asked. */
const neverAsked = (name: string) => ({ get: () => assert.fail(`${name} was asked`) }) as unknown as ServiceClient;

test('the stock inventory-service reports is the answer; product-service is not asked', async (t) => {
  const catalog = createCatalog({
    logger,
    inventory: await clientAnswering(t, 'inventory-service', 200, { id: productId, productId, onHand: 5, reserved: 2, available: 3 }),
    products: neverAsked('product-service'),
  });
  assert.deepEqual(await catalog.availability(productId), { found: true, available: 3 });
});

test('a discontinued stock record is a deleted product', async (t) => {
  const catalog = createCatalog({
    logger,
    inventory: await clientAnswering(t, 'inventory-service', 200, { id: productId, productId, onHand: 5, reserved: 0, available: 5, discontinued: true }),
    products: neverAsked('product-service'),
  });
  assert.deepEqual(await catalog.availability(productId), { found: false });
});

test('no stock record: product-service says whether the product exists', async (t) => {
  const inventory = await clientAnswering(t, 'inventory-service', 404, notFound);
  const known = createCatalog({ logger, inventory, products: await clientAnswering(t, 'product-service', 200, { id: productId, name: 'x', inventory: null }) });
  assert.deepEqual(await known.availability(productId), { found: true, available: null });
  const unknown = createCatalog({ logger, inventory, products: await clientAnswering(t, 'product-service', 404, notFound) });
  assert.deepEqual(await unknown.availability(productId), { found: false });
});

test('inventory-service not answering: product-service answers, with the stock it could read', async (t) => {
  const catalog = createCatalog({
    logger,
    inventory: await clientAnswering(t, 'inventory-service', 503, { status: 503, code: 'UNAVAILABLE', title: 'Unavailable' }),
    products: await clientAnswering(t, 'product-service', 200, { id: productId, inventory: { available: 4 } }),
  });
  assert.deepEqual(await catalog.availability(productId), { found: true, available: 4 });
});

test('inventory-service answering another shape: a warning, and product-service answers', async (t) => {
  const warnings: unknown[] = [];
  const catalog = createCatalog({
    logger: { warn: (details: unknown) => warnings.push(details) },
    inventory: await clientAnswering(t, 'inventory-service', 200, { productId, available: 'many' }),
    products: await clientAnswering(t, 'product-service', 200, { id: productId, inventory: null }),
  });
  assert.deepEqual(await catalog.availability(productId), { found: true, available: null });
  assert.equal(warnings.length, 1);
});

test('product-service answering stock in another shape fails loudly', async (t) => {
  const catalog = createCatalog({
    logger,
    inventory: await clientAnswering(t, 'inventory-service', 404, notFound),
    products: await clientAnswering(t, 'product-service', 200, { id: productId, inventory: { available: '3' } }),
  });
  await assert.rejects(catalog.availability(productId), contractMismatch('available'));
});
