import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventTypes, type OrderEventData, topics } from '@shop/contracts';
import type { EventEnvelope } from '@shop/platform/kafka/envelope';
import type { Platform } from '@shop/platform/service';
import { untilGroupCaughtUp } from '@shop/testing/consumer-group';
import { readTopic } from '@shop/testing/kafka-reader';
import { createCartStore } from '../src/store/carts.ts';
import { bearer, eventually, fileScope, newId, startCartService, startPublisher } from './support.ts';

const hooks = fileScope(after);
let service: Platform & { consumerGroup: string };
let publisher: ReturnType<typeof startPublisher>;

before(async () => {
  service = await startCartService(hooks);
  publisher = startPublisher(hooks);
});

const carts = () => service.mongo.db.collection('carts');
const admin = () => bearer(service, { sub: 'admin', role: 'admin' });
const getCart = (userId: string) => service.http.inject({ method: 'GET', url: `/cart/${userId}`, headers: admin() });

/** An order of `lines` (productId, units), each unit at 1.5, as order-service announces it confirmed. */
function confirmedOrder(userId: string, lines: [string, number][], cartMark?: string): OrderEventData {
  return {
    orderId: newId(),
    userId,
    status: 'confirmed',
    items: lines.map(([productId, quantity]) => ({ productId, quantity, price: 1.5 })),
    total: 1.5 * lines.reduce((sum, [, quantity]) => sum + quantity, 0),
    currency: 'USD',
    ...(cartMark === undefined ? {} : { cartMark }),
  };
}

/** Delivers `event` twice more (a redelivery is handled again: the handler's write is idempotent); resolves once both were handled. */
async function deliverAgainAndAgain(topic: string, event: EventEnvelope<unknown>): Promise<void> {
  await publisher.publish(topic, event);
  await publisher.publish(topic, event);
  await untilGroupCaughtUp(service.consumerGroup, [topic]);
}

test('user-created makes an empty cart appear within seconds; delivering it again changes nothing', async () => {
  const userId = newId();
  const created = publisher.event(eventTypes.userCreated, userId, { userId, email: `${userId}@example.com`, name: 'Ann' });
  await publisher.publish(topics.userCreated, created);
  const cart = await eventually<{ userId: string; items: unknown[] }>('the cart', async () => {
    const response = await getCart(userId);
    return response.statusCode === 200 ? response.json() : undefined;
  });
  assert.deepEqual(cart.items, []);
  assert.equal(cart.userId, userId);
  const stored = await carts().findOne({ userId });

  await deliverAgainAndAgain(topics.userCreated, created);
  assert.deepEqual(await carts().find({ userId }).toArray(), [stored]);
});

test('order.confirmed takes the ordered units out of the cart, once', async () => {
  const userId = newId();
  const [apple, pear, kiwi] = [newId(), newId(), newId()];
  const store = createCartStore(service.mongo.db);
  await store.open(userId);
  await store.add(userId, apple, 3, { max: 10_000, maxLines: 100 });
  await store.add(userId, pear, 1, { max: 10_000, maxLines: 100 });
  await store.add(userId, kiwi, 1, { max: 10_000, maxLines: 100 });
  const data = confirmedOrder(userId, [
    [apple, 2],
    [pear, 1],
  ]);
  const { orderId } = data;
  // Other order events on the topic leave the cart alone.
  await publisher.publish(topics.orderEvents, publisher.event(eventTypes.orderCreated, orderId, { ...data, status: 'pending' }));
  const confirmed = publisher.event(eventTypes.orderConfirmed, orderId, data);
  await publisher.publish(topics.orderEvents, confirmed);
  const expected = [
    { productId: apple, quantity: 1 },
    { productId: kiwi, quantity: 1 },
  ];
  await eventually('the ordered units to leave the cart', async () => {
    const items = (await getCart(userId)).json().items;
    return items.length === 2 ? items : undefined;
  });
  assert.deepEqual((await getCart(userId)).json().items, expected);

  await deliverAgainAndAgain(topics.orderEvents, confirmed);
  assert.deepEqual((await getCart(userId)).json().items, expected);
  assert.deepEqual((await carts().findOne({ userId }))?.items, { [apple]: 1, [kiwi]: 1 });
});

