import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { testEnv } from '@shop/testing/env';
import { checkServiceProcess } from '@shop/testing/process-check';

test('the order-service process starts, is ready, documents its routes and stops gracefully', (t) =>
  checkServiceProcess(t, 'order', testEnv({ KAFKA_GROUP_ID: `order-test-${randomUUID()}` }), async (service, paths) => {
    assert.ok(paths['/order'] && paths['/order/{id}'] && paths['/orders/user/{id}']);
    assert.equal((await fetch(`${service.url}/order/0123456789abcdef01234567`)).status, 401);
  }));
