import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reserve, startInventoryService, stockDoc, stockedProduct } from './support.ts';

test('100 concurrent one-unit reservations against 10 in stock: exactly 10 succeed and nothing oversells', async (t) => {
  const inventory = await startInventoryService(t);
  const productId = await stockedProduct(inventory, 10);

  // Watch the stock while the burst runs: available must never go below 0 and the counters must always add up.
  const seen: { onHand: number; reserved: number; available: number }[] = [];
  let bursting = true;
  const watcher = (async () => {
    while (bursting) {
      const doc = await stockDoc(inventory, productId);
      if (doc) seen.push(doc);
    }
  })();
  const responses = await Promise.all(Array.from({ length: 100 }, () => reserve(inventory, [{ productId, quantity: 1 }])));
  bursting = false;
  await watcher;

  const statuses = responses.map((r) => r.statusCode);
  assert.equal(statuses.filter((s) => s === 201).length, 10, `statuses: ${statuses.join(',')}`);
  assert.equal(statuses.filter((s) => s === 409).length, 90);
  const refused = responses.find((r) => r.statusCode === 409)?.json();
  assert.equal(refused.code, 'INSUFFICIENT_STOCK');
  assert.deepEqual(refused.items, [{ productId, requested: 1, available: 0 }]);

  assert.ok(seen.length > 0);
  for (const level of seen) {
    assert.ok(level.available >= 0, `available went to ${level.available}`);
    assert.equal(level.available, level.onHand - level.reserved);
  }
  const final = await stockDoc(inventory, productId);
  assert.deepEqual({ ...final, holds: final?.holds.length }, { onHand: 10, reserved: 10, available: 0, holds: 10 });
  const reservations = inventory.service.mongo.db.collection('reservations');
  assert.equal(await reservations.countDocuments({ status: 'PENDING' }), 10);
  assert.equal(await reservations.countDocuments({ status: 'FAILED' }), 90);
});
