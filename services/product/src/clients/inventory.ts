import { StockLevelView } from '@shop/contracts';
import type { ServiceClient } from '@shop/platform/http/client';
import type { Logger } from '@shop/platform/log';
import type { StockReader } from '../domain/products.ts';

/**
 * Stock from inventory-service (`GET /inventory/{productId}`, decoded with the contract's
 * StockLevelView). Any failure, a changed shape included, becomes null with a warning naming it,
 * so a catalog read never fails because of stock.
 */
export function createInventoryReader(client: ServiceClient, logger: Logger): StockReader {
  return {
    async stockOf(productId) {
      try {
        const level = await client.get(`/inventory/${productId}`, StockLevelView);
        return level && { onHand: level.onHand, reserved: level.reserved, available: level.available };
      } catch (error) {
        logger.warn(
          { err: (error as Error).message, detail: (error as { details?: unknown }).details, productId },
          'inventory-service unavailable; answering without stock',
        );
        return null;
      }
    },
  };
}
