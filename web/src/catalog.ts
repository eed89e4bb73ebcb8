import { api, dataOf } from './api/client.ts';

export type Product = Awaited<ReturnType<typeof listProducts>>[number];

/** Catalog products (product-service), optionally of one category and matching a search. */
export async function listProducts(filter: { category?: string; q?: string } = {}) {
  const query = { limit: 200, ...(filter.category ? { category: filter.category } : {}), ...(filter.q ? { q: filter.q } : {}) };
  return dataOf(await api.product.GET('/product', { params: { query } })).items;
}

/** Products by id, in one call (at most 200). */
export async function productsByIds(ids: string[]) {
  if (ids.length === 0) return [];
  return dataOf(await api.product.GET('/product', { params: { query: { ids: ids.join(','), limit: 200 } } })).items;
}

export interface Stock {
  /** The stock record's own id (PATCH /inventory/{id} takes it). */
  id: string;
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
}

/** Most products inventory-service reads in one call. */
const STOCK_BATCH = 100;

/** Each product's live stock (inventory-service, one call per 100 products), null where it has no record (yet) or none came. */
export async function stockOf(productIds: string[]): Promise<Map<string, Stock | null>> {
  const batches = Array.from({ length: Math.ceil(productIds.length / STOCK_BATCH) }, (_, i) => productIds.slice(i * STOCK_BATCH, (i + 1) * STOCK_BATCH));
  const found = await Promise.all(
    // Without an answer (inventory-service down) the products show without stock, as on the product page.
    batches.map(async (ids) => (await api.inventory.GET('/inventory', { params: { query: { productIds: ids.join(',') } } })).data?.items ?? []),
  );
  const levels = new Map(found.flat().map((level) => [level.productId, level]));
  return new Map(productIds.map((productId) => [productId, levels.get(productId) ?? null]));
}
