import { toMinor } from '@shop/contracts';
import { AppError } from '@shop/platform/errors';
import type { ServiceClient } from '@shop/platform/http/client';
import type { Directory, OrderView } from '../domain/payments.ts';

interface OrderBody {
  id: string;
  userId: string;
  status: string;
  total: number;
  currency: string;
  reservationId?: string | null;
}

// Any answer but 200/404 means the caller (us) is misconfigured or the service misbehaves: not the client's fault.
const unexpected = (service: string, status: number) => new AppError('DEPENDENCY_UNAVAILABLE', `${service} answered ${status}`);

/** user-service and order-service, asked with payment-service's own credential. */
export function createDirectory(clients: { users: ServiceClient; orders: ServiceClient }): Directory {
  return {
    async userExists(userId) {
      const { status } = await clients.users.request('GET', `/users/${userId}`);
      if (status === 200) return true;
      if (status === 404) return false;
      throw unexpected('user-service', status);
    },

    async findOrder(orderId): Promise<OrderView | null> {
      const { status, body } = await clients.orders.request<OrderBody>('GET', `/order/${orderId}`);
      if (status === 404) return null;
      if (status !== 200) throw unexpected('order-service', status);
      return {
        id: body.id,
        userId: body.userId,
        status: body.status,
        totalMinor: toMinor(body.total),
        currency: body.currency,
        ...(body.reservationId ? { reservationId: body.reservationId } : {}),
      };
    },
  };
}
