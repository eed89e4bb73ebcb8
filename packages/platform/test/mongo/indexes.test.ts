import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testDatabase } from '@shop/testing/database';
import { testEnv } from '@shop/testing/env';
import { explainingDatabase } from '@shop/testing/explain';
import { waitUntil } from '@shop/testing/support';
import { ObjectId } from 'mongodb';
import { loadConfig, serviceConfigSchema } from '../../src/config.ts';
import { createEvent } from '../../src/kafka/envelope.ts';
import { createDedupStore, DEDUP_TTL_INDEX } from '../../src/mongo/dedup.ts';
import { createOutboxRelay, outboxEntry, outboxScanIndex } from '../../src/mongo/outbox.ts';
import { createPlatform } from '../../src/service.ts';
import { memoryLogger, unique } from '../kafka/helpers.ts';

test('the outbox relay creates its partial scan index, and its scan reads that index, not the collection', async (t) => {
  const queries = await explainingDatabase(t);
  const things = queries.db.collection('things');
  const entry = (subject: string) => outboxEntry('things', createEvent({ type: 'thing.changed', source: 'test', subject, data: {} }));
  await things.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: new ObjectId(), outbox: i % 50 === 0 ? [entry(`pending-${i}`)] : [] })));
  const published: string[] = [];
  const relay = createOutboxRelay({
    collections: [things],
    publisher: { publish: async (_topic, event) => void published.push(event.subject) },
    logger: memoryLogger().logger,
    pollMs: 60_000,
  });
  t.after(() => relay.stop());

  const plan = await queries.assertUses(outboxScanIndex.name, 'find', 'things', () => relay.flush());
  t.diagnostic(`outbox scan: ${plan}`);
  assert.equal(published.length, 6, 'the scan found every pending document');
  const index = (await things.indexes()).find((i) => i.name === outboxScanIndex.name);
  assert.deepEqual(index?.partialFilterExpression, { 'outbox.0': { $exists: true } });
});

test('dedup records expire: a TTL index on `at`, its retention changed in place, an old record deleted by the server', async (t) => {
  const db = await testDatabase(t);
  const dedup = createDedupStore(db);
  const ttl = async () => (await db.collection('processed_events').indexes()).find((i) => i.name === DEDUP_TTL_INDEX);

  await dedup.expireAfter(3600);
  await dedup.expireAfter(3600); // every start runs it again
  assert.deepEqual([(await ttl())?.key, (await ttl())?.expireAfterSeconds], [{ at: 1 }, 3600]);
  await dedup.expireAfter(7200); // the setting changed: collMod, no error
  assert.equal((await ttl())?.expireAfterSeconds, 7200);

  await dedup.remember('fresh');
  await db.collection<{ _id: string; at: Date }>('processed_events').insertOne({ _id: 'old', at: new Date(Date.now() - 3 * 3600_000) });
  // The TTL monitor passes every 60 s by default (MongoDB and secantusd-rs alike); for the test
  // it passes every second. The server's own setting is restored afterwards.
  const admin = db.client.db('admin');
  const { ttlMonitorSleepSecs } = await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 });
  await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
  try {
    // A real mongod finishes the sleep it is in (up to 60 s) before it sees the new period.
    await waitUntil(
      () => dedup.seen('old'),
      (seen) => !seen,
      90_000,
    );
  } finally {
    await admin.command({ setParameter: 1, ttlMonitorSleepSecs });
  }
  assert.equal(await dedup.seen('fresh'), true, 'a record within the retention stays');
});

test('a consumer started by the platform creates the dedup TTL index with DEDUP_RETENTION_SECONDS', async (t) => {
  const topic = unique('dedup-ttl');
  const env = testEnv({ DEDUP_RETENTION_SECONDS: '86400' });
  const config = loadConfig(serviceConfigSchema({ PORT: 0, MONGO_DB: 'unused' }, {}), env);
  const platform = await createPlatform({ name: 'dedup-ttl-test', config, topics: [topic], logger: memoryLogger().logger });
  t.after(async () => {
    await platform.mongo.db.dropDatabase();
    await platform.close();
  });
  await platform.startConsumer({ [topic]: {} }, { groupId: unique('dedup-ttl') });
  const index = (await platform.mongo.db.collection('processed_events').indexes()).find((i) => i.name === DEDUP_TTL_INDEX);
  assert.equal(index?.expireAfterSeconds, 86_400);
});
