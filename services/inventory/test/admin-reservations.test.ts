import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reserveOk, startInventoryService, stockedProduct } from './support.ts';

test('GET /inventory/reservations (admin): every reservation, newest first, filtered by public status; others 401/403', async (t) => {
  const inventory = await startInventoryService(t);
  const productId = await stockedProduct(inventory, 5);
  const first = await reserveOk(inventory, [{ productId, quantity: 1 }]);
  const second = await reserveOk(inventory, [{ productId, quantity: 2 }]);
  const list = (query: string, headers = inventory.headers.admin) =>
    inventory.service.http.inject({ method: 'GET', url: `/inventory/reservations${query}`, headers });

  const pending = await list('?status=PENDING');
  assert.equal(pending.statusCode, 200, pending.body);
  const ids = pending.json().items.map((r: { reservationId: string }) => r.reservationId);
  assert.deepEqual(ids.slice(0, 2), [second.reservationId, first.reservationId]);
  assert.deepEqual(pending.json().items[0].items, [{ productId, quantity: 2 }]);
  assert.equal((await list('?status=COMMITTED')).json().items.length, 0);
  const page = await list('?limit=1');
  assert.equal(page.json().nextCursor, second.reservationId);
  assert.equal((await list('', inventory.headers.customer)).statusCode, 403);
  assert.equal((await list('', {})).statusCode, 401);
});
