import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '@shop/platform/testing/env';
import { freePort, startServiceProcess } from '@shop/platform/testing/processes';

test('the notification-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM (sweeper included)', async (t) => {
  // No SMTP server on that port: whatever it would send fails fast and waits for the sweeper.
  const env = testEnv({ LOG_LEVEL: 'info', SMTP_PORT: String(await freePort()), RETRY_INTERVAL_MS: '100' });
  const service = await startServiceProcess('notification', env);
  t.after(() => service.kill());
  const ready = await fetch(`${service.url}/health/ready`);
  assert.deepEqual(await ready.json(), { status: 'ready', checks: { mongo: 'up', kafka: 'up' } });
  const spec = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(spec.paths['/notifications']);
  assert.equal((await fetch(`${service.url}/notifications`)).status, 401);
  await service.stop();
  assert.equal(service.child.exitCode, 0);
  assert.match(service.output(), /shutting down/);
});
