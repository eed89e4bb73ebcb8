import { OrderView, toMinor } from '@shop/contracts';
import type { ServiceClient } from '@shop/platform/http/client';
import { createUserDirectory } from '@shop/platform/http/user-directory';
import type { Directory } from '../domain/payments.ts';

/** user-service and order-service, asked with payment-service's own credential; answers decoded with their contract schemas. */
export function createDirectory(clients: { users: ServiceClient; orders: ServiceClient }): Directory {
  const users = createUserDirectory(clients.users);
  return {
    userExists: users.exists,

    async findOrder(orderId) {
      const order = await clients.orders.get(`/order/${orderId}`, OrderView);
      if (!order) return null;
      return {
        id: order.id,
        userId: order.userId,
        status: order.status,
        totalMinor: toMinor(order.total),
        currency: order.currency,
        ...(order.reservationId ? { reservationId: order.reservationId } : {}),
      };
    },
  };
}
