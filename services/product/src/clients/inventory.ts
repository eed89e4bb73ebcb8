import { StockLevelsView } from '@shop/contracts';
import { batchPerTick } from '@shop/platform/batch';
import { remainingMs, withDeadline } from '@shop/platform/deadline';
import type { ServiceClient } from '@shop/platform/http/client';
import type { Logger } from '@shop/platform/log';
import type { StockView } from '../domain/product.ts';
import type { StockReader } from '../domain/products.ts';

/** Most ids inventory-service takes in one read. */
const MAX_BATCH = 100;

interface Wanted {
  productId: string;
  /** When the request that wants it stops waiting (epoch ms; Infinity outside a request). */
  deadline: number;
}

/**
 * Stock from inventory-service, many products per call: the product reads that arrive together
 * (batchPerTick) share one `GET /inventory?productIds=…`, decoded with the contract's StockLevelsView. Under load
 * this turns one call per product page into one per batch of them (docs/catalog-reads.md). Nothing
 * is cached: every read is as fresh as its own call. The call gets the latest deadline of the reads
 * it serves, and any failure, a changed shape included, makes each of them null with one warning,
 * so a catalog read never fails because of stock.
 */
export function createInventoryReader(client: ServiceClient, logger: Logger): StockReader {
  async function readMany(wanted: readonly Wanted[]): Promise<(StockView | null)[]> {
    const ids = [...new Set(wanted.map((w) => w.productId))];
    const deadline = Math.max(...wanted.map((w) => w.deadline));
    try {
      const answer = await withDeadline(deadline, () => client.get(`/inventory?productIds=${ids.join(',')}`, StockLevelsView));
      const levels = new Map((answer?.items ?? []).map(({ productId, onHand, reserved, available }) => [productId, { onHand, reserved, available }]));
      return wanted.map((w) => levels.get(w.productId) ?? null);
    } catch (error) {
      logger.warn(
        { err: (error as Error).message, detail: (error as { details?: unknown }).details, productIds: ids },
        'inventory-service unavailable; answering without stock',
      );
      return wanted.map(() => null);
    }
  }

  const read = batchPerTick(readMany, MAX_BATCH);
  return {
    stockOf: (productId) => read({ productId, deadline: Date.now() + remainingMs() }),
  };
}
