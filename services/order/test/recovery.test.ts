import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventTypes, type ReservationEventData, topics } from '@shop/contracts';
import { unavailable } from '@shop/platform/errors';
import { createServiceClient } from '@shop/platform/http/client';
import { createUserDirectory } from '@shop/platform/http/user-directory';
import { createEvent, type EventEnvelope } from '@shop/platform/kafka/envelope';
import { untilGroupCaughtUp } from '@shop/testing/consumer-group';
import { readTopic } from '@shop/testing/kafka-reader';
import { createCarts, createCatalog, createInventory } from '../src/clients/services.ts';
import { createOrderRules } from '../src/domain/orders.ts';
import type { Payments } from '../src/domain/ports.ts';
import { createOrderStore } from '../src/store/orders.ts';
import { eventually, fileScope, type Shop, startShop } from './support.ts';

let shop: Shop;
const scope = fileScope(after);
before(async () => {
  shop = await startShop(scope, { SWEEP_GRACE_MS: '1500' });
});

/** Publishes as another service would, and waits until order-service has handled every event. */
async function deliver(messages: { topic: string; event: EventEnvelope<unknown>; key: string }[]) {
  for (const { topic, event, key } of messages) await shop.orders.producer.publish(topic, event, { key });
  await untilGroupCaughtUp(shop.orderGroup, [...new Set(messages.map((m) => m.topic))]);
}

/**
 * The real order rules on order-service's database and the real services, with the payment port
 * replaced: what a second order-service process would do if its payment call hung or failed.
 * Its events go out through the running service's outbox relay.
 */
function rulesWithPayments(payments: Payments) {
  const client = (name: string, url: string) =>
    createServiceClient({ name, baseUrl: url, timeoutMs: 3000, serviceToken: () => shop.orders.auth.serviceToken(name) });
  return createOrderRules({
    store: createOrderStore(shop.orders.mongo.db),
    users: createUserDirectory(client('user-service', shop.urls.USER_SERVICE_URL)),
    carts: createCarts(client('cart-service', shop.urls.CART_SERVICE_URL)),
    catalog: createCatalog(client('product-service', shop.urls.PRODUCT_SERVICE_URL)),
    inventory: createInventory(client('inventory-service', shop.urls.INVENTORY_SERVICE_URL)),
    payments,
    logger: { warn: () => {}, info: () => {} },
    eventsQueued: () => {},
    timing: { graceMs: 1500, deadlineMs: 60_000 },
  });
}

const placing = (userId: string) => ({ userId, address: { line1: 'x', city: 'y', postalCode: '123', country: 'US' }, paymentMethod: 'card' });

const reservationBecomes = (reservationId: string, status: string) =>
  eventually<{ orderId: string; items: { productId: string }[] }>(`reservation ${reservationId} to be ${status}`, async () => {
    const response = await shop.stock.http.inject({
      method: 'GET',
      url: `/inventory/reservations/${reservationId}`,
      headers: shop.asOrderService('inventory-service'),
    });
    return response.json().status === status ? response.json() : undefined;
  });

const reservationEvent = (type: string, order: { id: string; reservationId: string }) => {
  const data: ReservationEventData = { reservationId: order.reservationId, orderId: order.id, status: 'X', items: [] };
  return { topic: topics.inventoryEvents, key: order.id, event: createEvent({ type, source: 'inventory-service', subject: order.reservationId, data }) };
};

async function placed(paymentInfo: string) {
  const buyer = await shop.customer();
  await shop.addToCart(buyer, await shop.productWith(3.33, 5), 3);
  const response = await shop.place(buyer, { paymentInfo });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

test('terminal orders never change on redelivered or late events', async () => {
  const confirmed = await placed('card');
  await shop.statusBecomes(confirmed.id, 'confirmed');
  const failed = await placed('card_declined');
  assert.equal(failed.status, 'failed');

  const paymentEvents = await readTopic(shop.paymentTopic, (m) => m.key === confirmed.id || m.key === failed.id, { expected: 2 });
  const original = (orderId: string) => paymentEvents.find((m) => m.key === orderId)?.event as EventEnvelope;
  const lateFailure = { ...original(confirmed.id), id: crypto.randomUUID(), type: eventTypes.paymentFailed };
  lateFailure.data = { ...lateFailure.data, status: 'failure', reason: 'late' };
  await deliver([
    // The same envelopes again (a redelivery), then news that contradicts the final state.
    { topic: shop.paymentTopic, event: original(confirmed.id), key: confirmed.id },
    { topic: shop.paymentTopic, event: original(failed.id), key: failed.id },
    { topic: shop.paymentTopic, event: lateFailure, key: confirmed.id },
    reservationEvent(eventTypes.reservationExpired, confirmed),
    reservationEvent(eventTypes.reservationReleased, confirmed),
    reservationEvent(eventTypes.reservationCommitted, failed),
  ]);

  assert.equal((await shop.getOrder(confirmed.id)).status, 'confirmed');
  assert.equal((await shop.getOrder(failed.id)).status, 'failed');
  const events = await readTopic(topics.orderEvents, (m) => m.key === confirmed.id || m.key === failed.id, { expected: 4 });
  assert.deepEqual(
    events.filter((m) => m.key === confirmed.id).map((m) => m.event.type),
    ['order.created', 'order.confirmed'],
  );
  assert.deepEqual(
    events.filter((m) => m.key === failed.id).map((m) => m.event.type),
    ['order.created', 'order.failed'],
  );
});

test('an order interrupted after reserving (crash while asking for payment) is charged by the sweeper and confirmed', async () => {
  const buyer = await shop.customer();
  const product = await shop.productWith(7, 5);
  await shop.addToCart(buyer, product, 1);
  // A "process" that drafts and reserves with the real code, then dies while asking for payment.
  const crashing = rulesWithPayments({ charge: () => new Promise(() => {}) });
  void crashing.place({ sub: buyer.id, role: 'customer' }, placing(buyer.id));
  const stuck = await eventually('the reserved order', async () => {
    const [order] = (await shop.orders.http.inject({ method: 'GET', url: `/orders/user/${buyer.id}`, headers: buyer.headers })).json().items;
    return order?.reservationId ? order : undefined;
  });
  assert.equal(stuck.status, 'pending');

  // The running order-service's sweeper finds it unpaid past the grace period and charges it: the
  // stock is held, so the order goes on rather than failing.
  await shop.statusBecomes(stuck.id, 'confirmed');
  assert.deepEqual(
    (await shop.paymentsOf(stuck.id)).map((p: { status: string; amount: number }) => [p.status, p.amount]),
    [['success', 7]],
  );
  await reservationBecomes(stuck.reservationId, 'COMMITTED');
  assert.deepEqual([(await shop.stockOf(product))?.onHand, (await shop.stockOf(product))?.reserved], [4, 0]);
});

test('payment-service down halfway: 201 pending (never failed for it), then charged and confirmed once it answers', async () => {
  const buyer = await shop.customer();
  const product = await shop.productWith(4, 3);
  await shop.addToCart(buyer, product, 2);
  const rules = rulesWithPayments({
    charge: async () => {
      throw unavailable('payment-service');
    },
  });
  const { order } = await rules.place({ sub: buyer.id, role: 'customer' }, placing(buyer.id));
  assert.deepEqual([order.status, order.step], ['pending', 'reserved']);
  // The real payment-service is up for the running order-service's sweeper, which charges it.
  await shop.statusBecomes(order.id, 'confirmed');
  assert.equal((await shop.paymentsOf(order.id)).length, 1);
  await eventually('the stock to be taken', async () => ((await shop.stockOf(product))?.onHand === 1 ? true : undefined));
});
