import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '@shop/testing/env';
import { checkServiceProcess } from '@shop/testing/process-check';
import { freePort } from '@shop/testing/processes';

test('the notification-service process starts, is ready, serves OpenAPI and stops gracefully on SIGTERM (sweeper included)', async (t) => {
  // No SMTP server on that port: whatever it would send fails fast and waits for the sweeper.
  const env = testEnv({ SMTP_PORT: String(await freePort()), RETRY_INTERVAL_MS: '100' });
  await checkServiceProcess(t, 'notification', env, async (service, paths) => {
    assert.ok(paths['/notifications']);
    assert.equal((await fetch(`${service.url}/notifications`)).status, 401);
  });
});
