import { OrderView } from '@shop/contracts';
import type { ServiceClient } from '@shop/platform/http/client';

/** order-service, asked with inventory-service's credential whether an order really closed (`GET /order/{id}`, decoded with OrderView). */
export function createOrderBook(orders: ServiceClient) {
  return {
    async isClosed(orderId: string): Promise<boolean> {
      const order = await orders.get(`/order/${orderId}`, OrderView);
      return order?.status === 'failed' || order?.status === 'cancelled';
    },
  };
}

export type OrderBook = ReturnType<typeof createOrderBook>;
