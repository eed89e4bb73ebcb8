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
import { buildUserService } from '../../user/src/app.ts';
import { loadUserConfig } from '../../user/src/config.ts';
import { buildCartService } from '../src/app.ts';
import { loadCartConfig } from '../src/config.ts';

type Hooks = Pick<TestContext, 'after'>;

/**
 * Hooks for things a whole file shares (started in `before`): `after` registered inside a
 * `before` hook would run as soon as that hook ends, so closers are kept and run at file end.
 */
export function fileScope(register: (fn: () => Promise<void>) => void): Hooks {
  const closers: (() => unknown)[] = [];
  register(async () => {
    for (const close of closers.reverse()) await close();
  });
  return { after: (fn: () => unknown) => void closers.push(fn) } as Hooks;
}

export const newId = () => randomBytes(12).toString('hex');

/** A cart-service on the test infrastructure with its own database, and a consumer group of its own that starts at the topics' ends; closed after the test. */
export async function startCartService(t: Hooks, env: Record<string, string> = {}): Promise<Platform> {
  const config = loadCartConfig(testEnv(env));
  const groupId = await freshGroupAtEnd('cart-test', [topics.userCreated, topics.userDeleted, topics.orderEvents]);
  const service = await buildCartService(config, { consumerGroup: groupId });
  t.after(() => service.close());
  return service;
}

/** A real user-service in this process, listening on a free port. */
export async function startUserService(t: Hooks): Promise<{ service: Platform; url: string }> {
  const config = loadUserConfig(testEnv({ ADMIN_EMAIL: 'admin@shop.test', ADMIN_PASSWORD: 'admin-password-1', SCRYPT_COST: '1024' }));
  const service = await buildUserService(config);
  t.after(() => service.close());
  return { service, url: await service.listen() };
}

/**
 * A stand-in for product-service's `GET /product/{id}` as the contract defines it (404 for an
 * unknown product, `inventory: null` when inventory is down). product-service is written in
 * parallel; the end-to-end suite runs against the real one.
 */
export async function startProductStandIn(t: Hooks) {
  const products = new Map<string, number | null>();
  const server = createServer((req, res) => {
    const id = /^\/product\/([0-9a-fA-F]{24})$/.exec(req.url ?? '')?.[1]?.toLowerCase();
    const available = id === undefined ? undefined : products.get(id);
    if (req.method !== 'GET' || id === undefined || available === undefined) {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 404, code: 'NOT_FOUND', title: 'Not found' }));
      return;
    }
    const inventory = available === null ? null : { onHand: available, reserved: 0, available };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, name: 'Thing', price: 19.99, currency: 'USD', inventory }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    /** A product with this many units available (null: inventory unknown). */
    add(available: number | null): string {
      const id = newId();
      products.set(id, available);
      return id;
    },
  };
}

/** A plain Kafka producer, to deliver events as another service would (and to deliver them twice). */
export function startPublisher(t: Hooks) {
  const producer = createEventProducer({ brokers: testBrokers(), clientId: 'cart-test-publisher', logger: createLogger({ service: 'test', level: 'silent' }) });
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
