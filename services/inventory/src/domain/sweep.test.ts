import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inMemoryInventory } from './in-memory.ts';
import { createReserve } from './reserve.ts';
import { addsUp, holdFor } from './stock.ts';
import { createStockRules } from './stock-rules.ts';
import { createSweep } from './sweep.ts';

const id = (n: number) => n.toString(16).padStart(24, '0');
const [p1, p2] = [id(1), id(2)];

async function setup() {
  const inventory = inMemoryInventory({ ttlMs: 1000, graceMs: 500 });
  await inventory.deps.stock.ensure(p1, 5);
  await inventory.deps.stock.ensure(p2, 5);
  return { ...inventory, reserve: createReserve(inventory.deps), sweep: createSweep(inventory.deps) };
}

test('an unpaid reservation expires after its TTL, its stock comes back and expiry is announced', async () => {
  const { reserve, sweep, stock, clock, reservations, outbox } = await setup();
  const r = await reserve({ orderId: id(10), items: [{ productId: p1, quantity: 3 }] });
  assert.equal((await sweep()).expired, 0);
  clock.now += 1001;
  assert.equal((await sweep()).expired, 1);
  assert.equal(reservations.get(r.id)?.status, 'EXPIRED');
  assert.deepEqual([stock.get(p1)?.available, stock.get(p1)?.reserved], [5, 0]);
  assert.deepEqual(
    outbox.map((e) => e.kind),
    ['reservationExpired'],
  );
});

test('a reservation a crash left half-made is failed after the grace period and its holds come back', async () => {
  const { deps, sweep, stock, clock, reservations } = await setup();
  // The state a crash after the first hold leaves: RESERVING with one of two holds taken.
  const at = new Date(clock.now);
  const rid = id(500);
  const items = [
    { productId: p1, quantity: 2 },
    { productId: p2, quantity: 2 },
  ];
  await deps.reservations.insert({ id: rid, orderId: id(11), status: 'RESERVING', items, expiresAt: at, createdAt: at, updatedAt: at });
  await deps.stock.take(p1, holdFor(rid, 2));
  assert.equal((await sweep()).repaired, 0, 'within the grace period it may still be in progress');
  clock.now += 501;
  assert.equal((await sweep()).repaired, 1);
  assert.equal(reservations.get(rid)?.status, 'FAILED');
  assert.deepEqual([stock.get(p1)?.available, stock.get(p1)?.holds], [5, []]);
});

test('holds whose reservation already ended are settled the way it ended', async () => {
  const { deps, reserve, sweep, stock } = await setup();
  const committed = await reserve({ orderId: id(12), items: [{ productId: p1, quantity: 2 }] });
  const cancelled = await reserve({ orderId: id(13), items: [{ productId: p2, quantity: 1 }] });
  // Crashes right after the status changes, before the stock steps.
  await deps.reservations.move(committed.id, 'PENDING', 'COMMITTED');
  await deps.reservations.move(cancelled.id, 'PENDING', 'CANCELLED');
  await deps.stock.take(p2, holdFor(id(777), 1)); // a hold whose reservation does not exist
  assert.equal((await sweep()).orphanHolds, 3);
  assert.deepEqual([stock.get(p1)?.onHand, stock.get(p1)?.reserved, stock.get(p1)?.available], [3, 0, 3]);
  assert.deepEqual([stock.get(p2)?.onHand, stock.get(p2)?.reserved, stock.get(p2)?.available], [5, 0, 5]);
  assert.equal((await sweep()).orphanHolds, 0);
  assert.ok([...stock.values()].every(addsUp));
});

test('a product deleted while units are held is discontinued and purged once they drain', async () => {
  const { deps, reserve, sweep, stock, clock } = await setup();
  const rules = createStockRules(deps);
  await reserve({ orderId: id(14), items: [{ productId: p1, quantity: 1 }] });
  await rules.productDeleted(p1);
  await rules.productDeleted(p2);
  assert.equal(stock.has(p2), false);
  assert.equal(stock.get(p1)?.discontinued, true);
  assert.equal(await deps.stock.take(p1, holdFor(id(15), 1)), false, 'no new holds on a discontinued product');
  clock.now += 1001;
  const report = await sweep();
  assert.deepEqual([report.expired, report.purged], [1, 1]);
  assert.equal(stock.has(p1), false);
});

test('the sweep runs in two parts: reservations (often) and the stock repair (rarely); each does only its own work', async () => {
  const { deps, reserve, stock, clock, reservations } = await setup();
  const unpaid = await reserve({ orderId: id(20), items: [{ productId: p1, quantity: 1 }] });
  const ended = await reserve({ orderId: id(21), items: [{ productId: p2, quantity: 2 }] });
  await deps.reservations.move(ended.id, 'PENDING', 'CANCELLED'); // a crash before its holds were given back
  clock.now += 1001;

  const stockOnly = await createSweep(deps, 'stock')();
  assert.deepEqual([stockOnly.expired, stockOnly.orphanHolds], [0, 1]);
  assert.equal(reservations.get(unpaid.id)?.status, 'PENDING', 'the stock repair expires nothing');
  assert.deepEqual([stock.get(p2)?.available, stock.get(p2)?.holds], [5, []]);

  await deps.stock.take(p2, holdFor(id(778), 1)); // another orphan hold, for the reservation part to leave alone
  const reservationsOnly = await createSweep(deps, 'reservations')();
  assert.deepEqual([reservationsOnly.expired, reservationsOnly.orphanHolds, reservationsOnly.purged], [1, 0, 0]);
  assert.equal(reservations.get(unpaid.id)?.status, 'EXPIRED');
  assert.equal(stock.get(p2)?.reserved, 1, 'the orphan hold waits for the stock repair');
});
