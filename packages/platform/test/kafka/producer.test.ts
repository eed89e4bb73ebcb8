// First: OpenTelemetry must be started before the modules it instruments load.
import '@shop/testing/tracing';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTestSpan } from '@shop/testing/tracing';
import { AppError } from '../../src/errors.ts';
import { createEvent, parseEvent } from '../../src/kafka/envelope.ts';
import { createEventProducer } from '../../src/kafka/producer.ts';
import { ensureTopics } from '../../src/kafka/topics.ts';
import { brokers, countRecords, memoryLogger, readTopic, setup, unique } from './helpers.ts';

describe('event producer', () => {
  it('publishes one envelope with the subject as key and trace headers', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const event = createEvent({ type: 'user.created', source: 'test', subject: 'user-1', data: { userId: 'user-1' } });
    const trace = await inTestSpan(() => producer.publish(topic, event, { headers: { 'x-extra': 'yes' } }));
    assert.equal(producer.isConnected(), true);

    const messages = await readTopic(topic, 1);
    assert.equal(messages.length, 1);
    const [message] = messages as [(typeof messages)[0]];
    assert.equal(message.key, 'user-1');
    assert.equal(message.headers['content-type'], 'application/cloudevents+json');
    assert.equal(message.headers['x-extra'], 'yes');
    const [, traceId, spanId] = (message.headers.traceparent ?? '').split('-');
    assert.equal(traceId, trace.traceId, 'the message continues the current trace');
    assert.notEqual(spanId, trace.spanId, 'as the child span of the publish');
    assert.deepEqual(parseEvent(message.value ?? ''), { ok: true, event });
    assert.equal(await countRecords(topic), 1);
  });

  it('uses the given key, and starts a trace when there is none', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    await producer.publish(topic, createEvent({ type: 'x', source: 'test', subject: 's', data: {} }), { key: 'k' });
    const [message] = await readTopic(topic, 1);
    assert.equal(message?.key, 'k');
    assert.match(message?.headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('never publishes an invalid event', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const bad = { ...createEvent({ type: 'x', source: 'test', subject: 's', data: {} }), id: 'not-a-uuid' };
    await assert.rejects(producer.publish(topic, bad), (error: unknown) => error instanceof AppError && error.code === 'VALIDATION_FAILED');
    assert.equal(await countRecords(topic), 0);
  });

  it('rejects with a retryable error when Kafka is unreachable', async () => {
    const { logger } = memoryLogger();
    const producer = createEventProducer({ brokers: ['127.0.0.1:1'], clientId: 'test', logger, retries: 1, timeoutMs: 500 });
    try {
      await assert.rejects(
        producer.publish('x', createEvent({ type: 'x', source: 'test', subject: 's', data: {} })),
        (error: unknown) => error instanceof AppError && error.code === 'DEPENDENCY_UNAVAILABLE' && error.retryable,
      );
      assert.equal(producer.isConnected(), false);
    } finally {
      await producer.close();
    }
  });

  it('creates topics and their DLQs, and accepts existing ones', async () => {
    const topic = unique('t');
    await ensureTopics({ brokers, clientId: 'test', topics: [topic], partitions: 2 });
    await ensureTopics({ brokers, clientId: 'test', topics: [topic], partitions: 2 });
    assert.equal(await countRecords(`${topic}.dlq`), 0);
  });

  it('gives up on an unreachable broker after the timeout', async () => {
    const started = Date.now();
    await assert.rejects(ensureTopics({ brokers: ['127.0.0.1:1'], clientId: 'test', topics: ['x'], timeoutMs: 1_000 }));
    assert.ok(Date.now() - started < 5_000);
  });
});
