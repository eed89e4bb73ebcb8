import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '@shop/testing/env';
import { checkServiceProcess } from '@shop/testing/process-check';

test('the inventory-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM', (t) =>
  checkServiceProcess(t, 'inventory', testEnv({ KAFKA_GROUP_ID: `inventory-process-test-${Date.now()}` }), async (_service, paths) => {
    assert.ok(Object.keys(paths).length >= 4, Object.keys(paths).join(', '));
  }));
