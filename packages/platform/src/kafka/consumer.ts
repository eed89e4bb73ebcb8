import { Consumer, type MessagesStream, stringDeserializer } from '@platformatic/kafka';
import type { Logger } from '../log.ts';
import { within } from '../within.ts';
import { defaultRetry, type RetryOptions, type TopicHandler } from './handlers.ts';
import { trackConsumerLag } from './metrics.ts';
import { createProcessor, type KafkaMessage } from './process.ts';
import type { EventProducer } from './producer.ts';
import { backoffDelay, sleep } from './retry.ts';
import { type KafkaSecurity, kafkaClientOptions } from './settings.ts';
import { createStallTracker, type Stall } from './stalls.ts';

export interface EventConsumerOptions {
  brokers: string[];
  clientId: string;
  /** SASL and TLS (`kafkaSecurity(config)`); none for the local broker. */
  security?: KafkaSecurity;
  groupId: string;
  logger: Logger;
  /** One handler per topic; the consumer subscribes to exactly these topics. */
  handlers: Record<string, TopicHandler>;
  retry?: Partial<RetryOptions>;
  /** Publishes dead letters to `<topic>.dlq`. */
  producer: Pick<EventProducer, 'publish'>;
  /**
   * Group timing. A member that dies unannounced holds its partitions for `sessionTimeoutMs`
   * (default 10 s). The others learn of a rebalance at their next heartbeat, so
   * `heartbeatIntervalMs` (default 3 s, a third of the session as Kafka advises) bounds how late
   * they join one.
   */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  rebalanceTimeoutMs?: number;
  /**
   * Longest a fetch waits at the broker for data (default 3 s). A message ends the wait at once,
   * so this is not a delivery delay; it is how often an idle consumer asks again, and how late
   * partitions newly assigned by a rebalance are first fetched (the client sends no second fetch
   * to a broker while one is waiting there). close() does not wait for it.
   */
  maxWaitTimeMs?: number;
  /** How old the cached cluster metadata may get before a fetch refreshes it (default 60 s); a leadership error refreshes it at once. */
  metadataMaxAgeMs?: number;
  /**
   * How long a finished message's offset may wait to be committed (default 500 ms): the offsets
   * finished meanwhile go in one commit. A crash loses at most that much, which comes again.
   */
  commitIntervalMs?: number;
}

export interface EventConsumer {
  start(): Promise<void>;
  close(): Promise<void>;
  isConnected(): boolean;
  /** Partitions whose current message has kept failing for at least `minMs`. */
  stalls(minMs?: number): Stall[];
}

type Stream = MessagesStream<string, Buffer, string, string>;

