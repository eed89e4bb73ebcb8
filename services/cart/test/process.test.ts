import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '@shop/testing/env';
import { checkServiceProcess } from '@shop/testing/process-check';

test('the cart-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM', (t) =>
  checkServiceProcess(t, 'cart', testEnv(), async (service, paths) => {
    assert.ok(paths['/cart'] && paths['/cart/{userId}'] && paths['/cart/{userId}/items/{productId}']);
    assert.equal((await fetch(`${service.url}/cart/${'a'.repeat(24)}`)).status, 401);
  }));
