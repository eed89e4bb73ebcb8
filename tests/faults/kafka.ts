import { randomUUID } from 'node:crypto';
import { Consumer, ProduceAcks, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { ensureTopics } from '@shop/platform/kafka/topics';

/** One message as it sits on a topic, value as text. */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Reads `topics` from their beginning up to the end they had when called, with a plain consumer
 * in a throw-away group (independent of every service). Missing topics are created empty first,
 * so a topic nobody wrote to reads as empty instead of failing. Gives up after `timeoutMs`.
 */
export async function readTopics(brokers: string[], topics: string[], timeoutMs = 30_000): Promise<RawMessage[]> {
  await ensureTopics({ brokers, clientId: 'faults-reader', topics, withDlq: false, timeoutMs });
  const consumer = new Consumer({
    groupId: `faults-reader-${randomUUID()}`,
    clientId: 'faults-reader',
    bootstrapBrokers: brokers,
    deserializers: stringDeserializers,
    maxWaitTime: 500,
    timeout: 5_000,
    retries: 3,
  });
  const found: RawMessage[] = [];
  try {
    const ends = await consumer.listOffsets({ topics });
    // What is left to read per "topic/partition": the last offset that existed when we started.
    const pending = new Map<string, bigint>();
    for (const [topic, offsets] of ends)
      offsets.forEach((end, partition) => {
        if (end > 0n) pending.set(`${topic}/${partition}`, end - 1n);
      });
    if (pending.size === 0) return found;
    const stream = await consumer.consume({ topics, mode: 'earliest', autocommit: false, sessionTimeout: 10_000, heartbeatInterval: 500 });
    try {
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`reading ${topics.join(', ')}: ${pending.size} partition(s) not read to their end in ${timeoutMs} ms`)),
          timeoutMs,
        );
        stream.on('error', (error) => {
          clearTimeout(deadline);
          reject(error);
        });
        stream.on('data', (message) => {
          const at = `${message.topic}/${message.partition}`;
          const last = pending.get(at);
          if (last === undefined || message.offset > last) return;
          found.push({
            topic: message.topic,
            partition: message.partition,
            offset: Number(message.offset),
            key: message.key ?? null,
            value: message.value ?? null,
            headers: Object.fromEntries([...(message.headers ?? new Map())].map(([k, v]) => [String(k), String(v)])),
          });
          if (message.offset >= last) pending.delete(at);
          if (pending.size === 0) {
            clearTimeout(deadline);
            resolve();
          }
        });
      });
    } finally {
      await stream.close();
    }
  } finally {
    await consumer.close(true);
  }
  return found;
}

/**
 * Publishes `messages` again, byte for byte (same topic, key, value and headers), with a plain
 * producer: a redelivery as the services would see it after a relay or consumer crash.
 */
export async function republish(brokers: string[], messages: RawMessage[]): Promise<void> {
  const producer = new Producer({
    clientId: 'faults-duplicator',
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
    acks: ProduceAcks.ALL,
    retries: 5,
    timeout: 5_000,
  });
  try {
    for (let i = 0; i < messages.length; i += 100) {
      await producer.send({
        messages: messages.slice(i, i + 100).map((m) => ({
          topic: m.topic,
          ...(m.key === null ? {} : { key: m.key }),
          ...(m.value === null ? {} : { value: m.value }),
          headers: m.headers,
        })),
      });
    }
  } finally {
    await producer.close();
  }
}
