import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Principal, USER_ISSUER } from '@shop/platform/auth';
import { createEvent, type EventEnvelope } from '@shop/platform/kafka/envelope';
import { createEventProducer } from '@shop/platform/kafka/producer';
import { createLogger } from '@shop/platform/log';
import { testAuth, testBrokers } from './env.ts';

/** What the helpers need of a test: somewhere to register their clean-up. */
export type Hooks = Pick<TestContext, 'after'>;

/** A new 24-hex id, the shape of every id in the shop. */
export const newId = () => randomBytes(12).toString('hex');

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

/** Polls `read` until `done` accepts its value; throws with the last value after `timeoutMs`. */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

/**
 * An Authorization header `service` accepts for `principal`, signed with the test keys the way the
 * real issuer signs it: a user's token as user-service, a service credential as that service,
 * addressed to `service`.
 */
export const bearer = (service: { name: string }, principal: Principal) => ({ authorization: `Bearer ${testToken(service.name, principal)}` });

export function testToken(audience: string, principal: Principal): string {
  return principal.role === 'service' ? testAuth(principal.sub).serviceToken(audience) : testAuth(USER_ISSUER).issue(principal);
}

/** A plain Kafka producer on the test Kafka, to deliver events as another service would (and to deliver them twice); closed after the test. */
export function startPublisher(t: Hooks, clientId = 'test-publisher') {
  const producer = createEventProducer({ brokers: testBrokers(), clientId, logger: createLogger({ service: 'test', level: 'silent' }) });
  t.after(() => producer.close());
  return {
    publish: (topic: string, event: EventEnvelope<unknown>) => producer.publish(topic, event),
    event: <T>(type: string, subject: string, data: T) => createEvent({ type, source: 'test', subject, data }),
  };
}
