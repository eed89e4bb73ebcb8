import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '@shop/platform/testing/env';
import { startServiceProcess } from '@shop/platform/testing/processes';

test('the inventory-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM', async (t) => {
  const service = await startServiceProcess('inventory', testEnv({ LOG_LEVEL: 'info', KAFKA_GROUP_ID: `inventory-process-test-${Date.now()}` }));
  t.after(() => service.kill());
  const ready = await fetch(`${service.url}/health/ready`);
  assert.deepEqual(await ready.json(), { status: 'ready', checks: { mongo: 'up', kafka: 'up' } });
  const spec = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(Object.keys(spec.paths).length >= 4, Object.keys(spec.paths).join(', '));
  await service.stop();
  assert.equal(service.child.exitCode, 0);
  assert.match(service.output(), /shutting down/);
});