/** A consumer that commits a message only once it was handled, dead-lettered or skipped. */
export function createEventConsumer(options: EventConsumerOptions): EventConsumer {
  const { logger } = options;
  const retry = { ...defaultRetry, ...options.retry };
  const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
  const client = new Consumer<string, Buffer, string, string>({
    ...kafkaClientOptions(options),
    groupId: options.groupId,
    sessionTimeout,
    heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
    rebalanceTimeout: options.rebalanceTimeoutMs ?? Math.max(sessionTimeout, 15_000),
    maxWaitTime: options.maxWaitTimeMs ?? 3_000,
    // The client's default (5 s) made every idle fetch round also a metadata request.
    metadataMaxAge: options.metadataMaxAgeMs ?? 60_000,
    // Keep the prefetch small: buffered messages are dropped (and refetched) on close and rebalance.
    highWaterMark: 64,
    maxBytes: 5 * 1024 * 1024,
    autocommit: false,
    deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
  // Without a listener a failed background rejoin would be an uncaught 'error' event.
  client.on('error', (err) => logger.error({ err }, 'Kafka consumer group error'));

  const closing = new AbortController();
  const topics = Object.keys(options.handlers);
  const owns = (topic: string, partition: number) => client.assignments?.some((a) => a.topic === topic && a.partitions.includes(partition)) ?? true;
  const stallTracker = createStallTracker();
  const processMessage = createProcessor({ ...options, retry, signal: closing.signal, owns, stalls: stallTracker });

  // Highest offset finished per partition. After a rebalance the stream refetches from the last
  // commit, so messages already handled here come again; this skips them.
  const finished = new Map<string, number>();
  let stream: Stream | undefined;
  let inFlight: Promise<void> | undefined;
  let loop: Promise<void> | undefined;
  let untrackLag: (() => void) | undefined;
  // Finished, not yet committed: the last message per partition. Committing every message was an
  // OffsetCommit request per message for the broker (most of its work per event, with the
  // fetches); a few per second per consumer do the same job. A crash or a lost partition in
  // between means those messages come again, which handlers are built for.
  const toCommit = new Map<string, KafkaMessage>();
  let commitTimer: NodeJS.Timeout | undefined;
  const commitIntervalMs = options.commitIntervalMs ?? 500;
  function commitFinished(): Promise<unknown> {
    clearTimeout(commitTimer);
    commitTimer = undefined;
    // A partition moved elsewhere meanwhile is its new owner's to commit.
    const messages = [...toCommit.values()].filter((message) => owns(message.topic, message.partition));
    toCommit.clear();
    // The client merges these into one request (one commit in flight, offsets queued meanwhile go next).
    return Promise.all(
      messages.map((message) =>
        Promise.resolve(message.commit()).catch((err: unknown) => {
          // A later commit covers this one; a lost membership also restarts the stream, which refetches.
          logger.warn({ err, topic: message.topic, partition: message.partition, offset: Number(message.offset) }, 'Kafka commit failed');
        }),
      ),
    );
  }
  let lastSign = 0;
  client.on('consumer:group:join', () => {
    lastSign = Date.now();
  });
  client.on('consumer:heartbeat:end', () => {
    lastSign = Date.now();
  });

  async function open(): Promise<Stream> {
    const opened = await client.consume({ topics, mode: 'committed', fallbackMode: 'earliest', autocommit: false });
    // run() reports the failure; this only keeps a late error off the uncaught path.
    opened.on('error', (err) => logger.debug({ err }, 'Kafka consumer stream error'));
    return opened;
  }

  async function handle(message: KafkaMessage): Promise<void> {
    if (!owns(message.topic, message.partition)) return; // revoked while buffered: the new owner reads it
    const key = `${message.topic}:${message.partition}`;
    const offset = Number(message.offset);
    if (offset > (finished.get(key) ?? -1)) {
      const outcome = await processMessage(message);
      if (outcome === 'aborted' || outcome === 'revoked') return;
      finished.set(key, offset);
    }
    toCommit.set(key, message);
    commitTimer ??= setTimeout(commitFinished, commitIntervalMs);
  }

  async function run(): Promise<void> {
    for (let failures = 0; !closing.signal.aborted; ) {
      try {
        if (!stream) stream = await open();
        for await (const message of stream) {
          if (closing.signal.aborted) break;
          inFlight = handle(message as KafkaMessage);
          await inFlight;
          inFlight = undefined;
          failures = 0;
        }
      } catch (err) {
        if (!closing.signal.aborted) logger.warn({ err }, 'Kafka consumer stream ended; reopening');
      }
      stream = undefined;
      if (!closing.signal.aborted) await sleep(backoffDelay(retry, ++failures), closing.signal);
    }
  }

  return {
    async start() {
      if (loop) return;
      stream = await open();
      logger.info({ groupId: options.groupId, topics }, 'Kafka consumer started');
      untrackLag = trackConsumerLag(options.groupId, async () => lagByTopic(await client.getLag({ topics })));
      loop = run();
    },
    async close() {
      if (closing.signal.aborted) return;
      closing.abort();
      untrackLag?.();
      await inFlight?.catch(() => {});
      // Bounded: a commit the client cannot make now (mid-rebalance) only means a redelivery.
      await within(commitFinished(), 3_000, undefined);
      await stream?.close().catch(() => {});
      await loop;
      await client.close(true);
      logger.info({ groupId: options.groupId }, 'Kafka consumer closed');
    },
    stalls: (minMs) => stallTracker.stalls(minMs),
    isConnected() {
      return !closing.signal.aborted && stream !== undefined && client.isActive() && Date.now() - lastSign < sessionTimeout;
    },
  };
}

/** Messages behind per topic, over the partitions this member holds (the client says -1 for the others). */
export function lagByTopic(lag: Map<string, bigint[]>): Map<string, number> {
  const byTopic = new Map<string, number>();
  for (const [topic, partitions] of lag) {
    byTopic.set(
      topic,
      partitions.reduce((sum, behind) => (behind > 0n ? sum + Number(behind) : sum), 0),
    );
  }
  return byTopic;
}
