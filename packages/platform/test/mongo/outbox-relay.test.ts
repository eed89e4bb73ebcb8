import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDatabase } from '@shop/testing/database';
import { type Document, ObjectId } from 'mongodb';
import { AppError } from '../../src/errors.ts';
import { createEvent } from '../../src/kafka/envelope.ts';
import { createOutboxRelay, type EventPublisher, outboxEntry, pushToOutbox } from '../../src/mongo/outbox.ts';
import { memoryLogger } from '../kafka/helpers.ts';

/** An in-memory stand-in for the producer (the relay's own port): records what it was given. */
function recordingPublisher() {
  const published: string[] = [];
  /** The subjects of each request that went through, in the order they were made. */
  const requests: string[][] = [];
  /** Every request made, through or not. */
  let attempts = 0;
  let failing = false;
  let delayMs = 0;
  /** A subject the broker can never take (as Kafka refuses a message too large), and with it every request that carries it. */
  let refused: string | undefined;
  const publisher: EventPublisher = {
    async publishAll(publications) {
      attempts++;
      if (delayMs > 0) await sleep(delayMs);
      if (failing) throw new Error('broker unreachable');
      if (publications.some(({ event }) => event.subject === refused)) throw new AppError('VALIDATION_FAILED', `${refused} can never be published`);
      requests.push(publications.map(({ event }) => event.subject));
      published.push(...publications.map(({ event }) => event.subject));
    },
  };
  return {
    publisher,
    published,
    requests,
    attempts: () => attempts,
    fail: (on: boolean) => {
      failing = on;
    },
    slow: (ms: number) => {
      delayMs = ms;
    },
    refuse: (subject: string) => {
      refused = subject;
    },
  };
}

const entry = (subject: string) => outboxEntry('things', createEvent({ type: 'thing.changed', source: 'test', subject, data: {} }));

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function setup(t: import('node:test').TestContext, relayOptions: { pollMs: number; retryMs?: number }) {
  const things = (await testDatabase(t)).collection('things');
  const recorder = recordingPublisher();
  const relay = createOutboxRelay({ collections: [things], publisher: recorder.publisher, logger: memoryLogger().logger, ...relayOptions });
  t.after(() => relay.stop());
  /** A document written with events in its outbox, as the stores do. */
  const write = async (...subjects: string[]) => {
    const _id = new ObjectId();
    await things.insertOne({ _id, outbox: subjects.map(entry) });
    return _id.toHexString();
  };
  const pending = async () => things.countDocuments({ 'outbox.0': { $exists: true } });
  return { things, relay, write, pending, ...recorder };
}

test('a kick relays just the kicked document at once; the rest waits for the scan', async (t) => {
  const { relay, write, published, pending } = await setup(t, { pollMs: 60_000 });
  const before = await write('before-start');
  relay.start(); // the start-up scan finds what an earlier process left behind
  await until(() => published.includes('before-start'), 'the start-up scan');
  assert.ok(before);

  const unannounced = await write('never-kicked');
  const kicked = await write('kicked-1', 'kicked-2');
  relay.kick(kicked);
  await until(() => published.includes('kicked-2'), 'the kicked document');
  await sleep(300);
  assert.deepEqual(published, ['before-start', 'kicked-1', 'kicked-2'], 'in order, and nothing scanned');
  assert.equal(await pending(), 1);

  assert.ok(unannounced);
  await relay.flush(); // the safety-net scan (every pollMs)
  assert.deepEqual(published.slice(3), ['never-kicked']);
  assert.equal(await pending(), 0);
});

test('a round publishes in waves: the next entry of every document in one request, each document in its order', async (t) => {
  const { relay, write, requests, pending } = await setup(t, { pollMs: 60_000 });
  await write('a1', 'a2');
  await write('b1');
  await write('c1', 'c2', 'c3');
  await relay.flush();
  assert.deepEqual(
    requests.map((subjects) => [...subjects].sort()),
    [['a1', 'b1', 'c1'], ['a2', 'c2'], ['c3']],
  );
  assert.equal(await pending(), 0);
});

