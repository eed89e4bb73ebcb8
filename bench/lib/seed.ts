import { type Db, ObjectId } from 'mongodb';

export const CATEGORIES = Array.from({ length: 20 }, (_, i) => `bench-${String(i).padStart(2, '0')}`);
/** Stock large enough that no benchmark order is ever refused for lack of it. */
export const SEED_STOCK = 10_000_000;

/**
 * Seeds products `from`..`to-1` straight into the databases, in bulk (insertMany), in exactly
 * the shapes the stores write:
 * - product-service `products` (services/product/src/store/products.ts: cents inside, lower-cased
 *   `searchText`, no outbox — the product.created event is not needed because the stock record
 *   is written too),
 * - inventory-service `stock` (services/inventory/src/store/stock.ts: keyed by the product, `_id`
 *   = the product's ObjectId, productId as hex string, onHand/reserved/available, no holds),
 * - the baseline's `products`, the same documents, so its findOne reads a collection of the same size.
 * Returns the product ids.
 */
export async function seedCatalog(dbs: { product: Db; inventory: Db; baseline: Db }, from: number, to: number, batch = 2000): Promise<string[]> {
  const ids: string[] = [];
  for (let start = from; start < to; start += batch) {
    const at = new Date();
    const products = [];
    const stock = [];
    for (let n = start; n < Math.min(to, start + batch); n++) {
      const _id = new ObjectId();
      const name = `Bench product ${n}`;
      const description = `A product seeded for the benchmark, number ${n}`;
      products.push({
        _id,
        name,
        description,
        category: CATEGORIES[n % CATEGORIES.length] as string,
        priceMinor: 100 + ((n * 7919) % 9900),
        currency: 'USD',
        searchText: `${name}\n${description}`.toLowerCase(),
        createdAt: at,
        updatedAt: at,
      });
      stock.push({
        _id,
        productId: _id.toHexString(),
        onHand: SEED_STOCK,
        reserved: 0,
        available: SEED_STOCK,
        holds: [],
        createdAt: at,
        updatedAt: at,
      });
      ids.push(_id.toHexString());
    }
    await Promise.all([
      dbs.product.collection('products').insertMany(products, { ordered: false }),
      dbs.inventory.collection('stock').insertMany(stock, { ordered: false }),
      dbs.baseline.collection('products').insertMany(products, { ordered: false }),
    ]);
  }
  return ids;
}
