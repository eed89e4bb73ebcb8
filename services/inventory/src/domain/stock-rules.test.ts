import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppError } from '@shop/platform/errors';
import { inMemoryInventory } from './in-memory.ts';
import { createReserve } from './reserve.ts';
import { createStockRules } from './stock-rules.ts';

const id = (n: number) => n.toString(16).padStart(24, '0');
const product = id(1);

function setup() {
  const inventory = inMemoryInventory();
  return { ...inventory, rules: createStockRules(inventory.deps), reserve: createReserve(inventory.deps) };
}

test('product.created makes the record once; a redelivery never resets its stock', async () => {
  const { rules } = setup();
  assert.equal(await rules.productCreated(product, 7), true);
  const record = await rules.level(product);
  await rules.change(record.id, { delta: -2 });
  assert.equal(await rules.productCreated(product, 7), false);
  assert.equal((await rules.level(product)).onHand, 5);
  await assert.rejects(rules.create(product, 1), (e: AppError) => e.status === 409);
});

test('changes never make available negative: 409 instead, nothing written', async () => {
  const { rules, reserve } = setup();
  const record = await rules.create(product, 5);
  await reserve({ orderId: id(10), items: [{ productId: product, quantity: 3 }] });
  await assert.rejects(rules.change(record.id, { delta: -3 }), (e: AppError) => e.status === 409);
  await assert.rejects(rules.change(record.id, { onHand: 2 }), (e: AppError) => e.status === 409);
  await assert.rejects(rules.change(record.id, { delta: 0 }), (e: AppError) => e.status === 400);
  assert.deepEqual((await rules.change(record.id, { delta: -2 })).available, 0);
  const set = await rules.change(record.id, { onHand: 10 });
  assert.deepEqual([set.onHand, set.reserved, set.available], [10, 3, 7]);
});

test('a record with held units cannot be deleted; unknown ids are 404', async () => {
  const { rules, reserve } = setup();
  const record = await rules.create(product, 5);
  await reserve({ orderId: id(11), items: [{ productId: product, quantity: 1 }] });
  await assert.rejects(rules.remove(record.id), (e: AppError) => e.status === 409);
  await assert.rejects(rules.remove(id(99)), (e: AppError) => e.status === 404);
  await assert.rejects(rules.change(id(99), { delta: 1 }), (e: AppError) => e.status === 404);
  await assert.rejects(rules.level(id(99)), (e: AppError) => e.status === 404);
});
