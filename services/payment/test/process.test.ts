import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { checkServiceProcess } from '@shop/testing/process-check';

test('the payment-service process starts, is ready, documents its routes and stops gracefully', async (t) => {
  // From the topics' ends: the shared test Kafka's closed orders would each be checked with order-service.
  const group = await freshGroupAtEnd('payment-process-test', [topics.paymentEvents, topics.inventoryEvents, topics.orderEvents]);
  await checkServiceProcess(t, 'payment', testEnv({ KAFKA_GROUP_ID: group }), async (service, paths) => {
    assert.ok(paths['/payment'] && paths['/payment/{id}'] && paths['/payments']);
    assert.equal((await fetch(`${service.url}/payments`)).status, 401);
  });
});
