import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testDatabase } from '@shop/testing/database';
import { ObjectId } from 'mongodb';
import { parseMark } from '../src/domain/cart-mark.ts';
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
  await store.applyOrder(userId, orderId, order, null);
  assert.deepEqual(await stored(), { [apple]: 1 });
  await store.applyOrder(userId, orderId, order, null);
  assert.deepEqual(await stored(), { [apple]: 1 }, 'applied once');

  // As a crash right after the first write leaves it: units taken out, the emptied line still there.
  const crashed = id();
  await cartsCollection(db).updateOne({ userId }, { $inc: { [`items.${apple}`]: -1 }, $push: { appliedOrders: crashed } });
  assert.deepEqual((await store.find(userId))?.items, [], 'a line at zero is not in the cart');
  await store.add(userId, pear, 3, { max: 99, maxLines: 10 });
  await store.applyOrder(userId, crashed, new Map([[apple, 1]]), null);
  assert.deepEqual(await stored(), { [pear]: 3 });
});

test('on the real store, a late order takes out only the units it saw: a line reset or a cart emptied since keeps what was put back', async (t) => {
  const db = await testDatabase(t, cartIndexes);
  const store = createCartStore(db);
  const limits = { max: 99, maxLines: 10 };
  const [userId, apple, pear, plum] = [id(), id(), id(), id()];
  const stored = async () => (await cartsCollection(db).findOne({ userId }))?.items;
  await store.open(userId);
  await store.add(userId, apple, 2, limits);
  await store.add(userId, pear, 1, limits);

  // A cart written before marks existed has no counters: the mark reads them as zero, and an order applies as usual.
  const first = await store.find(userId);
  assert.equal(first?.mark, '0');
  await store.applyOrder(userId, id(), new Map([[apple, 1]]), parseMark(first?.mark));
  assert.deepEqual(await stored(), { [apple]: 1, [pear]: 1 });

  // Ordered: one apple, one pear. Then the pear line is removed and a pear put back, and a plum added.
  const placed = await store.find(userId);
  await store.removeItem(userId, pear);
  await store.add(userId, pear, 1, limits);
  await store.add(userId, plum, 1, limits);
  const orderId = id();
  const order = new Map([
    [apple, 1],
    [pear, 1],
  ]);
  await store.applyOrder(userId, orderId, order, parseMark(placed?.mark));
  assert.deepEqual(await stored(), { [pear]: 1, [plum]: 1 }, 'the apple the order saw went; the pear put back stayed');
  await store.applyOrder(userId, orderId, order, parseMark(placed?.mark));
  assert.deepEqual(await stored(), { [pear]: 1, [plum]: 1 }, 'a redelivery changes nothing');

  // Ordered: the plum. The cart is emptied and a plum put back before the confirmation.
  const beforeEmpty = await store.find(userId);
  assert.equal(await store.empty(userId), true);
  await store.add(userId, plum, 1, limits);
  await store.applyOrder(userId, id(), new Map([[plum, 1]]), parseMark(beforeEmpty?.mark));
  assert.deepEqual(await stored(), { [plum]: 1 });

  // A line replaced after ordering keeps the quantity set.
  const beforeSet = await store.find(userId);
  await store.setQuantity(userId, plum, 4, limits);
  await store.applyOrder(userId, id(), new Map([[plum, 1]]), parseMark(beforeSet?.mark));
  assert.deepEqual(await stored(), { [plum]: 4 });
});
