import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { topics } from '@shop/contracts';
import { readTopic } from '@shop/testing/kafka-reader';
import { eventually, fileScope, type Shop, startShop } from './support.ts';

let shop: Shop;
const scope = fileScope(after);
before(async () => {
  shop = await startShop(scope);
});

const stockBecomes = (productId: string, onHand: number, reserved: number) =>
  eventually(`stock ${onHand}/${reserved} of ${productId}`, async () => {
    const level = await shop.stockOf(productId);
    return level?.onHand === onHand && level.reserved === reserved ? level : undefined;
  });

test('an order from the cart is reserved, paid, then confirmed once the stock is committed', async () => {
  const buyer = await shop.customer();
  const a = await shop.productWith(0.1, 10);
  const b = await shop.productWith(0.2, 10);
  await shop.addToCart(buyer, a, 3);
  await shop.addToCart(buyer, b, 1);

  const placed = await shop.place(buyer);
  assert.equal(placed.statusCode, 201, placed.body);
  const order = placed.json();
  assert.equal(order.total, 0.5);
  assert.deepEqual(
    order.items.map((i: { productId: string; quantity: number; price: number }) => [i.productId, i.quantity, i.price]),
    [
      [a, 3, 0.1],
      [b, 1, 0.2],
    ],
  );
  assert.match(order.reservationId, /^[0-9a-f]{24}$/);

  await shop.statusBecomes(order.id, 'confirmed');
  await stockBecomes(a, 7, 0);
  await stockBecomes(b, 9, 0);
  const payments = await shop.paymentsOf(order.id);
  assert.deepEqual(
    payments.map((p: { status: string; amount: number }) => [p.status, p.amount]),
    [['success', 0.5]],
  );
  const events = await readTopic(topics.orderEvents, (m) => m.key === order.id, { expected: 2 });
  assert.deepEqual(
    events.map((m) => m.event.type),
    ['order.created', 'order.confirmed'],
  );
});

test('a declined card fails the order, releases the stock and leaves no successful payment', async () => {
  const buyer = await shop.customer();
  const product = await shop.productWith(12.5, 5);
  await shop.addToCart(buyer, product, 2);
  const placed = await shop.place(buyer, { paymentInfo: 'card_declined' });
  assert.equal(placed.statusCode, 201, placed.body);
  assert.equal(placed.json().status, 'failed');
  assert.equal(placed.json().reason, 'payment failed: card declined');
  await stockBecomes(product, 5, 0);
  assert.deepEqual(
    (await shop.paymentsOf(placed.json().id)).map((p: { status: string }) => p.status),
    ['failure'],
  );
});

test('the same Idempotency-Key, sequentially or in parallel, gives one order and one payment', async () => {
  const product = await shop.productWith(5, 50);
  const buyer = await shop.customer();
  await shop.addToCart(buyer, product, 1);
  const first = await shop.place(buyer, { key: 'checkout-1' });
  const again = await shop.place(buyer, { key: 'checkout-1' });
  assert.deepEqual([first.statusCode, again.statusCode], [201, 200]);
  assert.equal(again.json().id, first.json().id);

  // Another buyer (the first one's cart empties once that order is confirmed) sends four at once.
  const other = await shop.customer();
  await shop.addToCart(other, product, 1);
  const parallel = await Promise.all(Array.from({ length: 4 }, () => shop.place(other, { key: 'checkout-1' })));
  assert.equal(new Set(parallel.map((r) => r.json().id)).size, 1, parallel.map((r) => r.body).join('\n'));
  assert.deepEqual(parallel.map((r) => r.statusCode).sort(), [200, 200, 200, 201]);
  assert.notEqual(parallel[0]?.json().id, first.json().id, 'keys are per user');

  for (const [who, order] of [
    [buyer, first.json()],
    [other, parallel[0]?.json()],
  ] as const) {
    const listed = await shop.orders.http.inject({ method: 'GET', url: `/orders/user/${who.id}`, headers: who.headers });
    assert.deepEqual(
      listed.json().items.map((o: { id: string }) => o.id),
      [order.id],
    );
    await shop.statusBecomes(order.id, 'confirmed');
    assert.equal((await shop.paymentsOf(order.id)).length, 1);
  }
  await stockBecomes(product, 48, 0);
});

