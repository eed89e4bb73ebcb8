import { AppError, badRequest } from '@shop/platform/errors';
import type { Carts } from '../ports.ts';

export type CartLine = { productId: string; quantity: number };

/**
 * What is in the user's cart, and the cart's mark (given back in the order's events, so cart-service
 * takes out only these units when the order is confirmed); an empty cart cannot be ordered.
 */
export async function readCart(carts: Carts, { userId, cartId }: { userId: string; cartId?: string }): Promise<{ lines: CartLine[]; mark?: string }> {
  const cart = await carts.get(userId);
  if (cart && cartId !== undefined && cart.id !== cartId) throw badRequest('cartId is not this user’s cart', { field: 'cartId' });
  if (!cart || cart.items.length === 0) throw new AppError('BAD_REQUEST', 'The cart is empty', { field: 'cart' });
  const lines = cart.items.map(({ productId, quantity }) => ({ productId, quantity }));
  return cart.mark === undefined ? { lines } : { lines, mark: cart.mark };
}
