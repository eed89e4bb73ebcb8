import { topics } from '@shop/contracts';
import type { Logger } from '@shop/platform/log';
import { ensureIndexes } from '@shop/platform/mongo/connect';
import { createAtomically } from '@shop/platform/mongo/transaction';
import { createPlatform, type Platform } from '@shop/platform/service';
import { createCatalog } from './clients/catalog.ts';
import { createOrderBook } from './clients/orders.ts';
import type { InventoryConfig } from './config.ts';
import { createOnOrderClosed } from './domain/on-order-closed.ts';
import { createOnPayment } from './domain/on-payment.ts';
import type { InventoryDeps } from './domain/ports.ts';
import { createRecentReservations } from './domain/recent.ts';
import { createReserve } from './domain/reserve.ts';
import { createStockRules } from './domain/stock-rules.ts';
import { createSweep } from './domain/sweep.ts';
import { orderEventsHandler, paymentEventsHandler, productEventsHandler } from './events/handlers.ts';
import { registerInventoryAdminRoutes } from './http/admin-routes.ts';
import { registerReservationRoutes } from './http/reservation-routes.ts';
import { registerStockRoutes } from './http/stock-routes.ts';
import { reservationsExpiredCounter } from './metrics.ts';
import { createInventoryAdminQueries } from './store/admin-queries.ts';
import { createReservationStore, reservationIndexes, reservationsCollection } from './store/reservations.ts';
import { createStockStore, stockIndexes } from './store/stock.ts';

/** The composition root: platform → stores → rules → routes and consumers, plus the outbox relay and the sweep. */
export async function buildInventoryService(config: InventoryConfig, options: { logger?: Logger } = {}): Promise<Platform> {
  const platform = await createPlatform({
    name: 'inventory-service',
    description: 'Stock per product and all-or-nothing reservations; commits on payment, releases on failure or expiry',
    config,
    topics: [topics.productEvents, config.PAYMENT_TOPIC, topics.orderEvents, topics.inventoryEvents],
    ...options,
  });
  const { db } = platform.mongo;
  await ensureIndexes(db, { ...stockIndexes, ...reservationIndexes });
  const relay = platform.startOutboxRelay([reservationsCollection(db).collectionName]);
  const deps: InventoryDeps = {
    stock: createStockStore(db),
    catalog: createCatalog(platform.client('product-service', config.PRODUCT_SERVICE_URL)),
    reservations: createReservationStore(db),
    clock: Date.now,
    ttlMs: config.RESERVATION_TTL_SECONDS * 1000,
    graceMs: config.RESERVING_GRACE_SECONDS * 1000,
    eventsQueued: relay.kick,
    atomically: createAtomically(platform.mongo.client),
    recent: createRecentReservations(),
  };
  const stockRules = createStockRules(deps);
  registerStockRoutes(platform.http, stockRules);
  registerReservationRoutes(platform.http, createReserve(deps), deps.reservations);
  registerInventoryAdminRoutes(platform.http, createInventoryAdminQueries(db));
  await platform.startConsumer(
    {
      [topics.productEvents]: productEventsHandler(stockRules),
      [config.PAYMENT_TOPIC]: paymentEventsHandler(createOnPayment(deps)),
      [topics.orderEvents]: orderEventsHandler(
        createOnOrderClosed(deps),
        createOrderBook(platform.client('order-service', config.ORDER_SERVICE_URL)),
        platform.logger,
      ),
    },
    {},
  );
  const expired = reservationsExpiredCounter();
  platform.startSweeper('reservations', config.SWEEP_INTERVAL_MS, async () => {
    const report = await createSweep(deps, 'reservations')();
    expired.inc(report.expired);
    return { ...report };
  });
  platform.startSweeper('stock', config.STOCK_REPAIR_INTERVAL_MS, async () => ({ ...(await createSweep(deps, 'stock')()) }));
  return platform;
}
