import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { AppError } from '@shop/platform/errors';
import { type ProductDomainEvent, type ProductRecord, type StockView, searchText, toPublicProduct } from './product.ts';
import { createProductRules, type ProductStore } from './products.ts';

/** An in-memory ProductStore: enough to test the rules without a database. */
function fakeStore() {
  const products = new Map<string, ProductRecord>();
  const deleted = new Set<string>();
  const outbox: ProductDomainEvent[] = [];
  const store: ProductStore = {
    newId: () => randomBytes(12).toString('hex'),
    async insert(product, events) {
      products.set(product.id, product);
      outbox.push(...events);
    },
    findById: async (id) => (deleted.has(id) ? null : (products.get(id) ?? null)),
    async list({ category, q, ids, limit, after }) {
      return [...products.values()]
        .filter((p) => !deleted.has(p.id) && (category === undefined || p.category === category))
        .filter((p) => ids === undefined || ids.includes(p.id))
        .filter((p) => q === undefined || searchText(p).includes(q.toLowerCase()))
        .sort((a, b) => a.id.localeCompare(b.id))
        .filter((p) => after === undefined || p.id > after)
        .slice(0, limit);
    },
    async update(id, changes) {
      const product = await store.findById(id);
      if (!product) return null;
      const updated = { ...product, ...changes };
      products.set(id, updated);
      return updated;
    },
    async remove(id, events) {
      if (deleted.has(id) || !products.has(id)) return false;
      deleted.add(id);
      outbox.push(...events);
      return true;
    },
  };
  return { store, outbox };
}

function setup(stock: (id: string) => Promise<StockView | null> = async () => null) {
  const fake = fakeStore();
  const rules = createProductRules({ store: fake.store, stock: { stockOf: stock }, eventsQueued: () => {} });
  return { ...fake, rules };
}

const shirt = { name: 'Blue Shirt', category: 'clothes', price: 19.99 };

test('a product is stored in cents and announced once with its initial stock', async () => {
  const { rules, outbox } = setup();
  const product = await rules.create({ ...shirt, stock: 7 });
  assert.equal(product.priceMinor, 1999);
  assert.equal(product.currency, 'USD');
  assert.equal(toPublicProduct(product).price, 19.99);
  assert.deepEqual(outbox, [{ kind: 'productCreated', productId: product.id, stock: 7 }]);
  const noStock = await rules.create(shirt);
  assert.deepEqual(outbox[1], { kind: 'productCreated', productId: noStock.id, stock: 0 });
});

test('prices never drift and a third fraction digit is refused, naming the field', async () => {
  const { rules } = setup();
  const a = await rules.create({ ...shirt, price: 0.1 });
  const b = await rules.create({ ...shirt, price: 0.2 });
  assert.equal(a.priceMinor + b.priceMinor, 30);
  await assert.rejects(rules.create({ ...shirt, price: 1.005 }), (e: AppError) => e.status === 400 && /body\.price/.test(e.message));
  await assert.rejects(rules.update(a.id, { price: 2.999 }), (e: AppError) => e.status === 400);
});

test('a product comes back with its stock, or with null when inventory cannot say', async () => {
  const stock = new Map<string, StockView>();
  const { rules } = setup(async (id) => stock.get(id) ?? null);
  const product = await rules.create(shirt);
  assert.equal((await rules.get(product.id)).inventory, null);
  stock.set(product.id, { onHand: 5, reserved: 2, available: 3 });
  assert.deepEqual((await rules.get(product.id)).inventory, { onHand: 5, reserved: 2, available: 3 });
  await assert.rejects(rules.get('0'.repeat(24)), (e: AppError) => e.status === 404);
});

test('pages follow the cursor to the end and filters combine', async () => {
  const { rules } = setup();
  for (let i = 0; i < 5; i++) await rules.create({ ...shirt, name: `Shirt ${i}`, category: i % 2 ? 'odd' : 'even' });
  await rules.create({ name: 'Mug', category: 'even', price: 5 });
  const first = await rules.list({ limit: 2 });
  assert.equal(first.items.length, 2);
  const second = await rules.list({ limit: 2, after: first.nextCursor as string });
  const third = await rules.list({ limit: 2, after: second.nextCursor as string });
  assert.equal(third.nextCursor, null);
  assert.equal(new Set([...first.items, ...second.items, ...third.items].map((p) => p.id)).size, 6);
  assert.equal((await rules.list({ limit: 50, category: 'even', q: 'SHIRT' })).items.length, 3);
});

test('deleting announces product.deleted once; the product is gone afterwards', async () => {
  const { rules, outbox } = setup();
  const product = await rules.create(shirt);
  await rules.remove(product.id);
  assert.deepEqual(outbox.at(-1), { kind: 'productDeleted', productId: product.id });
  await assert.rejects(rules.remove(product.id), (e: AppError) => e.status === 404);
  await assert.rejects(rules.update(product.id, { name: 'x' }), (e: AppError) => e.status === 404);
  assert.equal(outbox.length, 2);
});
