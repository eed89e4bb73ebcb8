import { topics } from '@shop/contracts';
import { createUserDirectory } from '@shop/platform/http/user-directory';
import type { Logger } from '@shop/platform/log';
import { ensureIndexes } from '@shop/platform/mongo/connect';
import { createPlatform, type Platform } from '@shop/platform/service';
import { createCatalog } from './clients/catalog.ts';
import type { CartConfig } from './config.ts';
import { createCartRules } from './domain/carts.ts';
import { cartHandlers } from './events/handlers.ts';
import { registerCartRoutes } from './http/routes.ts';
import { cartIndexes, createCartStore } from './store/carts.ts';

export interface CartServiceOptions {
  logger?: Logger;
  /** Kafka consumer group; tests give each instance its own so instances do not share partitions. */
  consumerGroup?: string;
}

/** The composition root: platform → store, clients → rules → routes and consumers. */
export async function buildCartService(config: CartConfig, options: CartServiceOptions = {}): Promise<Platform> {
  const platform = await createPlatform({
    name: 'cart-service',
    description: 'Shopping carts: add, change, remove; created and removed by user events, emptied by confirmed orders',
    config,
    topics: [topics.userCreated, topics.userDeleted, topics.orderEvents],
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { db } = platform.mongo;
  await ensureIndexes(db, cartIndexes);
  const rules = createCartRules({
    store: createCartStore(db),
    users: createUserDirectory(platform.client('user-service', config.USER_SERVICE_URL)),
    catalog: createCatalog({
      inventory: platform.client('inventory-service', config.INVENTORY_SERVICE_URL),
      products: platform.client('product-service', config.PRODUCT_SERVICE_URL),
      logger: platform.logger,
    }),
    limits: { maxLines: config.CART_MAX_LINES },
    tokensChecked: config.TOKEN_REVOCATION === 'checked',
  });
  registerCartRoutes(platform.http, rules);
  await platform.startConsumer(cartHandlers(rules), options.consumerGroup ? { groupId: options.consumerGroup } : {});
  return platform;
}
