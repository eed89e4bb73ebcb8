import { ProductView } from '@shop/contracts';
import type { ServiceClient } from '@shop/platform/http/client';
import type { ProductAvailability } from '../domain/cart.ts';
import type { Catalog } from '../domain/carts.ts';

/** product-service `GET /product/{id}`, decoded with the contract's ProductView: 404 unknown; `inventory: null` when inventory-service is down. */
export function createCatalog(client: ServiceClient): Catalog {
  return {
    async availability(productId): Promise<ProductAvailability> {
      const product = await client.get(`/product/${productId}`, ProductView);
      if (!product) return { found: false };
      return { found: true, available: product.inventory?.available ?? null };
    },
  };
}
