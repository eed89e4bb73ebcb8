import type { ServiceClient } from '@shop/platform/http/client';
import type { Logger } from '@shop/platform/log';
import type { StockView } from '../domain/product.ts';
import type { StockReader } from '../domain/products.ts';

interface StockAnswer {
  onHand?: unknown;
  reserved?: unknown;
  available?: unknown;
}

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** Stock from inventory-service; any failure becomes null, so a catalog read never fails because of it. */
export function createInventoryReader(client: ServiceClient, logger: Logger): StockReader {
  return {
    async stockOf(productId) {
      try {
        const { status, body } = await client.request<StockAnswer>('GET', `/inventory/${productId}`);
        if (status !== 200) return null;
        const { onHand, reserved, available } = body ?? {};
        if (!isCount(onHand) || !isCount(reserved) || !isCount(available)) return null;
        const stock: StockView = { onHand, reserved, available };
        return stock;
      } catch (error) {
        logger.warn({ err: (error as Error).message, productId }, 'inventory-service unavailable; answering without stock');
        return null;
      }
    },
  };
}
