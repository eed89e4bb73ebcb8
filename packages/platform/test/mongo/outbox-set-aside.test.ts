/**
 * An outbox entry Kafka will never take (too large, a topic that does not exist, not an event)
 * must not hold back every event behind it: the relay sets it aside, counts and logs it, and the
 * rest goes out. On the real broker and database.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDatabase } from '@shop/testing/database';
import { readTopic } from '@shop/testing/kafka-reader';
import { type Collection, ObjectId } from 'mongodb';
import { register } from 'prom-client';
import { createEvent } from '../../src/kafka/envelope.ts';
import { createEventProducer } from '../../src/kafka/producer.ts';
import { ensureTopics, missingTopics } from '../../src/kafka/topics.ts';
import { createOutboxRelay, type OutboxEntry, outboxEntry, type WithOutbox } from '../../src/mongo/outbox.ts';
import { brokers, memoryLogger, unique } from '../kafka/helpers.ts';

const event = (subject: string, data: Record<string, unknown> = {}) => createEvent({ type: 'thing.changed', source: 'test', subject, data });

async function setAsideCount(collection: string, reason: string): Promise<number> {
  const metric = register.getSingleMetric('outbox_set_aside_total');
  const values = (await metric?.get())?.values ?? [];
  return values.find((v) => v.labels.collection === collection && v.labels.reason === reason)?.value ?? 0;
}

/** A relay over `things` on the real broker, retrying every 200 ms; stopped (with its producer) after the test. */
function relayOver(t: TestContext, things: Collection<WithOutbox & { _id: ObjectId }>, topicExists: (topic: string) => Promise<boolean>) {
  const { logger, lines } = memoryLogger();
  const producer = createEventProducer({ brokers, clientId: unique('relay'), logger, retries: 2 });
  t.after(() => producer.close());
  const relay = createOutboxRelay({ collections: [things as unknown as Collection], publisher: producer, logger, pollMs: 60_000, retryMs: 200, topicExists });
  t.after(() => relay.stop());
  return { relay, lines };
}

test('a too-large entry, an entry for an unknown topic and a broken entry are set aside; every other event goes out', async (t) => {
  const topic = unique('outbox-good');
  await ensureTopics({ brokers, clientId: 'test-admin', topics: [topic], withDlq: false });
  const db = await testDatabase(t);
  const name = unique('things');
  const things = db.collection<WithOutbox & { _id: ObjectId }>(name);

  const subject = new ObjectId().toHexString();
  const good = (n: number) => outboxEntry(topic, event(subject, { n }));
  const tooLarge = outboxEntry(topic, event(subject, { blob: 'x'.repeat(1_200_000) })); // above the broker's 1 MiB
  const unknownTopic = outboxEntry(unique('no-such-topic'), event(subject));
  const notAnEvent = { ...good(0), event: { hello: 'world' } } as unknown as OutboxEntry;
  const first = new ObjectId();
  const second = new ObjectId();
  await things.insertMany([
    { _id: first, outbox: [good(1), tooLarge, good(2), unknownTopic, good(3)] },
    { _id: second, outbox: [notAnEvent, good(4)] },
  ]);

  const { relay, lines } = relayOver(t, things, async (name) => (await missingTopics({ brokers, clientId: 'test-admin', topics: [name] })).length === 0);
  relay.start();

  const deadline = Date.now() + 60_000;
  while ((await things.countDocuments({ 'outbox.0': { $exists: true } })) > 0) {
    assert.ok(Date.now() < deadline, `outbox still holds ${JSON.stringify(await things.find({}, { projection: { 'outbox.id': 1 } }).toArray())}`);
    await sleep(100);
  }

  const received = await readTopic(topic, (m) => m.key === subject, { expected: 4, settleMs: 500 });
  assert.deepEqual(received.map((m) => m.event.data.n).sort(), [1, 2, 3, 4], 'every good event, once');

  const asideOf = async (id: ObjectId) => ((await things.findOne({ _id: id }))?.outboxSetAside ?? []).map((e) => [e.id, e.reason]);
  assert.deepEqual(await asideOf(first), [
    [tooLarge.id, 'too_large'],
    [unknownTopic.id, 'unknown_topic'],
  ]);
  assert.deepEqual(await asideOf(second), [[notAnEvent.id, 'invalid']]);
  for (const reason of ['too_large', 'unknown_topic', 'invalid']) assert.equal(await setAsideCount(name, reason), 1, reason);
  assert.equal(lines.filter((line) => /set aside/.test(line.msg)).length, 3, 'one error log each');
});

test('an unknown topic the cluster cannot confirm (broker unreachable) is retried, not set aside', async (t) => {
  const db = await testDatabase(t);
  const things = db.collection<WithOutbox & { _id: ObjectId }>(unique('things'));
  const _id = new ObjectId();
  const entry = outboxEntry(unique('created-later'), event(_id.toHexString()));
  await things.insertOne({ _id, outbox: [entry] });
  const { relay } = relayOver(t, things, async () => {
    throw new Error('broker unreachable');
  });
  await assert.rejects(relay.flush());
  const doc = await things.findOne({ _id });
  assert.deepEqual(
    doc?.outbox?.map((e) => e.id),
    [entry.id],
    'still pending',
  );
  assert.equal(doc?.outboxSetAside, undefined);
});
