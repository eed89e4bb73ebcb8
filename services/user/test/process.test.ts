import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '@shop/testing/env';
import { checkServiceProcess } from '@shop/testing/process-check';
import { uniqueEmail } from './support.ts';

test('the user-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM', (t) =>
  checkServiceProcess(t, 'user', testEnv({ ADMIN_PASSWORD: 'admin-password-1', SCRYPT_COST: '1024' }), async (service, paths) => {
    assert.ok(paths['/register'] && paths['/users/{id}']);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    assert.match(metrics, /http_request_duration_seconds/);
    const registered = await fetch(`${service.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      body: JSON.stringify({ name: 'P', email: uniqueEmail('proc'), password: 'password-123' }),
    });
    assert.equal(registered.status, 201);
    assert.match(registered.headers.get('traceparent') ?? '', /^00-0af7651916cd43dd8448eb211c80319c-/);
  }));
