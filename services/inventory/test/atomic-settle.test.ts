import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAtomically } from '@shop/platform/mongo/transaction';
import { MongoClient } from 'mongodb';
import { createOnPayment } from '../src/domain/on-payment.ts';
import type { InventoryDeps } from '../src/domain/ports.ts';
import { createRecentReservations } from '../src/domain/recent.ts';
import { holdFor } from '../src/domain/stock.ts';
import { createReservationStore } from '../src/store/reservations.ts';
import { createStockStore } from '../src/store/stock.ts';
import { inventoryEnv, newId } from './support.ts';

// A reader of a reservation and then of its product's stock must never find the reservation
// COMMITTED while its units still show as reserved: the status and the holds change in one
// transaction (moveAndSettle). Without it, a reader sees the gap between the two writes. And the
// commits must get through while other checkouts keep taking and giving back units of the same
// product: a transaction that wrote the reservation first conflicted with every one of those
// writes and never committed (the driver gives up after 120 s).
test('a committed reservation is never seen with its stock still held, and commits get through amid concurrent holds', async (t) => {
  const env = inventoryEnv();
  const client = await MongoClient.connect(env.MONGO_URI as string);
  t.after(() => client.close());
  const db = client.db(env.MONGO_DB);
  const deps: InventoryDeps = {
    stock: createStockStore(db),
    reservations: createReservationStore(db),
    catalog: { productExists: async () => true },
    clock: Date.now,
    ttlMs: 60_000,
    graceMs: 5_000,
    eventsQueued: () => {},
    atomically: createAtomically(client),
    recent: createRecentReservations(),
  };
  const productId = newId();
  const count = 40;
  const busy = 4;
  await deps.stock.ensure(productId, count + busy);
  const ids: { id: string; orderId: string }[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date();
    const reservation = {
      id: newId(),
      orderId: newId(),
      status: 'RESERVING' as const,
      items: [{ productId, quantity: 1 }],
      expiresAt: new Date(at.getTime() + 60_000),
      createdAt: at,
      updatedAt: at,
    };
    await deps.reservations.insert(reservation);
    assert.ok(await deps.stock.take(productId, holdFor(reservation.id, 1)));
    assert.ok(await deps.reservations.move(reservation.id, 'RESERVING', 'PENDING'));
    ids.push(reservation);
  }

  const seen: string[] = [];
  let committing = true;
  const reader = (async () => {
    while (committing) {
      for (const { id } of ids) {
        const reservation = await deps.reservations.findById(id);
        if (reservation?.status !== 'COMMITTED') continue;
        const stock = await deps.stock.get(productId);
        if (stock?.holds.some((hold) => hold.reservationId === id)) seen.push(id);
      }
    }
  })();
  // Other checkouts of the same product: a hold taken and given back, over and over.
  const others = Array.from({ length: busy }, async () => {
    const hold = holdFor(newId(), 1);
    while (committing) {
      assert.ok(await deps.stock.take(productId, hold));
      assert.ok(await deps.stock.giveBack(productId, hold));
    }
  });
  const rules = createOnPayment(deps);
  await Promise.all(ids.map(({ id, orderId }) => rules.apply({ reservationId: id, orderId, status: 'success' })));
  committing = false;
  await Promise.all([reader, ...others]);

  assert.deepEqual(seen, [], 'reservations read COMMITTED while their hold was still on the stock');
  const stock = await deps.stock.get(productId);
  assert.deepEqual(
    { onHand: stock?.onHand, reserved: stock?.reserved, available: stock?.available, holds: stock?.holds },
    { onHand: busy, reserved: 0, available: busy, holds: [] },
  );
});
