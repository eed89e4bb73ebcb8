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

/** Each product's live stock (inventory-service), null where it has no record (yet). */
export async function stockOf(productIds: string[]): Promise<Map<string, Stock | null>> {
  const levels = await Promise.all(
    productIds.map(async (productId) => {
      const answer = await api.inventory.GET('/inventory/{productId}', { params: { path: { productId } } });
      return [productId, answer.data ?? null] as const;
    }),
  );
  return new Map(levels);
}
