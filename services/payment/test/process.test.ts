import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { testEnv } from '@shop/platform/testing/env';
import { startServiceProcess } from '@shop/platform/testing/processes';

test('the payment-service process starts, is ready, documents its routes and stops gracefully', async (t) => {
  const service = await startServiceProcess('payment', testEnv({ KAFKA_GROUP_ID: `payment-test-${randomUUID()}`, LOG_LEVEL: 'info' }));
  t.after(() => service.kill());
  const ready = await fetch(`${service.url}/health/ready`);
  assert.equal(ready.status, 200);
  const spec = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(spec.paths['/payment'] && spec.paths['/payment/{id}'] && spec.paths['/payments']);
  assert.equal((await fetch(`${service.url}/payments`)).status, 401);
  await service.stop();
  assert.equal(service.child.exitCode, 0);
  assert.match(service.output(), /shutting down/);
});
