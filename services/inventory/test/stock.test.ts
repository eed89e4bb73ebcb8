import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventTypes, topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { createEventProducer } from '@shop/platform/kafka/producer';
import { createLogger } from '@shop/platform/log';
import { testBrokers } from '@shop/testing/env';
import { ObjectId } from 'mongodb';
import { eventually, inventoryEnv, knownProducts, newId, reserve, reserveOk, startInventoryService, stockDoc, stockedProduct } from './support.ts';

test('stock records: public read, admin or service writes, and PATCH never makes available negative', async (t) => {
  const inventory = await startInventoryService(t);
  const { http } = inventory.service;
  const productId = await stockedProduct(inventory, 5);
  const read = await http.inject({ method: 'GET', url: `/inventory/${productId}` });
  assert.equal(read.statusCode, 200);
  const { id } = read.json();
  assert.deepEqual(read.json(), { id, productId, onHand: 5, reserved: 0, available: 5 });
  assert.equal(
    (await http.inject({ method: 'POST', url: '/inventory', headers: inventory.headers.admin, payload: { productId, quantity: 1 } })).statusCode,
    409,
  );

  await reserveOk(inventory, [{ productId, quantity: 3 }]);
  const patch = (payload: object, headers = inventory.headers.admin) => http.inject({ method: 'PATCH', url: `/inventory/${id}`, headers, payload });
  assert.equal((await patch({ delta: -3 })).statusCode, 409);
  assert.equal((await patch({ onHand: 2 })).statusCode, 409);
  assert.deepEqual(await stockDoc(inventory, productId), { ...(await stockDoc(inventory, productId)), onHand: 5, reserved: 3, available: 2 });
  const added = await patch({ delta: 4 }, inventory.headers.service);
  assert.deepEqual([added.statusCode, added.json().onHand, added.json().available], [200, 9, 6]);
  const set = await patch({ onHand: 3 });
  assert.deepEqual([set.json().onHand, set.json().reserved, set.json().available], [3, 3, 0]);
  assert.equal((await patch({ delta: 1 }, inventory.headers.customer)).statusCode, 403);
  assert.equal((await http.inject({ method: 'PATCH', url: `/inventory/${id}`, payload: { delta: 1 } })).statusCode, 401);

  assert.equal((await http.inject({ method: 'DELETE', url: `/inventory/${id}`, headers: inventory.headers.admin })).statusCode, 409, 'units are held');
  const free = await stockedProduct(inventory, 1);
  const freeId = (await http.inject({ method: 'GET', url: `/inventory/${free}` })).json().id;
  assert.equal((await http.inject({ method: 'DELETE', url: `/inventory/${freeId}`, headers: inventory.headers.customer })).statusCode, 403);
  assert.equal((await http.inject({ method: 'DELETE', url: `/inventory/${freeId}`, headers: inventory.headers.service })).statusCode, 204);
  assert.equal((await http.inject({ method: 'GET', url: `/inventory/${free}` })).statusCode, 404);
  assert.equal((await http.inject({ method: 'DELETE', url: `/inventory/${freeId}`, headers: inventory.headers.admin })).statusCode, 404);
});

test('many products in one read: the records that exist, each as its own read shows it; a bad id list is a 400', async (t) => {
  const inventory = await startInventoryService(t);
  const { http } = inventory.service;
  const [a, b] = [await stockedProduct(inventory, 5), await stockedProduct(inventory, 2)];
  await reserveOk(inventory, [{ productId: b, quantity: 1 }]);
  const one = async (productId: string) => (await http.inject({ method: 'GET', url: `/inventory/${productId}` })).json();
  const many = await http.inject({ method: 'GET', url: `/inventory?productIds=${[a, b, newId(), a].join(',')}` });
  assert.equal(many.statusCode, 200);
  const byProduct = (items: { productId: string; available: number }[]) => [...items].sort((x, y) => x.productId.localeCompare(y.productId));
  assert.deepEqual(byProduct(many.json().items), byProduct([await one(a), await one(b)]));
  assert.deepEqual(
    byProduct(many.json().items).map((s) => s.available),
    a < b ? [5, 1] : [1, 5],
  );

  const tooMany = Array.from({ length: 101 }, () => newId()).join(',');
  for (const query of ['', '?productIds=', '?productIds=nope', `?productIds=${a},`, `?productIds=${tooMany}`, `?productIds=${a}&other=1`]) {
    const answer = await http.inject({ method: 'GET', url: `/inventory${query}` });
    assert.equal(answer.statusCode, 400, query);
    assert.match(answer.headers['content-type'] as string, /problem\+json/);
  }
});

