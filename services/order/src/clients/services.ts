import { CartView, fromMinor, PaymentOutcome, PricedProductPage, ReservationMade, StockShortage } from '@shop/contracts';
import { conflict } from '@shop/platform/errors';
import { neverReached, type ServiceClient } from '@shop/platform/http/client';
import { decodeBody, unexpectedAnswer } from '@shop/platform/http/decode';
import type { Carts, Catalog, Inventory, Payments } from '../domain/ports.ts';

// Every answer read here is decoded with its contract schema (packages/contracts/src/responses.ts):
// a changed shape is a 503 naming the mismatch, never a checkout that reads `undefined`.

/** cart-service: the user's cart, read with the service credential. */
export const createCarts = (client: ServiceClient): Carts => ({
  get: (userId) => client.get(`/cart/${userId}`, CartView),
});

/** product-service: today's prices of the cart's products, in one call. */
export const createCatalog = (client: ServiceClient): Catalog => ({
  async prices(productIds) {
    const { status, body } = await client.request('GET', `/product?ids=${productIds.join(',')}&limit=${productIds.length}`);
    if (status !== 200) throw unexpectedAnswer('product-service', status, body);
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
    throw unexpectedAnswer('inventory-service', status, body);
  },
});

/** payment-service: one charge per order, whatever the retries. */
export const createPayments = (client: ServiceClient): Payments => ({
  async charge(request) {
    const { status, body } = await client.request('POST', '/payment', {
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
    if (status === 201 || status === 200) {
      const payment = decodeBody(PaymentOutcome, body, 'payment-service');
      return { id: payment.id, status: payment.status, ...(payment.reason ? { reason: payment.reason } : {}) };
    }
    if (status === 409) throw conflict(`payment refused: ${(body as { detail?: string } | undefined)?.detail ?? 'conflict'}`);
    throw unexpectedAnswer('payment-service', status, body);
  },
});
