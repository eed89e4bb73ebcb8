import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, dataOf } from './api/client.ts';
import { useSession } from './api/session.ts';

export interface CartLine {
  productId: string;
  quantity: number;
}

interface CartState {
  lines: CartLine[];
  count: number;
  refresh(): Promise<void>;
  add(productId: string, quantity: number): Promise<void>;
  setQuantity(productId: string, quantity: number): Promise<void>;
  remove(productId: string): Promise<void>;
}

const CartContext = createContext<CartState | null>(null);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The signed-in customer's cart (cart-service), shared by the header's count and the pages. */
export function CartProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const userId = session?.user.role === 'customer' ? session.user.id : undefined;
  const [lines, setLines] = useState<CartLine[]>([]);

  const refresh = useCallback(async () => {
    if (!userId) return setLines([]);
    // A new customer's cart is made from user-created within seconds: wait for it a little.
    for (let attempt = 0; ; attempt++) {
      const answer = await api.cart.GET('/cart/{userId}', { params: { path: { userId } } });
      if (answer.response.status !== 404 || attempt >= 10) return setLines(dataOf(answer).items);
      await wait(500);
    }
  }, [userId]);

  useEffect(() => {
    refresh().catch(() => setLines([]));
  }, [refresh]);

  const value = useMemo<CartState>(() => {
    const need = () => {
      if (!userId) throw new Error('Log in as a customer to use the cart.');
      return userId;
    };
    return {
      lines,
      count: lines.reduce((sum, line) => sum + line.quantity, 0),
      refresh,
      async add(productId, quantity) {
        const cart = dataOf(await api.cart.POST('/cart', { body: { userId: need(), productId, quantity } }));
        setLines(cart.items);
      },
      async setQuantity(productId, quantity) {
        const cart = dataOf(await api.cart.PUT('/cart/{userId}/items/{productId}', { params: { path: { userId: need(), productId } }, body: { quantity } }));
        setLines(cart.items);
      },
      async remove(productId) {
        const answer = await api.cart.DELETE('/cart/{userId}/items/{productId}', { params: { path: { userId: need(), productId } } });
        if (!answer.response.ok) dataOf(answer);
        await refresh();
      },
    };
  }, [lines, refresh, userId]);
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

export function useCart(): CartState {
  const cart = useContext(CartContext);
  if (!cart) throw new Error('useCart outside CartProvider');
  return cart;
}
