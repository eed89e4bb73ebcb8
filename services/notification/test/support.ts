import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { topics } from '@shop/contracts';
import type { Principal } from '@shop/platform/auth';
import { createEvent, type EventEnvelope } from '@shop/platform/kafka/envelope';
import { createEventProducer } from '@shop/platform/kafka/producer';
import { createLogger } from '@shop/platform/log';
import type { Platform } from '@shop/platform/service';
import { freshGroupAtEnd } from '@shop/platform/testing/consumer-group';
import { testBrokers, testEnv } from '@shop/platform/testing/env';
import { buildNotificationService } from '../src/app.ts';
import { loadNotificationConfig } from '../src/config.ts';

export type Hooks = Pick<TestContext, 'after'>;

export const newId = () => randomBytes(12).toString('hex');
export const uniqueEmail = (label: string) => `${label}-${randomBytes(5).toString('hex')}@example.com`;

/** For what a whole file shares: `after` registered inside a `before` hook would run when that hook ends. */
export function fileScope(register: (fn: () => Promise<void>) => void): Hooks {
  const closers: (() => unknown)[] = [];
  register(async () => {
    for (const close of closers.reverse()) await close();
  });
  return { after: (fn: () => unknown) => void closers.push(fn) } as Hooks;
}

/** A notification-service on the test infrastructure and the given SMTP port, retrying fast; closed after the test. */
export async function startNotificationService(t: Hooks, env: Record<string, string>): Promise<Platform> {
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
  const service = await buildNotificationService(config, { consumerGroup: await freshGroupAtEnd('notification-test', topicsRead) });
  t.after(() => service.close());
  return service;
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

/** A plain Kafka producer, to deliver events as another service would (and to deliver them twice). */
export function startPublisher(t: Hooks) {
  const producer = createEventProducer({ brokers: testBrokers(), clientId: 'notification-test', logger: createLogger({ service: 'test', level: 'silent' }) });
  t.after(() => producer.close());
  return {
    publish: (topic: string, event: EventEnvelope<unknown>) => producer.publish(topic, event),
    event: <T>(type: string, subject: string, data: T) => createEvent({ type, source: 'test', subject, data }),
  };
}

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export const bearer = (service: Platform, principal: Principal) => ({ authorization: `Bearer ${service.auth.issue(principal)}` });
