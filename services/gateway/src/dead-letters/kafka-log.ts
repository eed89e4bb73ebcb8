import { Admin, Consumer } from '@platformatic/kafka';
import { unavailable } from '@shop/platform/errors';

/** One message as it sits in a topic. */
export interface LogRecord {
  partition: number;
  offset: number;
  /** When Kafka stored it (ISO-8601). */
  time: string;
  key: string | null;
  value: Buffer | null;
}

/** A partition's readable range: offsets `start` (inclusive) to `end` (exclusive). */
export interface PartitionRange {
  partition: number;
  start: number;
  end: number;
}

/** Reading Kafka topics at given offsets, without a consumer group (nothing is committed, nobody's group disturbed). */
export interface KafkaLog {
  /** Topic names ending in `suffix`, sorted. */
  topicsEndingWith(suffix: string): Promise<string[]>;
  /** Each partition's range of a topic; empty for an unknown topic. */
  ranges(topic: string): Promise<PartitionRange[]>;
  /** Up to `max` records of one partition from `offset` on (fewer at its end). */
  read(topic: string, partition: number, offset: number, max: number): Promise<LogRecord[]>;
  /**
   * The records after `positions` (partition → next offset) of every partition, waiting up to
   * `maxWaitMs` at the broker for the first one: one fetch request per broker. A partition whose
   * position is no longer in the log (retention) is reported in `lost`.
   */
  poll(topic: string, positions: Map<number, number>, maxWaitMs: number): Promise<{ records: LogRecord[]; lost: number[] }>;
  close(): Promise<void>;
}

const MAX_FETCH_BYTES = 1024 * 1024;

const OFFSET_OUT_OF_RANGE = 1;

/** `client` is the platform's client options (brokers, SASL, TLS: kafkaClientOptions). */
export function createKafkaLog(client: { clientId: string; bootstrapBrokers: string[] }): KafkaLog {
  const admin = new Admin({ ...client, retries: 2, timeout: 5_000 });
  // Used only for its metadata, offsets and plain fetch requests: it never joins its group, so it
  // needs no group and no ACL for one.
  const reader = new Consumer({ ...client, groupId: `${client.clientId}-reader-unused`, retries: 2, timeout: 10_000 });

  // One request at a time: fetches sent in parallel on the reader's connection confuse the
  // broker's fetch sessions (INVALID_FETCH_SESSION_EPOCH, seen with ten replays at once).
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work).catch((error: unknown) => {
      throw unavailable('Kafka', error);
    });
    queue = run.catch(() => {});
    return run;
  }

  async function ranges(topic: string): Promise<PartitionRange[]> {
    const metadata = await reader.metadata({ topics: [topic], forceUpdate: true }).catch(() => undefined);
    if (!metadata?.topics.has(topic)) return [];
    const [starts, ends] = await Promise.all([
      reader.listOffsets({ topics: [topic], timestamp: -2n }),
      reader.listOffsets({ topics: [topic], timestamp: -1n }),
    ]);
    const first = starts.get(topic) ?? [];
    const last = ends.get(topic) ?? [];
    return first.map((start, partition) => ({ partition, start: Number(start), end: Number(last[partition] ?? start) }));
  }

  async function read(topic: string, partition: number, offset: number, max: number): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    let next = offset;
    for (;;) {
      const metadata = await reader.metadata({ topics: [topic] });
      const info = metadata.topics.get(topic);
      const leader = info?.partitions[partition]?.leader;
      if (!info || leader === undefined || leader < 0) return records;
      const response = await reader.fetch({
        node: leader,
        maxWaitTime: 0,
        minBytes: 1,
        maxBytes: MAX_FETCH_BYTES,
        topics: [
          {
            topicId: info.id,
            partitions: [{ partition, fetchOffset: BigInt(next), partitionMaxBytes: MAX_FETCH_BYTES, currentLeaderEpoch: -1, lastFetchedEpoch: -1 }],
          },
        ],
      });
      const answer = response.responses[0]?.partitions[0];
      if (answer?.errorCode !== 0 || !answer.records?.length) return records;
      const before = next;
      for (const batch of answer.records) {
        for (const record of batch.records) {
          const at = Number(batch.firstOffset) + record.offsetDelta;
          if (at < next) continue;
          next = at + 1;
          // Transaction markers are not messages.
          if (batch.attributes & 0b10_0000) continue;
          records.push(toLogRecord(partition, at, batch.firstTimestamp + record.timestampDelta, record.key, record.value));
          if (records.length >= max) return records;
        }
        next = Math.max(next, Number(batch.firstOffset) + batch.lastOffsetDelta + 1);
      }
      if (next >= Number(answer.highWatermark) || next === before) return records;
    }
  }

  async function poll(topic: string, positions: Map<number, number>, maxWaitMs: number) {
    const metadata = await reader.metadata({ topics: [topic] });
    const info = metadata.topics.get(topic);
    if (!info) return { records: [], lost: [] };
    const byLeader = new Map<number, number[]>();
    for (const partition of positions.keys()) {
      const leader = info.partitions[partition]?.leader ?? -1;
      if (leader >= 0) byLeader.set(leader, [...(byLeader.get(leader) ?? []), partition]);
    }
    const answers = await Promise.all(
      [...byLeader].map(([node, partitions]) =>
        reader.fetch({
          node,
          maxWaitTime: maxWaitMs,
          minBytes: 1,
          maxBytes: MAX_FETCH_BYTES,
          topics: [
            {
              topicId: info.id,
              partitions: partitions.map((partition) => ({
                partition,
                fetchOffset: BigInt(positions.get(partition) ?? 0),
                partitionMaxBytes: MAX_FETCH_BYTES,
                currentLeaderEpoch: -1,
                lastFetchedEpoch: -1,
              })),
            },
          ],
        }),
      ),
    );
    const records: LogRecord[] = [];
    const lost: number[] = [];
    for (const answer of answers.flatMap((response) => response.responses.flatMap((r) => r.partitions))) {
      const partition = answer.partitionIndex;
      if (answer.errorCode === OFFSET_OUT_OF_RANGE) lost.push(partition);
      if (answer.errorCode !== 0 || !answer.records) continue;
      const from = positions.get(partition) ?? 0;
      for (const batch of answer.records) {
        if (batch.attributes & 0b10_0000) continue;
        for (const record of batch.records) {
          const at = Number(batch.firstOffset) + record.offsetDelta;
          if (at >= from) records.push(toLogRecord(partition, at, batch.firstTimestamp + record.timestampDelta, record.key, record.value));
        }
      }
    }
    return { records, lost };
  }

  return {
    topicsEndingWith: (suffix) => serial(async () => (await admin.listTopics()).filter((name) => name.endsWith(suffix)).sort()),
    ranges: (topic) => serial(() => ranges(topic)),
    read: (topic, partition, offset, max) => serial(() => read(topic, partition, offset, max)),
    poll: (topic, positions, maxWaitMs) => serial(() => poll(topic, positions, maxWaitMs)),
    async close() {
      await Promise.all([admin.close().catch(() => {}), reader.close(true).catch(() => {})]);
    },
  };
}

function toLogRecord(partition: number, offset: number, timestamp: bigint, key: Buffer | null, value: Buffer | null): LogRecord {
  return { partition, offset, time: new Date(Number(timestamp)).toISOString(), key: key ? key.toString('utf8') : null, value };
}
