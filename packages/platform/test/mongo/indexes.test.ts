import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testDatabase } from '@shop/testing/database';
import { explainingDatabase } from '@shop/testing/explain';
import { waitUntil } from '@shop/testing/support';
import { ObjectId } from 'mongodb';
import { createEvent } from '../../src/kafka/envelope.ts';
import { createOutboxRelay, outboxEntry, outboxScanIndex } from '../../src/mongo/outbox.ts';
import { createRateCounter } from '../../src/mongo/rate-counter.ts';
import { memoryLogger } from '../kafka/helpers.ts';

test('the outbox relay creates its partial scan index, and its scan reads that index, not the collection', async (t) => {
  const queries = await explainingDatabase(t);
  const things = queries.db.collection('things');
  const entry = (subject: string) => outboxEntry('things', createEvent({ type: 'thing.changed', source: 'test', subject, data: {} }));
  await things.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: new ObjectId(), outbox: i % 50 === 0 ? [entry(`pending-${i}`)] : [] })));
  const published: string[] = [];
  const relay = createOutboxRelay({
    collections: [things],
    publisher: { publishAll: async (publications) => void published.push(...publications.map(({ event }) => event.subject)) },
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

test('rate-limit windows expire: a TTL index on `expiresAt`, and the server deletes a past window while the current one stays', async (t) => {
  const db = await testDatabase(t);
  const count = createRateCounter(db);
  const windows = db.collection<{ _id: string; count: number; expiresAt: Date }>('rate_limits');
  assert.deepEqual((await count('login:ann', 3_600_000)).current, 1);
  const ttl = (await windows.indexes()).find((i) => i.name === 'expiresAt_ttl');
  assert.deepEqual([ttl?.key, ttl?.expireAfterSeconds], [{ expiresAt: 1 }, 0]);
  await windows.insertOne({ _id: 'login:ann@past', count: 9, expiresAt: new Date(Date.now() - 60_000) });
  // The TTL monitor passes every 60 s by default (MongoDB and secantusd-rs alike); for the test
  // it passes every second. The server's own setting is restored afterwards.
  const admin = db.client.db('admin');
  const { ttlMonitorSleepSecs } = await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 });
  await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
  try {
    // A real mongod finishes the sleep it is in (up to 60 s) before it sees the new period.
    await waitUntil(
      () => windows.countDocuments({ _id: 'login:ann@past' }),
      (left) => left === 0,
      90_000,
    );
  } finally {
    await admin.command({ setParameter: 1, ttlMonitorSleepSecs });
  }
  assert.equal((await count('login:ann', 3_600_000)).current, 2, 'the current window stays and keeps counting');
});
