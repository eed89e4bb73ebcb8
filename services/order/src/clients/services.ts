import { fromMinor } from '@shop/contracts';
import { AppError, conflict } from '@shop/platform/errors';
import type { ServiceClient } from '@shop/platform/http/client';
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

/** product-service: today's price of a product. */
export const createCatalog = (client: ServiceClient): Catalog => ({
  async price(productId) {
    const { status, body } = await client.request<{ id: string; price: number; currency?: string }>('GET', `/product/${productId}`);
    if (status === 404) return null;
    if (status !== 200) throw unexpected('product-service', status, body);
    return { productId, price: body.price, currency: body.currency ?? 'USD' };
  },
});

/** inventory-service: all-or-nothing reservation, the same one for the same order. */
export const createInventory = (client: ServiceClient): Inventory => ({
  async reserve(orderId, items) {
    const { status, body } = await client.request<Record<string, unknown>>('POST', '/inventory/reserve', { body: { orderId, items }, idempotent: true });
    if (status === 200 || status === 201) return { ok: true, reservationId: String(body.reservationId) };
    // 409: not enough stock (the short items named); 404: a product inventory does not know, also short.
    if (status === 409 || status === 404) return { ok: false, shortItems: body.items ?? body.details ?? body.productIds ?? body.detail };
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
        method: request.method,
      },
      idempotent: true,
    });
    if (status === 201 || status === 200) return { id: body.id, status: body.status, ...(body.reason ? { reason: body.reason } : {}) };
    if (status === 409) throw conflict(`payment refused: ${body.detail ?? 'conflict'}`);
    throw unexpected('payment-service', status, body);
  },

  async findByOrder(orderId) {
    const { status, body } = await client.request<{ items: PaymentView[] }>('GET', `/payments?orderId=${orderId}`);
    if (status !== 200) throw unexpected('payment-service', status, body);
    const [payment] = body.items;
    return payment ? { id: payment.id, status: payment.status, ...(payment.reason ? { reason: payment.reason } : {}) } : null;
  },
});
