import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '@shop/platform/log';
import { clientAnswering } from '@shop/testing/answering';
import { createInventoryReader } from './inventory.ts';

const productId = '65f0c0ffee0000000000abcd';

function recordingLogger() {
  const warnings: unknown[] = [];
  return { logger: { warn: (fields: unknown) => void warnings.push(fields) } as unknown as Logger, warnings };
}

test('stock is read from inventory-service', async (t) => {
  const { logger } = recordingLogger();
  const reader = createInventoryReader(
    await clientAnswering(t, 'inventory-service', 200, { id: productId, productId, onHand: 5, reserved: 2, available: 3 }),
    logger,
  );
  assert.deepEqual(await reader.stockOf(productId), { onHand: 5, reserved: 2, available: 3 });
});

test('a stock answer in another shape is not shown; the warning names the mismatch (a product page never fails for stock)', async (t) => {
  const { logger, warnings } = recordingLogger();
  const reader = createInventoryReader(await clientAnswering(t, 'inventory-service', 200, { onHand: 5, reserved: 2 }), logger);
  assert.equal(await reader.stockOf(productId), null);
  assert.match(JSON.stringify(warnings), /available/);
});