test('a wave holding an entry Kafka can never take goes again one by one: that entry is set aside, the others go on in order', async (t) => {
  const { relay, write, things, requests, published, refuse } = await setup(t, { pollMs: 60_000 });
  await write('a1', 'a2');
  const b = await write('refused', 'b2');
  refuse('refused');
  await relay.flush();
  assert.deepEqual(requests, [['a1'], ['a2', 'b2']], 'the refused wave again one by one, then the next wave');
  assert.deepEqual(published, ['a1', 'a2', 'b2']);
  const setAside = (await things.findOne({ _id: new ObjectId(b) }))?.outboxSetAside as { event: { subject: string }; reason: string }[];
  assert.deepEqual(
    setAside.map(({ event, reason }) => [event.subject, reason]),
    [['refused', 'invalid']],
  );
});

test('a wave that failed with Kafka away stops every document in it: no request one by one, every entry kept in its order', async (t) => {
  const { relay, write, things, published, attempts, fail, pending } = await setup(t, { pollMs: 60_000 });
  const a = await write('a1', 'a2');
  await write('b1');
  fail(true);
  await assert.rejects(relay.flush());
  assert.equal(attempts(), 1, 'one request for the wave, none after it');
  assert.deepEqual(published, []);
  assert.equal(await pending(), 2);
  assert.deepEqual(
    (((await things.findOne({ _id: new ObjectId(a) }))?.outbox ?? []) as { event: { subject: string } }[]).map(({ event }) => event.subject),
    ['a1', 'a2'],
  );
});

test('a kicked document whose events could not go out is retried without waiting for a scan', async (t) => {
  const { relay, write, published, pending, fail } = await setup(t, { pollMs: 60_000, retryMs: 50 });
  relay.start();
  await sleep(100);
  fail(true);
  relay.kick(await write('during-outage'));
  await sleep(300);
  assert.equal(published.length, 0);
  assert.equal(await pending(), 1, 'kept in the outbox while the broker is away');
  fail(false);
  await until(() => published.includes('during-outage'), 'the retry');
  // Removed from the outbox only after the publish was acknowledged: a moment later.
  await until(async () => (await pending()) === 0, 'the entry removed once out');
});

test('a kick that lands while its document is being relayed is not lost', async (t) => {
  const { relay, write, things, published, slow } = await setup(t, { pollMs: 60_000 });
  relay.start();
  await sleep(100);
  slow(200);
  const id = await write('first');
  relay.kick(id);
  await sleep(50); // the relay has read the document and is publishing `first`
  await things.updateOne({ _id: new ObjectId(id) }, pushToOutbox(entry('second')) as Document);
  relay.kick(id);
  await until(() => published.includes('second'), 'the second event, without a scan');
  assert.deepEqual(published, ['first', 'second']);
});

test('a scan that failed is tried again after retryMs, not a whole poll later', async (t) => {
  const { relay, write, published, fail } = await setup(t, { pollMs: 60_000, retryMs: 50 });
  await write('left-behind');
  fail(true);
  relay.start(); // the start-up scan finds it and cannot publish it
  await sleep(200);
  assert.equal(published.length, 0);
  fail(false);
  await until(() => published.includes('left-behind'), 'the scan tried again');
});

test('at rest the relay sets its timer for the next scan, not for every retryMs', async (t) => {
  const { relay } = await setup(t, { pollMs: 2_000, retryMs: 50 });
  const timers = t.mock.method(globalThis, 'setTimeout');
  relay.start();
  await sleep(700);
  const delays = timers.mock.calls.filter((call) => (call.arguments[0] as { name?: string }).name === 'tick').map((call) => call.arguments[1] as number);
  assert.equal(delays.length, 1, `one timer after the start-up scan, set ${delays.length} times (${delays.join(', ')} ms)`);
  assert.ok((delays[0] as number) > 1_000, `the timer waits for the next scan (${delays[0]} ms)`);
});