test('an order.confirmed that arrives after the customer removed a line and put the product back takes out only what the order saw', async () => {
  const userId = newId();
  const [apple, pear] = [newId(), newId()];
  const limits = { max: 10_000, maxLines: 100 };
  const store = createCartStore(service.mongo.db);
  await store.open(userId);
  await store.add(userId, apple, 2, limits);
  await store.add(userId, pear, 2, limits);
  // order-service reads the cart (and its mark) over HTTP when it places the order.
  const placedFrom = (await getCart(userId)).json();
  // Before the confirmation is consumed, the pear line is removed and one pear put back.
  assert.equal((await service.http.inject({ method: 'DELETE', url: `/cart/${userId}/items/${pear}`, headers: admin() })).statusCode, 204);
  await store.add(userId, pear, 1, limits);
  const data = confirmedOrder(
    userId,
    [
      [apple, 1],
      [pear, 2],
    ],
    placedFrom.mark,
  );
  await publisher.publish(topics.orderEvents, publisher.event(eventTypes.orderConfirmed, data.orderId, data));
  const expected = [
    { productId: apple, quantity: 1 },
    { productId: pear, quantity: 1 },
  ];
  await eventually('the ordered apple to leave the cart', async () => {
    const items = (await getCart(userId)).json().items;
    return items.find((item: { productId: string; quantity: number }) => item.productId === apple)?.quantity === 1 ? items : undefined;
  });
  assert.deepEqual((await getCart(userId)).json().items, expected);
});

test('user-deleted removes the cart for good, even before user-created arrived; delivering it again changes nothing', async () => {
  const [userId, lateUser] = [newId(), newId()];
  await publisher.publish(topics.userCreated, publisher.event(eventTypes.userCreated, userId, { userId, email: 'a@example.com', name: 'A' }));
  await eventually('the cart', async () => ((await getCart(userId)).statusCode === 200 ? true : undefined));

  const deleted = publisher.event(eventTypes.userDeleted, userId, { userId });
  await publisher.publish(topics.userDeleted, deleted);
  await eventually('the cart to go', async () => ((await getCart(userId)).statusCode === 404 ? true : undefined));
  await deliverAgainAndAgain(topics.userDeleted, deleted);
  assert.equal((await getCart(userId)).statusCode, 404);

  // Topics are not ordered with each other: a user-created that comes after user-deleted must not bring the cart back.
  await publisher.publish(topics.userDeleted, publisher.event(eventTypes.userDeleted, lateUser, { userId: lateUser }));
  const late = publisher.event(eventTypes.userCreated, lateUser, { userId: lateUser, email: 'b@example.com', name: 'B' });
  await eventually('the tombstone', async () => ((await carts().countDocuments({ userId: lateUser })) === 1 ? true : undefined));
  await publisher.publish(topics.userCreated, late);
  await untilGroupCaughtUp(service.consumerGroup, [topics.userCreated]);
  assert.equal((await getCart(lateUser)).statusCode, 404);
  assert.equal(await carts().countDocuments({ userId: { $in: [userId, lateUser] } }), 2);
});

test('an order.confirmed that breaks the contract is dead-lettered, and consumption goes on', async () => {
  const userId = newId();
  const bad = publisher.event(eventTypes.orderConfirmed, newId(), { orderId: 'nope', userId });
  await publisher.publish(topics.orderEvents, bad);
  await publisher.publish(topics.userCreated, publisher.event(eventTypes.userCreated, userId, { userId, email: 'c@example.com', name: 'C' }));
  await eventually('the next event to be handled', async () => ((await getCart(userId)).statusCode === 200 ? true : undefined));
  const dead = await readTopic(`${topics.orderEvents}.dlq`, (m) => String(m.event.data.value).includes(bad.id));
  // Every cart-service instance under test (each its own group) dead-letters it: at least ours.
  assert.ok(dead.length >= 1);
  for (const message of dead) assert.match(String(message.event.data.reason), /order.confirmed: invalid data: .*\/data\/orderId/);
});
