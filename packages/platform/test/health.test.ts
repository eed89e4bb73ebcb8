/**
 * What each health route answers (docs/health.md), on the real broker and database: readiness is
 * the service's own database and its topics; a consumer retrying one message again and again
 * shows in /health/dependencies, naming the partition and since when, without making the service
 * unready.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { testEnv } from '@shop/testing/env';
import { waitUntil } from '@shop/testing/support';
import { loadConfig, serviceConfigSchema } from '../src/config.ts';
import { unavailable } from '../src/errors.ts';
import { createEvent } from '../src/kafka/envelope.ts';
import { createPlatform, type Platform } from '../src/service.ts';
import { memoryLogger, thingHappened, unique } from './kafka/helpers.ts';

async function platformFor(t: import('node:test').TestContext, topic: string, env: Record<string, string> = {}): Promise<Platform> {
  const config = loadConfig(serviceConfigSchema({ PORT: 0, MONGO_DB: 'unused' }, {}), testEnv(env));
  const platform = await createPlatform({ name: unique('health-test'), config, topics: [topic], logger: memoryLogger().logger });
  t.after(async () => {
    await platform.close();
    await platform.mongo.db.dropDatabase().catch(() => {});
  });
  return platform;
}

const get = async (platform: Platform, url: string) => {
  const response = await platform.http.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json() };
};

test('ready means its database answers and its topics exist; live asks nothing; dependencies lists Kafka too', async (t) => {
  const platform = await platformFor(t, unique('health'));
  const instance = `${hostname()}:${process.pid}`;
  assert.deepEqual(await get(platform, '/health/live'), { status: 200, body: { status: 'ok', instance } });
  assert.deepEqual(await get(platform, '/health/ready'), { status: 200, body: { status: 'ready', instance, checks: { mongo: 'up', topics: 'up' } } });
  const dependencies = await waitUntil(
    () => get(platform, '/health/dependencies'),
    (answer) => answer.status === 200,
  );
  assert.deepEqual(dependencies.body, { status: 'ok', checks: { mongo: 'up', topics: 'up', kafka: 'up' }, stuck: [] });
});

test('a consumer retrying the same message shows in /health/dependencies (topic, partition, offset, since); readiness stays up', async (t) => {
  const topic = unique('stuck');
  const platform = await platformFor(t, topic, { KAFKA_CONSUMER_STUCK_AFTER_MS: '500' });
  let attempts = 0;
  await platform.startConsumer(
    {
      [topic]: thingHappened(async () => {
        attempts++;
        throw unavailable('a dependency that never comes back');
      }),
    },
    { groupId: unique('stuck-group') },
  );
  const before = Date.now();
  await platform.producer.publish(topic, createEvent({ type: 'thing.happened', source: 'test', subject: 'one', data: {} }));

  const stuck = await waitUntil(
    () => get(platform, '/health/dependencies'),
    (answer) => answer.body.stuck?.length > 0,
  );
  assert.equal(stuck.status, 503);
  assert.equal(stuck.body.status, 'degraded');
  const [partition] = stuck.body.stuck;
  assert.equal(partition.topic, topic);
  assert.equal(typeof partition.partition, 'number');
  assert.equal(partition.offset, 0);
  assert.ok(Date.parse(partition.since) >= before - 1000 && Date.now() - Date.parse(partition.since) >= 500, partition.since);
  assert.ok(partition.attempts >= 2 && attempts >= 2, `attempts ${partition.attempts}`);
  assert.match(partition.lastError, /DEPENDENCY_UNAVAILABLE/);
  assert.equal(stuck.body.checks['kafka-consumer'], 'up', 'connected, just stuck');
  assert.equal((await get(platform, '/health/ready')).status, 200, 'a stuck consumer does not take the service out of the load balancer');
});
