import { test } from 'node:test';
import { explainingDatabase } from '@shop/testing/explain';
import { ObjectId } from 'mongodb';
import { createProductStore, productIndexes, productsCollection } from '../src/store/products.ts';

test("the product list's queries use their indexes (explain of the commands the store really sends)", async (t) => {
  const queries = await explainingDatabase(t, productIndexes);
  const store = createProductStore(queries.db);
  const categories = ['books', 'games', 'tools', 'toys', 'food'];
  await productsCollection(queries.db).insertMany(
    Array.from({ length: 300 }, (_, i) => ({
      _id: new ObjectId(),
      name: `Product ${i}`,
      description: i % 7 === 0 ? 'a red one' : 'a blue one',
      category: categories[i % categories.length],
      priceMinor: 100 + i,
      currency: 'USD',
      searchText: `product ${i} ${i % 7 === 0 ? 'a red one' : 'a blue one'}`,
      createdAt: new Date(),
      updatedAt: new Date(),
      ...(i % 50 === 0 ? { deletedAt: new Date() } : {}),
    })),
  );
  const list = (query: { category?: string; q?: string; after?: string }) => () => store.list({ limit: 20, ...query });
  const sorted = { sorted: true };
  const after = (await store.list({ category: 'games', limit: 5 }))[4].id;

  t.diagnostic(`by category: ${await queries.assertUses('category_id', 'find', 'products', list({ category: 'games' }), sorted)}`);
  t.diagnostic(`by category, next page: ${await queries.assertUses('category_id', 'find', 'products', list({ category: 'games', after }), sorted)}`);
  t.diagnostic(`by category and q: ${await queries.assertUses('category_id', 'find', 'products', list({ category: 'games', q: 'Red' }), sorted)}`);
  // A substring ($regex without an anchor) gives no index bounds: `q` alone walks the `_id` index
  // in page order, testing each document, and stops when the page is full (docs/indexes.md).
  t.diagnostic(`by q alone: ${await queries.assertUses('_id_', 'find', 'products', list({ q: 'red' }), sorted)}`);
  t.diagnostic(`all, next page: ${await queries.assertUses('_id_', 'find', 'products', list({ after }), sorted)}`);
});
