import { AppError, unavailable } from '@shop/platform/errors';
import type { ServiceClient } from '@shop/platform/http/client';
import type { ProductAvailability } from '../domain/cart.ts';
import type { Catalog } from '../domain/carts.ts';

interface ProductBody {
  inventory?: { available?: unknown } | null;
}

/** product-service `GET /product/{id}`: 404 unknown; `inventory: null` when inventory-service is down. */
export function createCatalog(client: ServiceClient): Catalog {
  return {
    async availability(productId): Promise<ProductAvailability> {
      const response = await client.request<ProductBody>('GET', `/product/${productId}`);
      if (response.status === 404) return { found: false };
      if (response.status !== 200) throw unavailable('product-service', new AppError('INTERNAL', `product-service answered ${response.status}`));
      const available = response.body?.inventory?.available;
      return { found: true, available: typeof available === 'number' ? available : null };
    },
  };
}
