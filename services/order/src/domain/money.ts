import { MAX_MONEY, toMinor } from '@shop/contracts';
import { badRequest, conflict } from '@shop/platform/errors';
import type { OrderLine } from './order.ts';

export interface CatalogPrice {
  productId: string;
  /** Decimal as product-service sends it, e.g. 19.99. */
  price: number;
  currency: string;
}

/** Order lines and their total in integer cents: the sum never drifts the way 0.1 + 0.2 does. */
export function priceLines(
  cart: { productId: string; quantity: number }[],
  prices: CatalogPrice[],
): { items: OrderLine[]; totalMinor: number; currency: string } {
  const byId = new Map(prices.map((p) => [p.productId, p]));
  const currencies = new Set(prices.map((p) => p.currency));
  if (currencies.size > 1) throw conflict('The cart mixes currencies; order them separately', { currencies: [...currencies] });
  const items = cart.map((line) => {
    const price = byId.get(line.productId);
    if (!price) throw conflict('A product in the cart has no price', { productIds: [line.productId] });
    return { productId: line.productId, quantity: line.quantity, priceMinor: toMinor(price.price) };
  });
  const totalMinor = items.reduce((sum, line) => sum + line.priceMinor * line.quantity, 0);
  // Every amount on the wire is Money: a total beyond it could be neither charged nor announced.
  if (totalMinor > MAX_MONEY * 100) throw badRequest(`The order total exceeds the maximum of ${MAX_MONEY}; order fewer items`, { field: 'cart' });
  return { items, totalMinor, currency: prices[0]?.currency ?? 'USD' };
}
