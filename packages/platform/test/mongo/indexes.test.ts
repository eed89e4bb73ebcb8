import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainingDatabase } from '@shop/testing/explain';
import { ObjectId } from 'mongodb';
import { createEvent } from '../../src/kafka/envelope.ts';
import { createOutboxRelay, outboxEntry, outboxScanIndex } from '../../src/mongo/outbox.ts';
import { memoryLogger } from '../kafka/helpers.ts';

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
