import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testDatabase } from '@shop/testing/database';
import { ObjectId } from 'mongodb';
import { cartIndexes, cartsCollection, createCartStore } from '../src/store/carts.ts';

const id = () => new ObjectId().toHexString();

test('on the real store, an order takes its units out once; a redelivery after a crash between the two writes drops the used-up line; units added meanwhile stay', async (t) => {
  const db = await testDatabase(t, cartIndexes);
  const store = createCartStore(db);
  const [userId, apple, pear, orderId] = [id(), id(), id(), id()];
  await store.open(userId);
  await store.add(userId, apple, 2, { max: 99, maxLines: 10 });
  await store.add(userId, pear, 1, { max: 99, maxLines: 10 });

  const order = new Map([
    [apple, 1],
    [pear, 1],
  ]);
  const stored = async () => (await cartsCollection(db).findOne({ userId }))?.items;
  await store.applyOrder(userId, orderId, order);
  assert.deepEqual(await stored(), { [apple]: 1 });
  await store.applyOrder(userId, orderId, order);
  assert.deepEqual(await stored(), { [apple]: 1 }, 'applied once');

  // As a crash right after the first write leaves it: units taken out, the emptied line still there.
  const crashed = id();
  await cartsCollection(db).updateOne({ userId }, { $inc: { [`items.${apple}`]: -1 }, $push: { appliedOrders: crashed } });
  assert.deepEqual((await store.find(userId))?.items, [], 'a line at zero is not in the cart');
  await store.add(userId, pear, 3, { max: 99, maxLines: 10 });
  await store.applyOrder(userId, crashed, new Map([[apple, 1]]));
  assert.deepEqual(await stored(), { [pear]: 3 });
});
