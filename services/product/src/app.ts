import { topics } from '@shop/contracts';
import { createServiceClient } from '@shop/platform/http/client';
import type { Logger } from '@shop/platform/log';
import { ensureIndexes } from '@shop/platform/mongo/connect';
import { createPlatform, type Platform } from '@shop/platform/service';
import { createInventoryReader } from './clients/inventory.ts';
import type { ProductConfig } from './config.ts';
import { createProductRules } from './domain/products.ts';
import { registerProductRoutes } from './http/routes.ts';
import { createProductStore, productIndexes, productsCollection } from './store/products.ts';

/** The composition root: platform → store → rules → routes, plus the outbox relay of product events. */
export async function buildProductService(config: ProductConfig, options: { logger?: Logger } = {}): Promise<Platform> {
  const platform = await createPlatform({
    name: 'product-service',
    description: 'The catalog: products with exact prices; announces product-created and product-deleted so stock follows',
    config,
    topics: [topics.productEvents],
    ...options,
  });
  const { db } = platform.mongo;
  await ensureIndexes(db, productIndexes);
  const relay = platform.startOutboxRelay([productsCollection(db).collectionName]);
  // A short timeout and one retry: a product page must not wait long for its stock.
  const inventoryClient = createServiceClient({
    name: 'inventory-service',
    baseUrl: config.INVENTORY_SERVICE_URL,
    timeoutMs: config.INVENTORY_TIMEOUT_MS,
    serviceToken: () => platform.auth.serviceToken('inventory-service'),
    retries: 1,
  });
  const rules = createProductRules({
    store: createProductStore(db),
    stock: createInventoryReader(inventoryClient, platform.logger),
    eventsQueued: relay.kick,
  });
  registerProductRoutes(platform.http, rules);
  return platform;
}
