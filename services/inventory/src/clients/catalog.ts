import { ProductView } from '@shop/contracts';
import type { ServiceClient } from '@shop/platform/http/client';
import type { Catalog } from '../domain/ports.ts';

/** The catalog as product-service knows it (`GET /product/{id}`, decoded with the contract's ProductView): 404 means it does not exist. */
export function createCatalog(products: ServiceClient): Catalog {
  return {
    productExists: async (productId) => (await products.get(`/product/${productId}`, ProductView)) !== null,
  };
}
