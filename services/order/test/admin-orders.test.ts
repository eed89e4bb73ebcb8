import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { testToken } from '@shop/testing/support';
import { ObjectId } from 'mongodb';
import { buildOrderService } from '../src/app.ts';
import { loadOrderConfig } from '../src/config.ts';
import type { OrderRecord } from '../src/domain/order.ts';
import { createOrderStore } from '../src/store/orders.ts';

test('GET /orders (admin): every customer’s placed orders, newest first, filtered by status; drafts never; customers 403', async (t) => {
  const group = await freshGroupAtEnd('order-admin-test', [topics.orderEvents, topics.paymentEvents, topics.inventoryEvents]);
  const service = await buildOrderService(loadOrderConfig(testEnv({ KAFKA_GROUP_ID: group })));
  t.after(() => service.close());
  const store = createOrderStore(service.mongo.db);
  const at = new Date();
  const order = (status: OrderRecord['status'], step: OrderRecord['step']): OrderRecord => ({
    id: store.newId(),
    userId: new ObjectId().toHexString(),
    items: [],
    totalMinor: 100,
    currency: 'USD',
    address: { line1: 'x', city: 'y', postalCode: '123', country: 'US' },
    paymentMethod: 'card',
    status,
    step,
    facts: {},
    version: 0,
    createdAt: at,
    updatedAt: at,
  });
  const [failed, confirmed, draft] = [order('failed', 'charged'), order('confirmed', 'charged'), order('pending', 'draft')];
  for (const o of [failed, confirmed, draft]) await store.insert(o);

  const as = (role: 'admin' | 'customer') => ({ authorization: `Bearer ${testToken('order-service', { sub: new ObjectId().toHexString(), role })}` });
  const all = await service.http.inject({ url: '/orders', headers: as('admin') });
  assert.equal(all.statusCode, 200, all.body);
  assert.deepEqual(
    all.json().items.map((o: { id: string }) => o.id),
    [confirmed.id, failed.id],
  );
  const onlyConfirmed = await service.http.inject({ url: '/orders?status=confirmed&limit=1', headers: as('admin') });
  assert.deepEqual(
    onlyConfirmed.json().items.map((o: { id: string; status: string }) => [o.id, o.status]),
    [[confirmed.id, 'confirmed']],
  );
  assert.equal((await service.http.inject({ url: '/orders', headers: as('customer') })).statusCode, 403);
  assert.equal((await service.http.inject({ url: '/orders' })).statusCode, 401);
  assert.equal((await service.http.inject({ url: '/orders?status=lost', headers: as('admin') })).statusCode, 400);
});
