import { fromMinor, PricedProductPage, ReservationMade, StockShortage } from '@shop/contracts';
import { AppError, conflict } from '@shop/platform/errors';
import { neverReached, type ServiceClient } from '@shop/platform/http/client';
import { decodeBody } from '@shop/platform/http/decode';
import type { Carts, Catalog, Inventory, Payments, PaymentView, Users } from '../domain/ports.ts';

// An answer the contract does not foresee is the dependency's problem (or ours), never the client's.
const unexpected = (service: string, status: number, body?: unknown) =>
  new AppError('DEPENDENCY_UNAVAILABLE', `${service} answered ${status}`, { detail: (body as { detail?: unknown } | undefined)?.detail });

/** user-service: does the buyer exist? */
export const createUsers = (client: ServiceClient): Users => ({
  async exists(userId) {
    const { status, body } = await client.request('GET', `/users/${userId}`);
    if (status === 200) return true;
    if (status === 404) return false;
    throw unexpected('user-service', status, body);
  },
});

/** cart-service: the user's cart, read with the service credential. */
export const createCarts = (client: ServiceClient): Carts => ({
  async get(userId) {
    const { status, body } = await client.request<{ id: string; items: { productId: string; quantity: number }[] }>('GET', `/cart/${userId}`);
    if (status === 404) return null;
    if (status !== 200) throw unexpected('cart-service', status, body);
    return { id: body.id, items: body.items };
  },
});

/** product-service: today's prices of the cart's products, in one call. */
export const createCatalog = (client: ServiceClient): Catalog => ({
  async prices(productIds) {
    const { status, body } = await client.request('GET', `/product?ids=${productIds.join(',')}&limit=${productIds.length}`);
    if (status !== 200) throw unexpected('product-service', status, body);
    return decodeBody(PricedProductPage, body, 'product-service').items.map((p) => ({ productId: p.id, price: p.price, currency: p.currency }));
  },
});

/** inventory-service: all-or-nothing reservation, the same one for the same order. */
export const createInventory = (client: ServiceClient): Inventory => ({
  async reserve(orderId, items) {
    let answer: { status: number; body: unknown };
    try {
      answer = await client.request('POST', '/inventory/reserve', { body: { orderId, items }, idempotent: true });
    } catch (error) {
      if (neverReached(error)) return { outcome: 'not-reached', error: error as Error };
      throw error;
    }
    const { status, body } = answer;
    if (status === 201 || status === 200) return { outcome: 'reserved', reservationId: decodeBody(ReservationMade, body, 'inventory-service').reservationId };
    // Only a 409 that says "insufficient stock" is a refusal for stock; any other answer is not a reason to turn a buyer away.
    if (status === 409 && (body as { code?: unknown } | undefined)?.code === 'INSUFFICIENT_STOCK') {
      return { outcome: 'short', shortItems: decodeBody(StockShortage, body, 'inventory-service').items };
    }
    throw unexpected('inventory-service', status, body);
  },
});

/** payment-service: one charge per order, whatever the retries. */
export const createPayments = (client: ServiceClient): Payments => ({
  async charge(request) {
    const { status, body } = await client.request<PaymentView & { detail?: string }>('POST', '/payment', {
      body: {
        orderId: request.orderId,
        userId: request.userId,
        reservationId: request.reservationId,
        amount: fromMinor(request.amountMinor),
        currency: request.currency,
        method: request.method,
      },
      idempotent: true,
    });
    if (status === 201 || status === 200) return { id: body.id, status: body.status, ...(body.reason ? { reason: body.reason } : {}) };
    if (status === 409) throw conflict(`payment refused: ${body.detail ?? 'conflict'}`);
    throw unexpected('payment-service', status, body);
  },
});
