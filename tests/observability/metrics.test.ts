import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Producer, stringSerializers } from '@platformatic/kafka';
import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { createEvent } from '@shop/platform/kafka/envelope';
import { on } from '@shop/platform/kafka/handlers';
import { ensureTopics } from '@shop/platform/kafka/topics';
import { createOutboxRelay, outboxEntry } from '@shop/platform/mongo/outbox';
import { createPlatform, type Platform } from '@shop/platform/service';
import { testBrokers, testEnv } from '@shop/testing/env';
import { Type } from 'typebox';
import { sample } from './prometheus-text.ts';
import { until } from './zipkin.ts';

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function scrape(platform: Platform): Promise<string> {
  const answer = await platform.http.inject({ method: 'GET', url: '/metrics' });
  assert.equal(answer.statusCode, 200);
  return answer.body;
}

/** Polls `/metrics` until `name{labels}` satisfies `accept`; returns the value. */
const metricUntil = (platform: Platform, name: string, labels: Record<string, string>, accept: (value: number | undefined) => boolean, what: string) =>
  until(async () => sample(await scrape(platform), name, labels), accept, 20_000, what);

test('consumer lag, outbox backlog and dead letters move on /metrics, on real Kafka and MongoDB', async (t) => {
  const consumed = unique('metrics-in');
  const relayed = unique('metrics-out'); // created later: until then Kafka refuses the relay's sends
  const group = unique('metrics-group');
  const config = loadConfig(serviceConfigSchema({ PORT: 0, MONGO_DB: 'unused' }, {}), testEnv({ KAFKA_GROUP_ID: group, OUTBOX_POLL_MS: '60000' }));
  const platform = await createPlatform({ name: 'metrics-test', config, topics: [consumed] });
  t.after(() => platform.close());

  // A handler that holds the second event until released: the consumer falls behind.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let handled = 0;
  await platform.startConsumer({
    [consumed]: {
      'thing.happened': on(Type.Object({ n: Type.Integer() }), async (event) => {
        if (event.data.n === 2) await held;
        handled++;
      }),
    },
  });
  const publish = (n: number) => platform.producer.publish(consumed, createEvent({ type: 'thing.happened', source: 'test', subject: 'one-key', data: { n } }));

  // Lag: one event handled and committed, then the second is held while five more arrive.
  await publish(1);
  await until(
    async () => handled,
    (n) => n === 1,
    20_000,
    'first event handled',
  );
  // Committed within the consumer's commit interval (500 ms): then nothing is behind.
  await metricUntil(platform, 'kafka_consumer_lag', { group, topic: consumed }, (v) => v === 0, 'first event committed');
  for (let n = 2; n <= 7; n++) await publish(n);
  const behind = await metricUntil(platform, 'kafka_consumer_lag', { group, topic: consumed }, (v) => (v ?? 0) >= 5, 'lag of at least 5');
  assert.ok((behind as number) <= 6, `lag ${behind}: the held event and the five after it`);
  release();
  await metricUntil(platform, 'kafka_consumer_lag', { group, topic: consumed }, (v) => v === 0, 'lag back to 0');
  assert.equal(handled, 7);

  // Dead letter: a message that is no event goes to <topic>.dlq, and is counted.
  const raw = new Producer({ clientId: unique('raw'), bootstrapBrokers: testBrokers(), serializers: stringSerializers });
  t.after(() => raw.close());
  await raw.send({ messages: [{ topic: consumed, key: 'one-key', value: 'not json' }] });
  await metricUntil(platform, 'dead_letters_total', { topic: consumed }, (v) => v === 1, 'one dead letter');

  // Outbox backlog: events waiting while Kafka refuses them (their topic does not exist yet).
  const things = platform.mongo.db.collection('things');
  const entries = [1, 2, 3].map((n) => outboxEntry(relayed, createEvent({ type: 'thing.happened', source: 'test', subject: `thing-${n}`, data: { n } })));
  await things.insertOne({ _id: 'thing-1' as never, outbox: entries });
  // A relay of the platform's own, told the topic is one of the service's: a refusal of it is an
  // outage (a restarting broker), retried until it works, never a reason to set the events aside.
  const relay = createOutboxRelay({
    collections: [things],
    publisher: platform.producer,
    logger: platform.logger,
    pollMs: 60_000,
    topicExists: async () => true,
  });
  relay.start();
  t.after(() => relay.stop());
  relay.kick('thing-1');
  await metricUntil(platform, 'outbox_pending', { collection: 'things' }, (v) => v === 3, 'three events pending');
  const age = await metricUntil(
    platform,
    'outbox_oldest_pending_age_seconds',
    { collection: 'things' },
    (v) => (v ?? 0) >= 1,
    'oldest pending at least 1 s old',
  );
  assert.ok((age as number) < 60, `age ${age} s`);
  // Once the topic exists the relay's retry gets them out, and both gauges fall back to 0.
  await ensureTopics({ brokers: testBrokers(), clientId: unique('admin'), topics: [relayed] });
  await metricUntil(platform, 'outbox_pending', { collection: 'things' }, (v) => v === 0, 'outbox drained');
  assert.equal(sample(await scrape(platform), 'outbox_oldest_pending_age_seconds', { collection: 'things' }), 0);
});
