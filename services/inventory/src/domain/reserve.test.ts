import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppError } from '@shop/platform/errors';
import { inMemoryInventory } from './in-memory.ts';
import { createReserve } from './reserve.ts';
import { addsUp } from './stock.ts';

const id = (n: number) => n.toString(16).padStart(24, '0');
const [p1, p2] = [id(1), id(2)];

async function setup(levels: Record<string, number>) {
  const inventory = inMemoryInventory();
  for (const [productId, onHand] of Object.entries(levels)) await inventory.deps.stock.ensure(productId, onHand);
  return { ...inventory, reserve: createReserve(inventory.deps, { replayWaitMs: 100 }) };
}

test('all items are held, and the reservation is PENDING until its expiry', async () => {
  const { reserve, stock, clock } = await setup({ [p1]: 5, [p2]: 5 });
  const reservation = await reserve({
    orderId: id(100),
    items: [
      { productId: p1, quantity: 2 },
      { productId: p2, quantity: 1 },
      { productId: p1, quantity: 1 },
    ],
  });
  assert.equal(reservation.status, 'PENDING');
  assert.equal(reservation.expiresAt.getTime(), clock.now + 60_000);
  assert.deepEqual([stock.get(p1)?.available, stock.get(p1)?.reserved, stock.get(p2)?.available], [2, 3, 4]);
  assert.equal(stock.get(p1)?.holds.length, 1, 'duplicate lines become one hold');
  assert.ok([...stock.values()].every(addsUp));
});

test('a short second item leaves the first untouched and names what is short', async () => {
  const { reserve, stock, reservations } = await setup({ [p1]: 5, [p2]: 1 });
  const error = await reserve({
    orderId: id(101),
    items: [
      { productId: p1, quantity: 2 },
      { productId: p2, quantity: 3 },
    ],
  }).catch((e: AppError) => e);
  assert.equal((error as AppError).status, 409);
  assert.deepEqual((error as AppError).details, { items: [{ productId: p2, requested: 3, available: 1 }] });
  assert.deepEqual([stock.get(p1)?.available, stock.get(p1)?.reserved, stock.get(p1)?.holds], [5, 0, []]);
  assert.equal([...reservations.values()][0]?.status, 'FAILED');
});

test('the same order gets the same reservation; other items for it are refused', async () => {
  const { reserve, stock } = await setup({ [p1]: 5 });
  const input = { orderId: id(102), items: [{ productId: p1, quantity: 2 }] };
  const [first, second] = await Promise.all([reserve(input), reserve(input)]);
  assert.equal(first.id, second.id);
  assert.equal(stock.get(p1)?.reserved, 2);
  await assert.rejects(reserve({ ...input, items: [{ productId: p1, quantity: 1 }] }), (e: AppError) => e.status === 409 && e.code === 'CONFLICT');
});

test('a short order stays short when retried, and an unknown product counts as none available', async () => {
  const { reserve } = await setup({ [p1]: 1 });
  const input = { orderId: id(103), items: [{ productId: id(9), quantity: 1 }] };
  const first = await reserve(input).catch((e: AppError) => e);
  const again = await reserve(input).catch((e: AppError) => e);
  assert.deepEqual((first as AppError).details, { items: [{ productId: id(9), requested: 1, available: 0 }] });
  assert.deepEqual((again as AppError).details, (first as AppError).details);
});

test('many racing orders for one unit each never oversell', async () => {
  const { reserve, stock } = await setup({ [p1]: 10 });
  const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => reserve({ orderId: id(1000 + i), items: [{ productId: p1, quantity: 1 }] })));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
  assert.deepEqual([stock.get(p1)?.available, stock.get(p1)?.reserved, stock.get(p1)?.holds.length], [0, 10, 10]);
});

test('a retry while the first attempt is still being made is told to ask again (503), never refused for stock', async () => {
  const { reserve, stock, deps, clock } = await setup({ [p1]: 5 });
  // The first attempt stalls inside (a slow database) while its caller times out and retries.
  let resume = () => {};
  const stalled = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const take = deps.stock.take.bind(deps.stock);
  deps.stock.take = async (...args) => {
    await stalled;
    return take(...args);
  };
  const input = { orderId: id(104), items: [{ productId: p1, quantity: 2 }] };
  const first = reserve(input);
  const retry = reserve(input).catch((e: AppError) => e);
  await new Promise((resolve) => setTimeout(resolve, 20));
  clock.now += 1_000; // past the retry's wait for the first attempt
  const answer = (await retry) as AppError;
  assert.equal(answer.status, 503);
  assert.equal(answer.code, 'IN_PROGRESS');
  assert.ok(answer.retryable);
  resume();
  assert.equal((await first).status, 'PENDING');
  assert.equal((await reserve(input)).status, 'PENDING', 'asked again, the same reservation');
  assert.equal(stock.get(p1)?.reserved, 2, 'one hold, not two');
});
