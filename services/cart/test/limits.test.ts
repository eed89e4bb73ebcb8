import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '@shop/platform/log';
import { connectMongo } from '@shop/platform/mongo/connect';
import { testEnv } from '@shop/testing/env';
import { createCartStore } from '../src/store/carts.ts';
import { newId } from './support.ts';

// The limits are checked in the same atomic write as the add, so concurrent adds (other
// requests, other replicas) cannot pass them together. Here 20 adds of different products race
// for a cart with room for 3 lines, from two connections as two replicas would.
test('the line limit holds under concurrent adds of new products, from two replicas', async (t) => {
  const env = testEnv();
  const connect = () =>
    connectMongo({ uri: env.MONGO_URI as string, dbName: env.MONGO_DB as string, logger: createLogger({ service: 'test', level: 'silent' }) });
  const replicas = [await connect(), await connect()];
  t.after(async () => {
    await replicas[0]?.db.dropDatabase();
    for (const replica of replicas) await replica.close();
  });
  const stores = replicas.map((replica) => createCartStore(replica.db));
  const userId = newId();
  await stores[0]?.open(userId);
  const limits = { max: 10_000, maxLines: 3 };
  const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]?.add(userId, newId(), 1, limits)));
  const accepted = outcomes.filter((outcome) => typeof outcome === 'object' && outcome !== null);
  assert.equal(accepted.length, 3);
  assert.equal(outcomes.filter((outcome) => outcome === 'lines').length, 17);
  assert.equal((await stores[1]?.find(userId))?.items.length, 3);

  // A line already held still grows up to its unit limit; a fourth product via setQuantity is refused too.
  const held = (await stores[0]?.find(userId))?.items[0]?.productId as string;
  assert.equal(typeof (await stores[0]?.add(userId, held, 2, limits)), 'object');
  assert.equal(await stores[0]?.add(userId, held, 10_000, limits), 'units');
  assert.equal(await stores[1]?.setQuantity(userId, newId(), 1, limits), 'lines');
  assert.equal(await stores[1]?.add(newId(), newId(), 1, limits), null, 'no cart');
});
