import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId, reservationStatus, reserve, startInventoryService, stockDoc, stockedProduct } from './support.ts';

test('a two-item reservation whose second item is short leaves the first item untouched', async (t) => {
  const inventory = await startInventoryService(t);
  const plenty = await stockedProduct(inventory, 5);
  const scarce = await stockedProduct(inventory, 1);
  const response = await reserve(inventory, [
    { productId: plenty, quantity: 2 },
    { productId: scarce, quantity: 3 },
  ]);
  assert.equal(response.statusCode, 409);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  assert.deepEqual(response.json().items, [{ productId: scarce, requested: 3, available: 1 }]);
  assert.deepEqual(await stockDoc(inventory, plenty), { onHand: 5, reserved: 0, available: 5, holds: [] });
  assert.deepEqual(await stockDoc(inventory, scarce), { onHand: 1, reserved: 0, available: 1, holds: [] });
});

test('the same orderId returns the same reservation; duplicate lines are merged into one hold', async (t) => {
  const inventory = await startInventoryService(t);
  const productId = await stockedProduct(inventory, 5);
  const orderId = newId();
  const items = [
    { productId, quantity: 1 },
    { productId, quantity: 2 },
  ];
  const [first, second] = await Promise.all([reserve(inventory, items, orderId), reserve(inventory, items, orderId)]);
  assert.equal(first.statusCode, 201, first.body);
  assert.equal(second.statusCode, 201, second.body);
  assert.equal(first.json().reservationId, second.json().reservationId);
  assert.equal(first.json().status, 'PENDING');
  assert.ok(Date.parse(first.json().expiresAt) > Date.now() + 800_000, 'expires after the default 900 s TTL');
  const doc = await stockDoc(inventory, productId);
  assert.deepEqual([doc?.reserved, doc?.available, doc?.holds.length], [3, 2, 1]);

  const view = await inventory.service.http.inject({
    method: 'GET',
    url: `/inventory/reservations/${first.json().reservationId}`,
    headers: inventory.headers.service,
  });
  assert.equal(view.statusCode, 200);
  assert.deepEqual(view.json().items, [{ productId, quantity: 3 }]);
  assert.equal(view.json().orderId, orderId);
  const otherItems = await reserve(inventory, [{ productId, quantity: 1 }], orderId);
  assert.equal(otherItems.statusCode, 409);
  assert.equal(otherItems.json().code, 'CONFLICT');
});

test('only a service credential or an admin may reserve: 401 anonymous, 403 customer', async (t) => {
  const inventory = await startInventoryService(t);
  const productId = await stockedProduct(inventory, 5);
  const payload = { orderId: newId(), items: [{ productId, quantity: 1 }] };
  const anonymous = await inventory.service.http.inject({ method: 'POST', url: '/inventory/reserve', payload });
  const customer = await inventory.service.http.inject({ method: 'POST', url: '/inventory/reserve', headers: inventory.headers.customer, payload });
  const admin = await inventory.service.http.inject({ method: 'POST', url: '/inventory/reserve', headers: inventory.headers.admin, payload });
  assert.deepEqual([anonymous.statusCode, customer.statusCode, admin.statusCode], [401, 403, 201]);
  const asCustomer = await inventory.service.http.inject({
    method: 'GET',
    url: `/inventory/reservations/${admin.json().reservationId}`,
    headers: inventory.headers.customer,
  });
  assert.equal(asCustomer.statusCode, 403);
  assert.equal(await reservationStatus(inventory, admin.json().reservationId), 'PENDING');
  const unknown = await inventory.service.http.inject({ method: 'GET', url: `/inventory/reservations/${newId()}`, headers: inventory.headers.admin });
  assert.equal(unknown.statusCode, 404);
});
