import assert from 'node:assert/strict';
import { test } from 'node:test';
import { remainingMs, withDeadline } from '@shop/platform/deadline';
import type { ServiceClient } from '@shop/platform/http/client';
import type { Logger } from '@shop/platform/log';
import { clientAnswering } from '@shop/testing/answering';
import { createInventoryReader } from './inventory.ts';

const [a, b, c] = ['65f0c0ffee0000000000000a', '65f0c0ffee0000000000000b', '65f0c0ffee0000000000000c'];

function recordingLogger() {
  const warnings: unknown[] = [];
  return { logger: { warn: (fields: unknown) => void warnings.push(fields) } as unknown as Logger, warnings };
}

/** A client of inventory-service that knows a and b, and records each call's path and how much time it was given. */
function inventoryKnowingAAndB() {
  const calls: { path: string; remainingMs: number }[] = [];
  const levels = [
    { productId: a, onHand: 5, reserved: 2, available: 3 },
    { productId: b, onHand: 1, reserved: 0, available: 1 },
  ];
  const client = {
    async get(path: string) {
      calls.push({ path, remainingMs: remainingMs() });
      const ids = new URL(path, 'http://x').searchParams.get('productIds')?.split(',') ?? [];
      return { items: levels.filter((level) => ids.includes(level.productId)) };
    },
  } as unknown as ServiceClient;
  return { client, calls };
}

test('stock is read from inventory-service; a product without a stock record has none', async (t) => {
  const { logger } = recordingLogger();
  const reader = createInventoryReader(
    await clientAnswering(t, 'inventory-service', 200, { items: [{ productId: a, onHand: 5, reserved: 2, available: 3 }] }),
    logger,
  );
  assert.deepEqual(await reader.stockOf(a), { onHand: 5, reserved: 2, available: 3 });
  assert.equal(await reader.stockOf(b), null);
});

test('reads that arrive together share one call, each id once; later reads make calls of their own', async () => {
  const { client, calls } = inventoryKnowingAAndB();
  const reader = createInventoryReader(client, recordingLogger().logger);
  const together = await Promise.all([reader.stockOf(a), reader.stockOf(b), reader.stockOf(c), reader.stockOf(a)]);
  assert.deepEqual(together, [
    { onHand: 5, reserved: 2, available: 3 },
    { onHand: 1, reserved: 0, available: 1 },
    null,
    { onHand: 5, reserved: 2, available: 3 },
  ]);
  assert.deepEqual(
    calls.map((call) => call.path),
    [`/inventory?productIds=${a},${b},${c}`],
  );
  assert.deepEqual(await reader.stockOf(b), { onHand: 1, reserved: 0, available: 1 });
  assert.equal(calls.length, 2, 'nothing is cached');
});

test('the shared call gets the most time any of its reads has left', async () => {
  const { client, calls } = inventoryKnowingAAndB();
  const reader = createInventoryReader(client, recordingLogger().logger);
  const now = Date.now();
  await Promise.all([withDeadline(now + 200, () => reader.stockOf(a)), withDeadline(now + 5_000, () => reader.stockOf(b))]);
  assert.equal(calls.length, 1);
  assert.ok((calls[0]?.remainingMs ?? 0) > 4_000, `${calls[0]?.remainingMs} ms`);
});

test('a stock answer in another shape is not shown; the warning names the mismatch (a product page never fails for stock)', async (t) => {
  const { logger, warnings } = recordingLogger();
  const reader = createInventoryReader(await clientAnswering(t, 'inventory-service', 200, { items: [{ productId: a, onHand: 5, reserved: 2 }] }), logger);
  assert.deepEqual(await Promise.all([reader.stockOf(a), reader.stockOf(b)]), [null, null]);
  assert.equal(warnings.length, 1, 'one warning for the shared call');
  assert.match(JSON.stringify(warnings), /available/);
});
