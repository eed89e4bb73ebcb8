import createClient, { type Middleware } from 'openapi-fetch';
import type { paths as CartPaths } from './generated/cart.ts';
import type { paths as GatewayPaths } from './generated/gateway.ts';
import type { paths as InventoryPaths } from './generated/inventory.ts';
import type { paths as NotificationPaths } from './generated/notification.ts';
import type { paths as OrderPaths } from './generated/order.ts';
import type { paths as PaymentPaths } from './generated/payment.ts';
import type { paths as ProductPaths } from './generated/product.ts';
import type { paths as UserPaths } from './generated/user.ts';
import { currentSession, setSession } from './session.ts';

// One typed client per service, all on this origin under /api/<service> (the gateway forwards them).
// The types come from the committed OpenAPI documents (src/api/generated), so a changed route or
// shape is a type error here, not a blank page.

const withToken: Middleware = {
  onRequest({ request }) {
    const session = currentSession();
    if (session) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or revoked token: sign out, so the page offers to log in again.
    if (response.status === 401 && currentSession()) setSession(null);
    return response;
  },
};

function serviceClient<Paths extends {}>(service: string) {
  // The gateway documents its own routes with their full path (/api/gateway/...).
  const client = createClient<Paths>({ baseUrl: service === 'gateway' ? '' : `/api/${service}` });
  client.use(withToken);
  return client;
}

export const api = {
  user: serviceClient<UserPaths>('user'),
  product: serviceClient<ProductPaths>('product'),
  inventory: serviceClient<InventoryPaths>('inventory'),
  cart: serviceClient<CartPaths>('cart'),
  order: serviceClient<OrderPaths>('order'),
  payment: serviceClient<PaymentPaths>('payment'),
  notification: serviceClient<NotificationPaths>('notification'),
  gateway: serviceClient<GatewayPaths>('gateway'),
};

/** What to tell a person about a failed call: the problem's detail when there is one. */
export function problemText(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  if (error && typeof error === 'object' && 'detail' in error && typeof error.detail === 'string') return error.detail;
  return fallback;
}

/** The data of an openapi-fetch answer, or an Error carrying the problem's detail. */
export function dataOf<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data !== undefined && answer.response.ok) return answer.data;
  throw new ApiError(answer.response.status, problemText(answer.error, `The shop answered ${answer.response.status}.`));
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
