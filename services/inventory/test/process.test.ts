import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { startOrderStandIn } from '@shop/testing/order-stand-in';
import { checkServiceProcess } from '@shop/testing/process-check';

test('the inventory-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM', async (t) => {
  // The order events of other tests on the shared Kafka are checked with order-service: a stand-in knowing none.
  const orders = await startOrderStandIn(t);
  await checkServiceProcess(
    t,
    'inventory',
    testEnv({
      KAFKA_GROUP_ID: await freshGroupAtEnd('inventory-process-test', [topics.productEvents, topics.orderEvents, topics.paymentEvents]),
      ORDER_SERVICE_URL: orders.url,
    }),
    async (_service, paths) => {
      assert.ok(Object.keys(paths).length >= 4, Object.keys(paths).join(', '));
    },
  );
});
