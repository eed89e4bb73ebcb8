import { conflict } from '@shop/platform/errors';
import { type CatalogPrice, priceLines } from '../money.ts';
import type { Catalog } from '../ports.ts';
import type { CartLine } from './read-cart.ts';
import type { Step } from './saga.ts';

export type Priced = ReturnType<typeof priceLines>;

/** Today's prices from product-service, never the client's; an unknown or deleted product is a 409. Reads only. */
export const priceItems = (catalog: Catalog): Step<CartLine[], Priced> => ({
  name: 'price-items',
  async invoke(lines) {
    const ids = [...new Set(lines.map((line) => line.productId))];
    const prices = await Promise.all(ids.map((id) => catalog.price(id)));
    const missing = ids.filter((_, i) => !prices[i]);
    if (missing.length > 0) throw conflict('Some products in the cart no longer exist', { productIds: missing });
    return priceLines(lines, prices as CatalogPrice[]);
  },
});
