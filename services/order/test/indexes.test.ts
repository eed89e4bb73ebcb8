import { test } from 'node:test';
import { explainingDatabase } from '@shop/testing/explain';
import { ObjectId } from 'mongodb';
import { createOrderStore, orderIndexes, ordersCollection } from '../src/store/orders.ts';

test("the order store's queries use their indexes (explain of the commands the store really sends)", async (t) => {
  const queries = await explainingDatabase(t, orderIndexes);
  const store = createOrderStore(queries.db);
  const now = Date.now();
  const users = Array.from({ length: 10 }, () => new ObjectId().toHexString());
  await ordersCollection(queries.db).insertMany(
    Array.from({ length: 300 }, (_, i) => {
      const _id = new ObjectId();
      return {
        _id,
        userId: users[i % users.length],
        idempotencyKey: `auto:${_id.toHexString()}`,
        items: [],
        totalMinor: 100,
        currency: 'USD',
        address: { line1: 'x', city: 'y', postalCode: '1', country: 'US' },
        paymentMethod: 'card',
        status: i % 10 === 0 ? ('pending' as const) : ('confirmed' as const),
        step: 'charged' as const,
        facts: {},
        version: 1,
        createdAt: new Date(now - i * 60_000),
        updatedAt: new Date(now - i * 60_000),
      };
    }),
  );
  const sorted = { sorted: true };

  t.diagnostic(`orders of a user: ${await queries.assertUses('userId_id', 'find', 'orders', () => store.listByUser(users[3], 20), sorted)}`);
  const page = await store.listByUser(users[3], 5);
  t.diagnostic(`next page: ${await queries.assertUses('userId_id', 'find', 'orders', () => store.listByUser(users[3], 20, page[4].id), sorted)}`);
  const stale = () => store.findStale(new Date(now - 30_000), new Date(now - 3_600_000), 50);
  t.diagnostic(`stale orders (sweeper): ${await queries.assertUses('status_updatedAt', 'find', 'orders', stale, sorted)}`);
});
