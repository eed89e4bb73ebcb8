import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '@shop/testing/env';
import { checkServiceProcess } from '@shop/testing/process-check';

test('the product-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM', (t) =>
  checkServiceProcess(t, 'product', testEnv(), async (_service, paths) => {
    assert.ok(Object.keys(paths).length >= 4, Object.keys(paths).join(', '));
  }));
