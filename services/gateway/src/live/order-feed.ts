import { topics } from '@shop/contracts';
import { backoffDelay, sleep } from '@shop/platform/kafka/retry';
import type { Logger } from '@shop/platform/log';
import type { KafkaLog } from '../dead-letters/kafka-log.ts';
import { type OrderChange, orderChangeOf } from './order-change.ts';

/** How long one poll waits at the broker for a new order event: an idle gateway asks once per this. */
const POLL_WAIT_MS = 3_000;

/**
 * Reads `order-events` for the live streams of this process, with plain fetch requests from the
 * topic's end: every gateway replica reads every event (in a consumer group shared by the replicas
 * each would get only its partitions' share), nothing is committed and nothing dead-lettered (the
 * services' own consumers do the bookkeeping). No consumer group at all, so no group left behind
 * per process and no group in the gateway's Kafka ACLs (docs/kafka-security.md: literal names only).
 * The start position is taken before it resolves, so a gateway that says it is ready misses nothing.
 */
export async function startOrderFeed(options: { log: KafkaLog; logger: Logger; onChange: (change: OrderChange) => void }) {
  const { log, logger } = options;
  const topic = topics.orderEvents;
  const positions = new Map((await log.ranges(topic)).map((range) => [range.partition, range.end]));
  const closing = new AbortController();

  async function run(): Promise<void> {
    for (let failures = 0; !closing.signal.aborted; ) {
      try {
        if (positions.size === 0) for (const range of await log.ranges(topic)) positions.set(range.partition, range.end);
        const { records, lost } = await log.poll(topic, positions, POLL_WAIT_MS);
        for (const record of records) {
          positions.set(record.partition, Math.max(positions.get(record.partition) ?? 0, record.offset + 1));
          const change = orderChangeOf(record.value ?? undefined);
          if (change) options.onChange(change);
        }
        // Our position fell out of the log (retention, a recreated topic): carry on from its end.
        if (lost.length > 0) for (const range of await log.ranges(topic)) if (lost.includes(range.partition)) positions.set(range.partition, range.end);
        failures = 0;
      } catch (err) {
        if (closing.signal.aborted) return;
        logger.warn({ err }, 'live order feed: reading order-events failed; trying again');
        await sleep(backoffDelay({ initialDelayMs: 500, maxDelayMs: 10_000 }, ++failures), closing.signal);
      }
    }
  }

  const loop = run();
  logger.info({ positions: Object.fromEntries(positions) }, 'live order feed started');
  return {
    /** Stops reading and closes the feed's Kafka client (a poll waiting at the broker ends with it). */
    async close(): Promise<void> {
      closing.abort();
      await log.close();
      await loop;
    },
  };
}
