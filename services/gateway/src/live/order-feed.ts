import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Consumer, type MessagesStream, stringDeserializer } from '@platformatic/kafka';
import { topics } from '@shop/contracts';
import { backoffDelay, sleep } from '@shop/platform/kafka/retry';
import type { Logger } from '@shop/platform/log';
import { type OrderChange, orderChangeOf } from './order-change.ts';

/**
 * Reads `order-events` for the live streams of this process. The consumer group is this process's
 * own (`<prefix>-<host>-<random>`), so every gateway replica reads every event (in a shared group
 * each would see only its partitions' share). It starts at the end, commits nothing and never
 * dead-letters: a page wants what happens from now on, and the services' own consumers do the
 * bookkeeping. Kafka forgets the group once it is empty and has no offsets.
 */
export async function startOrderFeed(options: { brokers: string[]; groupPrefix: string; logger: Logger; onChange: (change: OrderChange) => void }) {
  const { logger } = options;
  const groupId = `${options.groupPrefix}-${hostname()}-${randomUUID().slice(0, 8)}`;
  const consumer = new Consumer<string, Buffer, string, string>({
    clientId: 'gateway-live',
    groupId,
    bootstrapBrokers: options.brokers,
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    maxWaitTime: 3_000,
    metadataMaxAge: 60_000,
    autocommit: false,
    deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
  consumer.on('error', (err) => logger.warn({ err }, 'live order feed: consumer group error'));
  const closing = new AbortController();
  let stream: MessagesStream<string, Buffer, string, string> | undefined;

  async function open() {
    const opened = await consumer.consume({ topics: [topics.orderEvents], mode: 'latest', autocommit: false });
    opened.on('error', (err) => logger.debug({ err }, 'live order feed: stream error'));
    return opened;
  }

  async function run(): Promise<void> {
    for (let failures = 0; !closing.signal.aborted; ) {
      try {
        stream ??= await open();
        for await (const message of stream) {
          failures = 0;
          const change = orderChangeOf(message.value);
          if (change) options.onChange(change);
        }
      } catch (err) {
        if (!closing.signal.aborted) logger.warn({ err }, 'live order feed: stream ended; reopening');
      }
      stream = undefined;
      if (!closing.signal.aborted) await sleep(backoffDelay({ initialDelayMs: 500, maxDelayMs: 10_000 }, ++failures), closing.signal);
    }
  }

  // The first stream is open (group joined, positions taken) before the gateway says it is ready.
  stream = await open();
  const loop = run();
  logger.info({ groupId }, 'live order feed started');
  return {
    groupId,
    async close(): Promise<void> {
      closing.abort();
      await stream?.close().catch(() => {});
      await loop;
      await consumer.close(true).catch(() => {});
    },
  };
}
