import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { pino } from 'pino';
import { Type } from 'typebox';
import { createEventConsumer, type EventConsumerOptions } from '../../src/kafka/consumer.ts';
import type { EventRoute, TopicHandler } from '../../src/kafka/handlers.ts';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer.ts';
import { ensureTopics } from '../../src/kafka/topics.ts';
import type { Logger } from '../../src/log.ts';

export const broker = process.env.KAFKA_BROKER ?? '127.0.0.1:19092';
export const brokers = [broker];

/** A name no other test (or test run) uses, so tests can share one broker. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger that keeps its lines in memory, so tests can assert on warnings. */
export function memoryLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** Topics (with DLQs) plus an event producer, all cleaned up after the test. */
export async function setup(t: TestContext, topicCount = 1): Promise<{ topics: string[]; producer: EventProducer }> {
  const topics = Array.from({ length: topicCount }, () => unique('t'));
  await ensureTopics({ brokers, clientId: 'test-admin', topics, partitions: 2 });
  const producer = createEventProducer({ brokers, clientId: unique('producer'), logger: memoryLogger().logger });
  t.after(() => producer.close());
  return { topics, producer };
}

/** Routes the tests' one event type, `thing.happened`, with any data, to `handle`. */
export function thingHappened(handle: EventRoute['handle']): TopicHandler {
  return { 'thing.happened': { schema: Type.Record(Type.String(), Type.Unknown()), handle } };
}

/** Fast group timings for tests: joins and hand-overs in well under a second. */
export const fastGroup = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300, maxWaitTimeMs: 200 };

/** An event consumer with test timings, started, and closed after the test. */
export async function startConsumer(t: TestContext, options: Omit<EventConsumerOptions, 'brokers' | 'clientId' | 'logger'> & { logger?: Logger }) {
  const consumer = createEventConsumer({
    brokers,
    clientId: unique('consumer'),
    logger: memoryLogger().logger,
    retry: { initialDelayMs: 20, maxDelayMs: 100 },
    ...fastGroup,
    ...options,
  });
  t.after(() => consumer.close());
  await consumer.start();
  return consumer;
}

export interface RawMessage {
  key: string | undefined;
  value: string | undefined;
  headers: Record<string, string>;
  partition: number;
  offset: bigint;
}

/** Reads `topic` from the beginning with a throwaway group until `count` messages came (plus `settleMs` for extras). */
export async function readTopic(topic: string, count: number, timeoutMs = 10_000, settleMs = 300): Promise<RawMessage[]> {
  const consumer = new Consumer({
    clientId: unique('reader'),
    groupId: unique('reader'),
    bootstrapBrokers: brokers,
    deserializers: stringDeserializers,
    maxWaitTime: 100,
  });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  const messages: RawMessage[] = [];
  try {
    await new Promise<void>((resolve) => {
      let settle: NodeJS.Timeout | undefined;
      const deadline = setTimeout(resolve, timeoutMs);
      stream.on('data', (m) => {
        messages.push({ key: m.key, value: m.value, headers: Object.fromEntries(m.headers), partition: m.partition, offset: m.offset });
        if (messages.length >= count && !settle) {
          clearTimeout(deadline);
          settle = setTimeout(resolve, settleMs);
        }
      });
    });
  } finally {
    await stream.close();
    await consumer.close(true);
  }
  return messages;
}

/** Total number of records ever written to `topic` (sum of high watermarks). */
export async function countRecords(topic: string): Promise<number> {
  const consumer = new Consumer({ clientId: unique('offsets'), groupId: unique('offsets'), bootstrapBrokers: brokers });
  try {
    const offsets = await consumer.listOffsets({ topics: [topic] });
    return (offsets.get(topic) ?? []).reduce((sum, o) => sum + Number(o), 0);
  } finally {
    await consumer.close();
  }
}

/** Writes raw bytes (not an envelope), as a foreign or broken producer would. */
export async function produceRaw(topic: string, messages: { key?: string; value: string; headers?: Record<string, string> }[]) {
  const producer = new Producer({ clientId: unique('raw'), bootstrapBrokers: brokers, serializers: stringSerializers });
  try {
    await producer.send({ messages: messages.map((m) => ({ topic, ...m })) });
  } finally {
    await producer.close();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
