import { topics } from '@shop/contracts';
import { createUserDirectory } from '@shop/platform/http/user-directory';
import type { Logger } from '@shop/platform/log';
import { ensureIndexes } from '@shop/platform/mongo/connect';
import { createPlatform, type Platform } from '@shop/platform/service';
import { createCarts, createCatalog, createInventory, createPayments } from './clients/services.ts';
import type { OrderConfig } from './config.ts';
import { createOrderRules } from './domain/orders.ts';
import { orderHandlers } from './events/consumers.ts';
import { registerOrderAdminRoutes } from './http/admin-routes.ts';
import { registerOrderRoutes } from './http/routes.ts';
import { countingOrderEnds } from './metrics.ts';
import { createOrderAdminQueries } from './store/admin-queries.ts';
import { createOrderStore, orderIndexes, ordersCollection } from './store/orders.ts';

/** The composition root: platform → store and clients → rules → routes, consumers, relay and sweeper. */
export async function buildOrderService(config: OrderConfig, options: { logger?: Logger } = {}): Promise<Platform> {
  const platform = await createPlatform({
    name: 'order-service',
    description: 'Places orders from carts (reserve stock, charge payment) and follows them to confirmed, failed or cancelled; announces order-events',
    config,
    topics: [topics.orderEvents, config.PAYMENT_TOPIC, topics.inventoryEvents],
    ...options,
  });
  const { db } = platform.mongo;
  await ensureIndexes(db, orderIndexes);
  const relay = platform.startOutboxRelay([ordersCollection(db).collectionName]);
  const rules = createOrderRules({
    store: countingOrderEnds(createOrderStore(db)),
    users: createUserDirectory(platform.client('user-service', config.USER_SERVICE_URL)),
    carts: createCarts(platform.client('cart-service', config.CART_SERVICE_URL)),
    catalog: createCatalog(platform.client('product-service', config.PRODUCT_SERVICE_URL)),
    inventory: createInventory(platform.client('inventory-service', config.INVENTORY_SERVICE_URL)),
    payments: createPayments(platform.client('payment-service', config.PAYMENT_SERVICE_URL)),
    logger: platform.logger,
    tokensChecked: config.TOKEN_REVOCATION === 'checked',
    eventsQueued: relay.kick,
    timing: { graceMs: config.SWEEP_GRACE_MS, deadlineMs: (config.RESERVATION_TTL_SECONDS + config.ORDER_END_MARGIN_SECONDS) * 1000 },
  });
  registerOrderRoutes(platform.http, rules);
  registerOrderAdminRoutes(platform.http, createOrderAdminQueries(db));
  await platform.startConsumer(orderHandlers(rules, config.PAYMENT_TOPIC), { groupId: config.KAFKA_GROUP_ID });
  platform.startSweeper('orders', config.SWEEP_INTERVAL_MS, () => rules.sweep());
  return platform;
}