test('insufficient stock: 409 naming the items; nothing recorded, reserved or charged, and the same key works once there is stock', async () => {
  const first = await shop.customer();
  const buyer = await shop.customer();
  const plenty = await shop.productWith(1, 10);
  const scarce = await shop.productWith(2, 1);
  await shop.addToCart(first, scarce, 1);
  await shop.addToCart(buyer, plenty, 2);
  await shop.addToCart(buyer, scarce, 1);
  // The first buyer takes the last unit after the second one put it in the cart.
  const taken = await shop.place(first);
  assert.equal(taken.statusCode, 201, taken.body);

  const placed = await shop.place(buyer, { key: 'short-1' });
  assert.equal(placed.statusCode, 409, placed.body);
  assert.equal(placed.json().code, 'INSUFFICIENT_STOCK');
  assert.match(JSON.stringify(placed.json().items), new RegExp(scarce));
  assert.doesNotMatch(JSON.stringify(placed.json().items), new RegExp(plenty));
  await shop.statusBecomes(taken.json().id, 'confirmed');
  await stockBecomes(plenty, 10, 0);
  await stockBecomes(scarce, 0, 0);
  const listed = (await shop.orders.http.inject({ method: 'GET', url: `/orders/user/${buyer.id}`, headers: buyer.headers })).json().items;
  assert.deepEqual(listed, [], 'a refused order leaves nothing behind');

  // Stock comes back: the same key now places the order.
  await shop.setStock(scarce, 1);
  const retried = await shop.place(buyer, { key: 'short-1' });
  assert.equal(retried.statusCode, 201, retried.body);
  await shop.statusBecomes(retried.json().id, 'confirmed');

  // The list shows the newest order first, a page at a time.
  await shop.addToCart(buyer, plenty, 1);
  const second = await shop.place(buyer);
  assert.equal(second.statusCode, 201, second.body);
  const page = await shop.orders.http.inject({ method: 'GET', url: `/orders/user/${buyer.id}?limit=1`, headers: buyer.headers });
  assert.deepEqual([page.json().items[0].id, page.json().nextCursor], [second.json().id, second.json().id]);
  const next = await shop.orders.http.inject({
    method: 'GET',
    url: `/orders/user/${buyer.id}?limit=1&cursor=${page.json().nextCursor}`,
    headers: buyer.headers,
  });
  assert.deepEqual(
    next.json().items.map((o: { id: string }) => o.id),
    [retried.json().id],
  );
});

test('a total beyond the money range: 400 before any stock is held, nothing recorded', async () => {
  const buyer = await shop.customer();
  const yacht = await shop.productWith(60_000_000, 5);
  await shop.addToCart(buyer, yacht, 2);
  const placed = await shop.place(buyer);
  assert.equal(placed.statusCode, 400, placed.body);
  assert.match(placed.json().detail, /exceeds the maximum/);
  assert.deepEqual([(await shop.stockOf(yacht))?.reserved, (await shop.stockOf(yacht))?.available], [0, 5]);
  const listed = (await shop.orders.http.inject({ method: 'GET', url: `/orders/user/${buyer.id}`, headers: buyer.headers })).json().items;
  assert.deepEqual(listed, []);
});

test('empty cart 400, someone else’s order 403, anonymous 401', async () => {
  const buyer = await shop.customer();
  const other = await shop.customer();
  const empty = await shop.place(buyer);
  assert.equal(empty.statusCode, 400);
  const asOther = await shop.orders.http.inject({
    method: 'POST',
    url: '/order',
    headers: other.headers,
    payload: { userId: buyer.id, address: 'nowhere', paymentInfo: 'card' },
  });
  assert.equal(asOther.statusCode, 400, 'the address must be an object');
  const forbidden = await shop.orders.http.inject({
    method: 'POST',
    url: '/order',
    headers: other.headers,
    payload: { userId: buyer.id, address: { line1: 'x', city: 'y', postalCode: '123', country: 'US' }, paymentInfo: 'card' },
  });
  assert.equal(forbidden.statusCode, 403);
  assert.equal((await shop.orders.http.inject({ method: 'GET', url: `/orders/user/${buyer.id}` })).statusCode, 401);
  assert.equal((await shop.orders.http.inject({ method: 'GET', url: `/orders/user/${buyer.id}`, headers: other.headers })).statusCode, 403);
});

test('someone else’s order answers exactly like an unknown one (404), so ids cannot be probed', async () => {
  const buyer = await shop.customer();
  const other = await shop.customer();
  await shop.addToCart(buyer, await shop.productWith(3, 5), 1);
  const placed = await shop.place(buyer);
  assert.equal(placed.statusCode, 201, placed.body);
  const get = (id: string) => shop.orders.http.inject({ method: 'GET', url: `/order/${id}`, headers: other.headers });
  const foreign = await get(placed.json().id);
  const unknown = await get('0123456789abcdef01234567');
  assert.deepEqual([foreign.statusCode, unknown.statusCode], [404, 404]);
  assert.equal(foreign.json().detail, unknown.json().detail);
  assert.equal((await shop.orders.http.inject({ method: 'GET', url: `/order/${placed.json().id}`, headers: buyer.headers })).statusCode, 200);
});
