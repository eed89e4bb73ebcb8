import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MongoClient } from 'mongodb';
import { holdFor } from '../src/domain/stock.ts';
import { createReservationStore } from '../src/store/reservations.ts';
import { createStockStore } from '../src/store/stock.ts';
import { eventually, inventoryEnv, newId, startInventoryService, stockDoc } from './support.ts';

test('after a crash, the restarted service repairs half-made reservations and unfinished commits', async (t) => {
  const env = inventoryEnv({ RESERVING_GRACE_SECONDS: '1' });
  const client = await MongoClient.connect(env.MONGO_URI as string);
  t.after(() => client.close());
  const db = client.db(env.MONGO_DB);
  const stock = createStockStore(db);
  const reservations = createReservationStore(db);
  const [p1, p2] = [newId(), newId()];
  await stock.ensure(p1, 5);
  await stock.ensure(p2, 5);

  // The first "process" died (1) after the first of two holds of a reservation, and (2) after
  // moving another reservation to COMMITTED but before turning its hold into a sale.
  const at = new Date();
  const halfMade = { id: newId(), orderId: newId(), status: 'RESERVING' as const, expiresAt: at, createdAt: at, updatedAt: at };
  await reservations.insert({
    ...halfMade,
    items: [
      { productId: p1, quantity: 2 },
      { productId: p2, quantity: 2 },
    ],
  });
  assert.ok(await stock.take(p1, holdFor(halfMade.id, 2)));
  const paid = {
    id: newId(),
    orderId: newId(),
    status: 'RESERVING' as const,
    expiresAt: at,
    createdAt: at,
    updatedAt: at,
    items: [{ productId: p2, quantity: 3 }],
  };
  await reservations.insert(paid);
  assert.ok(await stock.take(p2, holdFor(paid.id, 3)));
  assert.ok(await reservations.move(paid.id, 'RESERVING', 'PENDING'));
  assert.ok(await reservations.move(paid.id, 'PENDING', 'COMMITTED'));

  const inventory = await startInventoryService(t, env);
  await eventually(
    () => Promise.all([stockDoc(inventory, p1), stockDoc(inventory, p2)]),
    ([a, b]) => a?.holds.length === 0 && b?.holds.length === 0,
    8000,
  );
  assert.deepEqual(await stockDoc(inventory, p1), { onHand: 5, reserved: 0, available: 5, holds: [] });
  assert.deepEqual(await stockDoc(inventory, p2), { onHand: 2, reserved: 0, available: 2, holds: [] });
  assert.equal((await reservations.findById(halfMade.id))?.status, 'FAILED');
  const retry = await inventory.service.http.inject({
    method: 'POST',
    url: '/inventory/reserve',
    headers: inventory.headers.service,
    payload: {
      orderId: halfMade.orderId,
      items: [
        { productId: p1, quantity: 2 },
        { productId: p2, quantity: 2 },
      ],
    },
  });
  assert.equal(retry.statusCode, 409, 'the abandoned order holds nothing, and says so');
});
