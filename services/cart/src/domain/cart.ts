import { AppError, conflict } from '@shop/platform/errors';

/** The most units of one product a cart (and so an order line) may hold: the contract's Quantity maximum. */
export const MAX_QUANTITY = 10_000;

export interface CartItem {
  productId: string;
  quantity: number;
}

export interface Cart {
  id: string;
  userId: string;
  items: CartItem[];
  /** What order-service reads with the cart and gives back in order.confirmed (cart-mark.ts). */
  mark: string;
  updatedAt: Date;
}

export interface CartLimits {
  /** Most distinct products in one cart. */
  maxLines: number;
}

/** What the catalogue told us: unknown (or deleted), or known with its available stock (null when inventory could not say). */
export type ProductAvailability = { found: false } | { found: true; available: number | null };

export function quantityOf(cart: Cart | null, productId: string): number {
  return cart?.items.find((item) => item.productId === productId)?.quantity ?? 0;
}

/** 409: the line would pass MAX_QUANTITY. */
export const tooManyUnits = (productId: string) => conflict(`A cart holds at most ${MAX_QUANTITY} units of one product`, { field: 'body.quantity', productId });

function requireStock(productId: string, wanted: number, available: number | null): void {
  // Unknown stock (inventory down) does not block the cart: the order reserves stock for real.
  if (available !== null && available < wanted) {
    throw new AppError('INSUFFICIENT_STOCK', `Only ${available} of product ${productId} available, ${wanted} wanted`, {
      field: 'body.quantity',
      productId,
      available,
      requested: wanted,
    });
  }
}

export const tooManyLines = (maxLines: number, field: string) => conflict(`A cart holds at most ${maxLines} different products`, { field });

/** Adding raises the quantity already in the cart; the total must stay within the per-line maximum, the line count and the stock. */
export function checkAdd(cart: Cart | null, productId: string, quantity: number, available: number | null, limits: CartLimits): number {
  const total = quantityOf(cart, productId) + quantity;
  if (total > MAX_QUANTITY) throw tooManyUnits(productId);
  const isNewLine = quantityOf(cart, productId) === 0;
  if (isNewLine && (cart?.items.length ?? 0) >= limits.maxLines) throw tooManyLines(limits.maxLines, 'body.productId');
  requireStock(productId, total, available);
  return total;
}

/** Setting a line's quantity replaces it; only the stock limits it (the schema bounds it to 1..MAX_QUANTITY). */
export function checkSet(cart: Cart | null, productId: string, quantity: number, available: number | null, limits: CartLimits): void {
  if (quantityOf(cart, productId) === 0 && (cart?.items.length ?? 0) >= limits.maxLines) throw tooManyLines(limits.maxLines, 'params.productId');
  requireStock(productId, quantity, available);
}

/** Units per product in an order; an order may name one product on several lines. */
export function orderedQuantities(items: readonly CartItem[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { productId, quantity } of items) totals.set(productId, (totals.get(productId) ?? 0) + quantity);
  return totals;
}

export function toPublicCart(cart: Cart) {
  return { id: cart.id, userId: cart.userId, items: cart.items, mark: cart.mark, updatedAt: cart.updatedAt.toISOString() };
}
