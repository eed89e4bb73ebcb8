import { conflict } from '@shop/platform/errors';
import { priceLines } from '../money.ts';
import type { Catalog } from '../ports.ts';
import type { CartLine } from './read-cart.ts';

export type Priced = ReturnType<typeof priceLines>;

/** Today's prices from product-service (all lines in one call), never the client's; an unknown or deleted product is a 409. */
export async function priceItems(catalog: Catalog, lines: CartLine[]): Promise<Priced> {
  const ids = [...new Set(lines.map((line) => line.productId))];
  const prices = await catalog.prices(ids);
  const known = new Set(prices.map((price) => price.productId));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw conflict('Some products in the cart no longer exist', { productIds: missing });
  return priceLines(lines, prices);
}
