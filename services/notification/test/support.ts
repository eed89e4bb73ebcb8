import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { topics } from '@shop/contracts';
import type { Platform } from '@shop/platform/service';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import type { Hooks } from '@shop/testing/support';
import { buildNotificationService } from '../src/app.ts';
import { loadNotificationConfig } from '../src/config.ts';

export { bearer, eventually, fileScope, type Hooks, newId, startPublisher } from '@shop/testing/support';

export const uniqueEmail = (label: string) => `${label}-${randomBytes(5).toString('hex')}@example.com`;

/** A notification-service on the test infrastructure and the given SMTP port, retrying fast; closed after the test. */
export async function startNotificationService(t: Hooks, env: Record<string, string>): Promise<Platform & { consumerGroup: string }> {
  const config = loadNotificationConfig(
    testEnv({
      SMTP_HOST: '127.0.0.1',
      RETRY_INTERVAL_MS: '200',
      RETRY_BACKOFF_MS: '200',
      RETRY_BACKOFF_MAX_MS: '800',
      SMTP_TIMEOUT_MS: '3000',
      USER_SERVICE_URL: 'http://127.0.0.1:9',
      ...env,
    }),
  );
  const topicsRead = [topics.userCreated, topics.userDeleted, topics.orderEvents, config.PAYMENT_TOPIC];
  const consumerGroup = await freshGroupAtEnd('notification-test', topicsRead);
  const service = await buildNotificationService(config, { consumerGroup });
  t.after(() => service.close());
  return Object.assign(service, { consumerGroup });
}

/** A stand-in for user-service's `GET /users/{id}` (a fake of an external port), for the address fallback. */
export async function startUserStandIn(t: Hooks) {
  const users = new Map<string, { email: string; name: string }>();
  const server = createServer((req, res) => {
    const id = /^\/users\/([0-9a-f]{24})$/.exec(req.url ?? '')?.[1];
    const user = id ? users.get(id) : undefined;
    if (!req.headers.authorization?.startsWith('Bearer ')) res.writeHead(401).end();
    else if (!id || !user) res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404}');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, ...user, role: 'customer' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, users };
}
