import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { testEnv } from '@shop/platform/testing/env';
import { startServiceProcess } from '@shop/platform/testing/processes';

test('the order-service process starts, is ready, documents its routes and stops gracefully', async (t) => {
  const service = await startServiceProcess('order', testEnv({ KAFKA_GROUP_ID: `order-test-${randomUUID()}`, LOG_LEVEL: 'info' }));
  t.after(() => service.kill());
  const ready = await fetch(`${service.url}/health/ready`);
  assert.equal(ready.status, 200);
  const spec = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(spec.paths['/order'] && spec.paths['/order/{id}'] && spec.paths['/orders/user/{id}']);
  assert.equal((await fetch(`${service.url}/order/0123456789abcdef01234567`)).status, 401);
  await service.stop();
  assert.equal(service.child.exitCode, 0);
  assert.match(service.output(), /shutting down/);
});
