import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { testEnv } from '@shop/testing/env';
import type { ServerHeartbeatStartedEvent } from 'mongodb';
import { connectMongo } from '../../src/mongo/connect.ts';
import { memoryLogger } from '../kafka/helpers.ts';

// The hang itself (a monitor check that never ends after FerretDB went away) could not be provoked
// on demand, so the test plays the driver's part of it: it announces a check that never ends, on
// the real client against the real server, and checks that the client is rebuilt and that a
// collection taken before the reconnect still works afterwards.
test('a monitor check that never ends gets the client reconnected, and old handles keep working', async (t) => {
  const { MONGO_URI, MONGO_DB } = testEnv();
  const { logger, lines } = memoryLogger();
  const mongo = await connectMongo({ uri: MONGO_URI, dbName: MONGO_DB, logger, stuckCheckMs: 300 });
  t.after(async () => {
    await mongo.db.dropDatabase().catch(() => {});
    await mongo.close();
  });
  const items = mongo.db.collection('items');
  await items.insertOne({ name: 'before' });

  const reopened = once(mongo.client, 'topologyOpening', { signal: AbortSignal.timeout(10_000) });
  const address = MONGO_URI.replace('mongodb://', '');
  mongo.client.emit('serverHeartbeatStarted', { connectionId: address, awaited: false } as ServerHeartbeatStartedEvent);
  await reopened;

  await items.insertOne({ name: 'after' });
  assert.deepEqual(
    (await items.find({}, { projection: { _id: 0 } }).toArray()).map((doc) => doc.name),
    ['before', 'after'],
  );
  assert.equal(await mongo.ping(), true);
  assert.ok(
    lines.some((line) => line.msg.includes('never ended')),
    'the reconnect is logged',
  );
});

test('checks that end in time never trigger a reconnect', async (t) => {
  const { MONGO_URI, MONGO_DB } = testEnv();
  const { logger, lines } = memoryLogger();
  // Real checks every 100 ms instead of every 10 s, each far shorter than the 300 ms limit.
  const mongo = await connectMongo({ uri: `${MONGO_URI}/?heartbeatFrequencyMS=100`, dbName: MONGO_DB, logger, stuckCheckMs: 300 });
  t.after(() => mongo.close());
  let reopened = false;
  let checks = 0;
  mongo.client.on('topologyOpening', () => {
    reopened = true;
  });
  mongo.client.on('serverHeartbeatSucceeded', () => checks++);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  assert.ok(checks >= 5, `the monitor checked ${checks} times`);
  assert.equal(reopened, false);
  assert.ok(!lines.some((line) => line.msg.includes('never ended')));
});
