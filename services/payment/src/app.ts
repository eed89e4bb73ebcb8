import { topics } from '@shop/contracts';
import type { Logger } from '@shop/platform/log';
import { ensureIndexes } from '@shop/platform/mongo/connect';
import { createPlatform, type Platform } from '@shop/platform/service';
import { createDirectory } from './clients/directory.ts';
import type { PaymentConfig } from './config.ts';
import { createSimulatedGateway } from './domain/gateway.ts';
import { createPaymentRules } from './domain/payments.ts';
import { paymentHandlers } from './events/consumers.ts';
import { registerPaymentRoutes } from './http/routes.ts';
import { createPaymentStore, paymentIndexes, paymentsCollection } from './store/payments.ts';

/** The composition root: platform → store, gateway, directory → rules → routes, consumers, relay and sweeper. */
export async function buildPaymentService(config: PaymentConfig, options: { logger?: Logger } = {}): Promise<Platform> {
  const platform = await createPlatform({
    name: 'payment-service',
    description: 'Charges orders once through a simulated gateway; refunds orders that do not go through; announces payment-events',
    config,
    topics: [config.PAYMENT_TOPIC, topics.inventoryEvents, topics.orderEvents],
    ...options,
  });
  const { db } = platform.mongo;
  await ensureIndexes(db, paymentIndexes);
  const relay = platform.startOutboxRelay([paymentsCollection(db).collectionName]);
  const directory = createDirectory({
    users: platform.client('user-service', config.USER_SERVICE_URL),
    orders: platform.client('order-service', config.ORDER_SERVICE_URL),
  });
  const rules = createPaymentRules({
    store: createPaymentStore(db, config.PAYMENT_TOPIC),
    gateway: createSimulatedGateway({ latencyMs: config.PAYMENT_LATENCY_MS, failureRate: config.PAYMENT_FAILURE_RATE }),
    directory,
    eventsQueued: relay.kick,
  });
  registerPaymentRoutes(platform.http, rules);
  await platform.startConsumer(paymentHandlers(rules, directory, platform.logger), { groupId: config.KAFKA_GROUP_ID });
  platform.startSweeper('payments', config.SWEEP_INTERVAL_MS, () => rules.sweep(config.SWEEP_GRACE_MS));
  return platform;
}
