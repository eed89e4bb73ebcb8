import { ProductView, StockLevelView } from '@shop/contracts';
import type { ServiceClient } from '@shop/platform/http/client';
import type { Logger } from '@shop/platform/log';
import type { ProductAvailability } from '../domain/cart.ts';
import type { Catalog } from '../domain/carts.ts';

/**
 * Whether a product can go in a cart, and how many units are available: asked of
 * inventory-service (`GET /inventory/{productId}`), which has a stock record for every product of
 * the catalogue (made from product.created) and marks it `discontinued` once the product is
 * deleted. One hop and one read; going through product-service was two of each (it asks
 * inventory-service itself). product-service (`GET /product/{id}`) is asked only when inventory
 * cannot tell: no record (a product created a moment ago, or none at all) or inventory-service
 * not answering; it then says whether the product exists, with `inventory: null` when its own
 * stock read failed. Both answers are decoded with the contract's views; like product-service's
 * own stock reads, any failure of inventory's (a changed shape included) is one warning and the
 * way through product-service, never a refused add.
 */
export function createCatalog(deps: { inventory: ServiceClient; products: ServiceClient; logger: Pick<Logger, 'warn'> }): Catalog {
  async function fromProductService(productId: string): Promise<ProductAvailability> {
    const product = await deps.products.get(`/product/${productId}`, ProductView);
    if (!product) return { found: false };
    return { found: true, available: product.inventory?.available ?? null };
  }

  return {
    async availability(productId): Promise<ProductAvailability> {
      const stock = await deps.inventory.get(`/inventory/${productId}`, StockLevelView).catch((error: Error) => {
        deps.logger.warn({ err: error.message, productId }, 'inventory-service could not say; asking product-service');
        return undefined;
      });
      if (!stock) return fromProductService(productId);
      return stock.discontinued ? { found: false } : { found: true, available: stock.available };
    },
  };
}
