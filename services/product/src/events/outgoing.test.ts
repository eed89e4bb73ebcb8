import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outboxEntries } from './outgoing.ts';

const productId = '65f0c0ffee0000000000abcd';

test('product domain events become product-events keyed by the product', () => {
  const [created, deleted] = outboxEntries([
    { kind: 'productCreated', productId, stock: 7 },
    { kind: 'productDeleted', productId },
  ]);
  assert.equal(created?.topic, 'product-events');
  assert.equal(created?.key, productId);
  assert.equal(created?.event.type, 'product.created');
  assert.deepEqual(created?.event.data, { productId, stock: 7 });
  assert.equal(deleted?.event.type, 'product.deleted');
  assert.deepEqual(deleted?.event.data, { productId });
});
