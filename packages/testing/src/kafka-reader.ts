import { randomUUID } from 'node:crypto';
import { Consumer, stringDeserializers } from '@platformatic/kafka';
import type { EventEnvelope } from '@shop/platform/kafka/envelope';
import { ensureTopics } from '@shop/platform/kafka/topics';
import { testBrokers } from './env.ts';

export interface ReadMessage {
  key: string;
  headers: Record<string, string>;
  event: EventEnvelope;
}

/**
 * An independent reader for tests: a plain Kafka consumer in a throw-away group that reads a
 * topic from the beginning and collects the messages `match` accepts. It resolves after
 * `settleMs` of quiet once `expected` messages were seen (so duplicates would be caught),
 * or when `timeoutMs` runs out.
 */
export async function readTopic(
  topic: string,
  match: (message: ReadMessage) => boolean,
  options: { expected?: number; settleMs?: number; timeoutMs?: number } = {},
): Promise<ReadMessage[]> {
  const expected = options.expected ?? 1;
  await ensureTopics({ brokers: testBrokers(), clientId: 'test-reader', topics: [topic] });
  const consumer = new Consumer({
    groupId: `test-reader-${randomUUID()}`,
    clientId: 'test-reader',
    bootstrapBrokers: testBrokers(),
    deserializers: stringDeserializers,
  });
  const found: ReadMessage[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, sessionTimeout: 10_000, heartbeatInterval: 500 });
    await new Promise<void>((resolve) => {
      let settle: NodeJS.Timeout | undefined;
      const deadline = setTimeout(resolve, options.timeoutMs ?? 15_000);
      stream.on('data', (message) => {
        let event: EventEnvelope;
        try {
          event = JSON.parse(String(message.value));
        } catch {
          return;
        }
        const headers = Object.fromEntries([...(message.headers ?? new Map())].map(([k, v]) => [String(k), String(v)]));
        const read = { key: String(message.key), headers, event };
        if (!match(read)) return;
        found.push(read);
        if (found.length >= expected && !settle) {
          settle = setTimeout(() => {
            clearTimeout(deadline);
            resolve();
          }, options.settleMs ?? 1500);
        }
      });
    });
    await stream.close();
  } finally {
    await consumer.close(true);
  }
  return found;
}
