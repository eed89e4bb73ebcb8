import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '@shop/platform/testing/env';
import { startServiceProcess } from '@shop/platform/testing/processes';

test('the cart-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM', async (t) => {
  const service = await startServiceProcess('cart', testEnv({ LOG_LEVEL: 'info' }));
  t.after(() => service.kill());
  const ready = await fetch(`${service.url}/health/ready`);
  assert.deepEqual(await ready.json(), { status: 'ready', checks: { mongo: 'up', kafka: 'up' } });
  const spec = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(spec.paths['/cart'] && spec.paths['/cart/{userId}'] && spec.paths['/cart/{userId}/items/{productId}']);
  assert.equal((await fetch(`${service.url}/cart/${'a'.repeat(24)}`)).status, 401);
  await service.stop();
  assert.equal(service.child.exitCode, 0);
  assert.match(service.output(), /shutting down/);
});
