import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { testEnv } from '@shop/testing/env';
import { checkServiceProcess } from '@shop/testing/process-check';

test('the payment-service process starts, is ready, documents its routes and stops gracefully', (t) =>
  checkServiceProcess(t, 'payment', testEnv({ KAFKA_GROUP_ID: `payment-test-${randomUUID()}` }), async (service, paths) => {
    assert.ok(paths['/payment'] && paths['/payment/{id}'] && paths['/payments']);
    assert.equal((await fetch(`${service.url}/payments`)).status, 401);
  }));
