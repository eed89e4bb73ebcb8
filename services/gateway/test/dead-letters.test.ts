import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { deadLetterEvent } from '@shop/platform/kafka/dead-letter';
import { createEvent } from '@shop/platform/kafka/envelope';
import { createEventProducer } from '@shop/platform/kafka/producer';
import { ensureTopics } from '@shop/platform/kafka/topics';
import { createLogger } from '@shop/platform/log';
import { testBrokers, testEnv } from '@shop/testing/env';
import { readTopic } from '@shop/testing/kafka-reader';
import type { ServiceProcess } from '@shop/testing/processes';
import { fileScope } from '@shop/testing/support';
import { buildUserService } from '../../user/src/app.ts';
import { loadUserConfig } from '../../user/src/config.ts';
import { openStream } from './sse-reader.ts';
import { ADMIN, call, startGateway } from './support.ts';

const scope = fileScope(after);
const topic = `gateway-test-${randomUUID().slice(0, 8)}`;
const dlq = `${topic}.dlq`;
let gateway: ServiceProcess;
let admin: string;
const event = createEvent({ type: 'thing.happened', source: 'test', subject: 'aaaaaaaaaaaaaaaaaaaaaaaa', data: { n: 1 } });

before(async () => {
  // A real user-service to log in with; the gateway's other upstreams are not needed here.
  const users = await buildUserService(loadUserConfig(testEnv({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SCRYPT_COST: '1024' })));
  scope.after(() => users.close());
  const userUrl = await users.listen();
  gateway = await startGateway(scope, { url: { user: userUrl } } as never);
  const login = await call(`${gateway.url}/api/user/login`, { body: ADMIN });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  admin = login.body.token;

  // Two dead letters as a consumer writes them: a valid event its handler rejected, and a value that is no JSON.
  await ensureTopics({ brokers: testBrokers(), clientId: 'gateway-test', topics: [topic] });
  const producer = createEventProducer({ brokers: testBrokers(), clientId: 'gateway-test', logger: createLogger({ service: 'test', level: 'silent' }) });
  scope.after(() => producer.close());
  const letter = (offset: number, key: string, value: string, reason: string) =>
    deadLetterEvent({
      source: 'cart-service',
      topic,
      partition: 1,
      offset,
      key,
      value: Buffer.from(value),
      headers: { traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01` },
      reason,
    });
  // One key, so both land in one partition, in this order.
  await producer.publish(dlq, letter(41, event.subject, JSON.stringify(event), 'rejected by handler: CONFLICT: no such cart'), { key: 'k' });
  await producer.publish(dlq, letter(42, 'bbbbbbbbbbbbbbbbbbbbbbbb', '{not json', 'invalid JSON: Unexpected token'), { key: 'k' });
});

const get = (path: string) => call(`${gateway.url}/api/gateway${path}`, { token: admin });
const replay = (path: string) => call(`${gateway.url}/api/gateway${path}/replay`, { token: admin, method: 'POST' });

test('the DLQ topics with their counts, and their messages page by page', async () => {
  const all = await get('/dead-letters');
  assert.equal(all.status, 200, JSON.stringify(all.body));
  assert.deepEqual(
    all.body.topics.find((t: { topic: string }) => t.topic === dlq),
    { topic: dlq, sourceTopic: topic, count: 2 },
  );
  assert.ok(
    all.body.topics.some((t: { topic: string }) => t.topic === 'order-events.dlq'),
    'the real DLQs are listed too',
  );

  const first = await get(`/dead-letters?topic=${dlq}&limit=1`);
  assert.equal(first.status, 200);
  assert.equal(first.body.items.length, 1);
  const [valid] = first.body.items;
  assert.deepEqual(
    { ...valid, time: undefined, partition: undefined, offset: undefined },
    {
      topic: dlq,
      time: undefined,
      partition: undefined,
      offset: undefined,
      deadLetteredBy: 'cart-service',
      reason: 'rejected by handler: CONFLICT: no such cart',
      original: { topic, partition: 1, offset: 41, key: event.subject },
      eventType: 'thing.happened',
      eventId: event.id,
      replay: null,
    },
  );
  assert.ok(first.body.nextCursor);
  const second = await get(`/dead-letters?topic=${dlq}&limit=1&cursor=${first.body.nextCursor}`);
  assert.equal(second.body.items.length, 1);
  assert.equal(second.body.items[0].reason, 'invalid JSON: Unexpected token');
  assert.equal(second.body.items[0].eventType, null);
  assert.equal(second.body.nextCursor, null);
  assert.equal((await get('/dead-letters?cursor=bogus')).status, 400);
});

test('one dead letter in full; unknown positions are 404', async () => {
  const [valid] = (await get(`/dead-letters?topic=${dlq}`)).body.items;
  const detail = await get(`/dead-letters/${dlq}/${valid.partition}/${valid.offset}`);
  assert.equal(detail.status, 200);
  assert.equal(detail.body.value, JSON.stringify(event));
  assert.equal(detail.body.encoding, 'utf8');
  assert.equal(detail.body.replayable, true);
  assert.match(detail.body.headers.traceparent, /^00-/);
  assert.equal((await get(`/dead-letters/${dlq}/${valid.partition}/999999`)).status, 404);
  assert.equal((await get(`/dead-letters/${topic}/0/0`)).status, 404, 'not a DLQ topic');
  assert.equal((await get(`/dead-letters/${dlq}/0/-1`)).status, 400);
});

test('replay publishes the original event to its topic with its key, once', async () => {
  const [valid, broken] = (await get(`/dead-letters?topic=${dlq}`)).body.items;
  const path = `/dead-letters/${dlq}/${valid.partition}/${valid.offset}`;
  const replayed = await replay(path);
  assert.equal(replayed.status, 200, JSON.stringify(replayed.body));
  assert.equal(replayed.body.replay.status, 'replayed');
  const [message, ...more] = await readTopic(topic, () => true);
  assert.equal(more.length, 0);
  assert.equal(message?.key, event.subject);
  assert.deepEqual(message?.event, event, 'the same event, id included');
  assert.match(message?.headers.traceparent ?? '', new RegExp(`^00-${'ab'.repeat(16)}-`), "the replay joins the original event's trace");

  const again = await replay(path);
  assert.equal(again.status, 409);
  assert.match(again.body.detail, /replayed/);
  assert.equal((await get(path)).body.replay.status, 'replayed', 'the list and the detail show it');
  assert.equal((await get(`/dead-letters?topic=${dlq}`)).body.items[0].replay.status, 'replayed');

  const notAnEvent = await replay(`/dead-letters/${dlq}/${broken.partition}/${broken.offset}`);
  assert.equal(notAnEvent.status, 409);
  assert.match(notAnEvent.body.detail, /no event envelope/);
  assert.equal((await replay(`/dead-letters/${dlq}/${valid.partition}/999999`)).status, 404);
});

test('ten replays of one dead letter at once: one publishes, nine get 409', async () => {
  const producer = createEventProducer({ brokers: testBrokers(), clientId: 'gateway-test', logger: createLogger({ service: 'test', level: 'silent' }) });
  const other = createEvent({ type: 'thing.happened', source: 'test', subject: 'cccccccccccccccccccccccc', data: { n: 2 } });
  await producer.publish(
    dlq,
    deadLetterEvent({
      source: 'cart-service',
      topic,
      partition: 0,
      offset: 7,
      key: other.subject,
      value: Buffer.from(JSON.stringify(other)),
      headers: {},
      reason: 'x',
    }),
    { key: 'k' },
  );
  await producer.close();
  const items = (await get(`/dead-letters?topic=${dlq}`)).body.items as { offset: number; partition: number; eventId: string }[];
  const target = items.find((item) => item.eventId === other.id);
  assert.ok(target);
  const answers = await Promise.all(Array.from({ length: 10 }, () => replay(`/dead-letters/${dlq}/${target.partition}/${target.offset}`)));
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, ...Array(9).fill(409)], gateway.output().slice(-3000));
  const published = await readTopic(topic, (m) => m.event.id === other.id, { settleMs: 2000 });
  assert.equal(published.length, 1);
});

test('SIGTERM with a live stream open: the stream is ended and the gateway exits cleanly', async () => {
  const stream = await openStream(`${gateway.url}/api/gateway/live/orders`, admin);
  await stream.waitFor((f) => f.kind === 'event' && f.event === 'ready');
  await gateway.stop();
  await stream.whenEnded();
  assert.equal(gateway.child.exitCode, 0, gateway.output());
});
