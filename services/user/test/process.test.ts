import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '@shop/platform/testing/env';
import { startServiceProcess } from '@shop/platform/testing/processes';
import { uniqueEmail } from './support.ts';

test('the user-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM', async (t) => {
  const service = await startServiceProcess('user', testEnv({ ADMIN_PASSWORD: 'admin-password-1', SCRYPT_COST: '1024', LOG_LEVEL: 'info' }));
  t.after(() => service.kill());
  const ready = await fetch(`${service.url}/health/ready`);
  assert.deepEqual(await ready.json(), { status: 'ready', checks: { mongo: 'up', kafka: 'up' } });
  const spec = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(spec.paths['/register'] && spec.paths['/users/{id}']);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  assert.match(metrics, /http_request_duration_seconds/);
  const registered = await fetch(`${service.url}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    body: JSON.stringify({ name: 'P', email: uniqueEmail('proc'), password: 'password-123' }),
  });
  assert.equal(registered.status, 201);
  assert.match(registered.headers.get('traceparent') ?? '', /^00-0af7651916cd43dd8448eb211c80319c-/);
  await service.stop();
  assert.equal(service.child.exitCode, 0);
  assert.match(service.output(), /shutting down/);
});