test('the stock record follows product events: created once (a redelivery never resets it), deleted when its holds drain', async (t) => {
  const inventory = await startInventoryService(t, inventoryEnv({ RESERVATION_TTL_SECONDS: '1' }));
  const producer = createEventProducer({ brokers: testBrokers(), clientId: 'test-products', logger: createLogger({ service: 'test', level: 'silent' }) });
  t.after(() => producer.close());
  const productId = newId();
  const created = createEvent({ type: eventTypes.productCreated, source: 'product-service', subject: productId, data: { productId, stock: 4 } });
  await producer.publish(topics.productEvents, created);
  await eventually(
    () => stockDoc(inventory, productId),
    (d) => d?.onHand === 4,
  );

  const { reservationId } = await reserveOk(inventory, [{ productId, quantity: 1 }]);
  await producer.publish(topics.productEvents, { ...created, id: crypto.randomUUID() });
  const deleted = createEvent({ type: eventTypes.productDeleted, source: 'product-service', subject: productId, data: { productId } });
  await producer.publish(topics.productEvents, deleted);
  const discontinued = await eventually(
    () => inventory.service.http.inject({ method: 'GET', url: `/inventory/${productId}` }).then((r) => r.json()),
    (body) => body.discontinued === true,
  );
  assert.deepEqual([discontinued.onHand, discontinued.reserved, discontinued.available], [4, 1, 3], 'the redelivered product.created reset nothing');
  assert.equal(
    (
      await inventory.service.http.inject({
        method: 'POST',
        url: '/inventory/reserve',
        headers: inventory.headers.service,
        payload: { orderId: newId(), items: [{ productId, quantity: 1 }] },
      })
    ).statusCode,
    409,
  );

  // The hold expires, then the sweep deletes the record.
  await eventually(
    () => inventory.service.http.inject({ method: 'GET', url: `/inventory/${productId}` }).then((r) => r.statusCode),
    (status) => status === 404,
    8000,
  );
  const reservation = await inventory.service.http.inject({ method: 'GET', url: `/inventory/reservations/${reservationId}`, headers: inventory.headers.admin });
  assert.equal(reservation.json().status, 'EXPIRED');
});

test('a stock record is keyed by its product; records written with an id of their own still work', async (t) => {
  const inventory = await startInventoryService(t);
  const { http, mongo } = inventory.service;
  const stock = mongo.db.collection('stock');
  const productId = await stockedProduct(inventory, 3);
  assert.equal((await http.inject({ method: 'GET', url: `/inventory/${productId}` })).json().id, productId);
  assert.ok(await stock.findOne({ _id: new ObjectId(productId) }), 'stored under _id = productId');

  // A record as the first version stored it: an _id of its own.
  const legacyProduct = newId();
  knownProducts.add(legacyProduct);
  const legacyId = new ObjectId();
  const at = new Date();
  await stock.insertOne({ _id: legacyId, productId: legacyProduct, onHand: 2, reserved: 0, available: 2, holds: [], createdAt: at, updatedAt: at });
  const read = await http.inject({ method: 'GET', url: `/inventory/${legacyProduct}` });
  assert.deepEqual(read.json(), { id: legacyId.toHexString(), productId: legacyProduct, onHand: 2, reserved: 0, available: 2 });
  await reserveOk(inventory, [
    { productId: legacyProduct, quantity: 2 },
    { productId, quantity: 1 },
  ]);
  assert.equal((await reserve(inventory, [{ productId: legacyProduct, quantity: 1 }])).statusCode, 409, 'no oversell on an old record');
  assert.deepEqual(await stockDoc(inventory, legacyProduct), {
    onHand: 2,
    reserved: 2,
    available: 0,
    holds: (await stockDoc(inventory, legacyProduct))?.holds,
  });
  const patched = await http.inject({ method: 'PATCH', url: `/inventory/${legacyId.toHexString()}`, headers: inventory.headers.admin, payload: { delta: 1 } });
  assert.equal(patched.json().available, 1);
  assert.equal(
    (await http.inject({ method: 'POST', url: '/inventory', headers: inventory.headers.admin, payload: { productId: legacyProduct, quantity: 1 } })).statusCode,
    409,
    'still one record per product',
  );
});
