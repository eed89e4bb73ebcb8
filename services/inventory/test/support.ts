import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { createEventProducer } from '@shop/platform/kafka/producer';
import { createLogger } from '@shop/platform/log';
import type { Platform } from '@shop/platform/service';
import { startGroupAtEnd } from '@shop/testing/consumer-group';
import { testBrokers, testEnv } from '@shop/testing/env';
import { startOrderStandIn } from '@shop/testing/order-stand-in';
import { type Hooks, newId, testToken } from '@shop/testing/support';
import { buildInventoryService } from '../src/app.ts';
import { type InventoryConfig, loadInventoryConfig } from '../src/config.ts';

export { newId, waitUntil as eventually } from '@shop/testing/support';

/** Environment of a test's inventory-service: its own database, consumer group and payment topic, a fast sweep. */
export function inventoryEnv(env: Record<string, string> = {}): Record<string, string> {
  const tag = randomUUID().slice(0, 8);
  return testEnv({
    KAFKA_GROUP_ID: `inventory-test-${tag}`,
    PAYMENT_TOPIC: `payment-events-test-${tag}`,
    SWEEP_INTERVAL_MS: '200',
    STOCK_REPAIR_INTERVAL_MS: '200',
    ...env,
  });
}

export interface InventoryUnderTest {
  service: Platform;
  config: InventoryConfig;
  headers: { admin: Record<string, string>; service: Record<string, string>; customer: Record<string, string> };
}

/**
 * A stand-in for product-service's `GET /product/{id}` (the one call inventory makes to it):
 * 200 for the products this file stocked, 404 for any other. A real HTTP server, shared by the file.
 */
export const knownProducts = new Set<string>();
let catalogUrl: Promise<string> | undefined;
function catalog(): Promise<string> {
  catalogUrl ??= (async () => {
    const server = createServer((req, res) => {
      const id = /^\/product\/([0-9a-f]{24})$/.exec(req.url ?? '')?.[1];
      res.writeHead(id && knownProducts.has(id) ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ id, inventory: null }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    server.unref();
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  })();
  return catalogUrl;
}

const startedGroups = new Set<string>();

/** An inventory-service in this process; closed after the test. */
export async function startInventoryService(t: Hooks, env: Record<string, string> = inventoryEnv()): Promise<InventoryUnderTest> {
  // order-service, asked before a closed order's stock is put back: a stand-in that knows no order
  // unless the test gives one (the shared test Kafka carries other tests' order events).
  const orders = env.ORDER_SERVICE_URL ? {} : { ORDER_SERVICE_URL: (await startOrderStandIn(t)).url };
  const config = loadInventoryConfig({ PRODUCT_SERVICE_URL: await catalog(), ...orders, ...env });
  // A test's consumer group reads what is published from its first start on, not the shared Kafka's history.
  if (config.KAFKA_GROUP_ID && !startedGroups.has(config.KAFKA_GROUP_ID)) {
    startedGroups.add(config.KAFKA_GROUP_ID);
    await startGroupAtEnd(config.KAFKA_GROUP_ID, [topics.productEvents, topics.orderEvents, config.PAYMENT_TOPIC]);
  }
  const service = await buildInventoryService(config);
  t.after(() => service.close());
  const bearer = (role: 'admin' | 'service' | 'customer', sub: string) => ({ authorization: `Bearer ${testToken(service.name, { sub, role })}` });
  return { service, config, headers: { admin: bearer('admin', newId()), service: bearer('service', 'order-service'), customer: bearer('customer', newId()) } };
}

/** A product with `onHand` units; returns its id. */
export async function stockedProduct(inventory: InventoryUnderTest, onHand: number): Promise<string> {
  const productId = newId();
  knownProducts.add(productId);
  const response = await inventory.service.http.inject({
    method: 'POST',
    url: '/inventory',
    headers: inventory.headers.admin,
    payload: { productId, quantity: onHand },
  });
  if (response.statusCode !== 201) throw new Error(`could not stock ${productId}: ${response.body}`);
  return productId;
}

export async function reserve(inventory: InventoryUnderTest, items: { productId: string; quantity: number }[], orderId = newId()) {
  return inventory.service.http.inject({ method: 'POST', url: '/inventory/reserve', headers: inventory.headers.service, payload: { orderId, items } });
}

/** A reservation that must succeed; its ids. */
export async function reserveOk(inventory: InventoryUnderTest, items: { productId: string; quantity: number }[]) {
  const orderId = newId();
  const response = await reserve(inventory, items, orderId);
  if (response.statusCode !== 201) throw new Error(`reservation refused: ${response.body}`);
  return { reservationId: response.json().reservationId as string, orderId };
}

/** The stored stock document, with its counters and holds. */
export async function stockDoc(inventory: InventoryUnderTest, productId: string) {
  const doc = await inventory.service.mongo.db.collection('stock').findOne({ productId });
  if (!doc) return null;
  return { onHand: doc.onHand as number, reserved: doc.reserved as number, available: doc.available as number, holds: (doc.holds ?? []) as unknown[] };
}

export async function reservationStatus(inventory: InventoryUnderTest, reservationId: string): Promise<string | undefined> {
  const response = await inventory.service.http.inject({ method: 'GET', url: `/inventory/reservations/${reservationId}`, headers: inventory.headers.admin });
  return response.json().status;
}

/** A plain producer, as payment-service would publish: each call publishes the given envelope as is. */
export function paymentPublisher(t: Hooks, topic: string) {
  const producer = createEventProducer({ brokers: testBrokers(), clientId: 'test-payments', logger: createLogger({ service: 'test', level: 'silent' }) });
  t.after(() => producer.close());
  return {
    envelope(reservationId: string, orderId: string, status: 'success' | 'failure') {
      return createEvent({
        type: status === 'success' ? 'payment.succeeded' : 'payment.failed',
        source: 'payment-service',
        subject: orderId,
        data: {
          paymentId: newId(),
          orderId,
          userId: newId(),
          reservationId,
          amount: 10,
          currency: 'USD',
          method: status === 'success' ? 'card' : 'card_declined',
          status,
          timestamp: new Date().toISOString(),
        },
      });
    },
    publish: (event: ReturnType<typeof createEvent>, key?: string) => producer.publish(topic, event, key ? { key } : {}),
  };
}
