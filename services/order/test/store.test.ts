import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testDatabase } from '@shop/testing/database';
import { ObjectId } from 'mongodb';
import type { OrderRecord } from '../src/domain/order.ts';
import { createOrderStore, orderIndexes } from '../src/store/orders.ts';

test('on the real store, a version is written once, and a used idempotency key returns the first order', async (t) => {
  const store = createOrderStore(await testDatabase(t, orderIndexes));
  const at = new Date();
  const order: OrderRecord = {
    id: store.newId(),
    userId: new ObjectId().toHexString(),
    items: [],
    totalMinor: 100,
    currency: 'USD',
    address: { line1: 'x', city: 'y', postalCode: '123', country: 'US' },
    paymentMethod: 'card',
    status: 'pending',
    step: 'reserved',
    facts: {},
    idempotencyKey: 'k',
    version: 0,
    createdAt: at,
    updatedAt: at,
  };
  assert.equal((await store.insert(order)).created, true);
  const again = await store.insert({ ...order, id: store.newId() });
  assert.deepEqual([again.created, again.order.id], [false, order.id]);
  const plain = await store.insert({ ...order, id: store.newId(), idempotencyKey: undefined });
  const plain2 = await store.insert({ ...order, id: store.newId(), idempotencyKey: undefined });
  assert.ok(plain.created && plain2.created, 'orders without a key never collide');

  const writes = await Promise.all(
    Array.from({ length: 20 }, (_, i) => store.update(order.id, 0, { facts: { aborted: `writer ${i}` }, updatedAt: new Date() }, [])),
  );
  assert.equal(writes.filter(Boolean).length, 1);
  const stored = await store.findById(order.id);
  assert.equal(stored?.version, 1);
  assert.equal(stored?.facts.aborted, writes.find(Boolean)?.facts.aborted);
});

test('on the real store, a draft is hidden from lists and can be discarded; an announced order cannot', async (t) => {
  const store = createOrderStore(await testDatabase(t, orderIndexes));
  const at = new Date();
  const userId = new ObjectId().toHexString();
  const base = {
    userId,
    items: [],
    totalMinor: 100,
    currency: 'USD',
    address: { line1: 'x', city: 'y', postalCode: '123', country: 'US' },
    paymentMethod: 'card',
    status: 'pending' as const,
    facts: {},
    version: 0,
    createdAt: at,
    updatedAt: at,
  };
  const draft: OrderRecord = { ...base, id: store.newId(), step: 'draft' };
  const announced: OrderRecord = { ...base, id: store.newId(), step: 'reserved', reservationId: new ObjectId().toHexString() };
  await store.insert(draft);
  await store.insert(announced);
  assert.deepEqual(
    (await store.listByUser(userId, 10)).map((o) => o.id),
    [announced.id],
  );
  await store.discardDraft(announced.id);
  await store.discardDraft(draft.id);
  assert.equal(await store.findById(draft.id), null);
  assert.equal((await store.findById(announced.id))?.id, announced.id);
});
