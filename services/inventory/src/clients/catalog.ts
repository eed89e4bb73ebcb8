import { unavailable } from '@shop/platform/errors';
import type { ServiceClient } from '@shop/platform/http/client';
import type { Catalog } from '../domain/ports.ts';

/** The catalog as product-service knows it: 200 exists, 404 does not, anything else is an outage. */
export function createCatalog(products: ServiceClient): Catalog {
  return {
    async productExists(productId) {
      const answer = await products.request('GET', `/product/${productId}`);
      if (answer.status === 200) return true;
      if (answer.status === 404) return false;
      throw unavailable('product-service');
    },
  };
}
