import { AppError, conflict, notFound } from '@shop/platform/errors';
import type { EventEnvelope } from '@shop/platform/kafka/envelope';
import {
  type DeadLetterDetail,
  type DeadLetterSummary,
  DLQ_SUFFIX,
  decodeCursor,
  describeDeadLetter,
  encodeCursor,
  type Position,
  positionId,
  summaryOf,
} from './dead-letter.ts';
import type { KafkaLog } from './kafka-log.ts';
import type { ReplayStore } from './replays.ts';

export interface DeadLetterPorts {
  log: KafkaLog;
  replays: ReplayStore;
  /** Publishes an event to a topic with the given key and headers (the platform's producer). */
  publish(topic: string, event: EventEnvelope, options: { key?: string; headers: Record<string, string> }): Promise<void>;
  staleClaimMs: number;
}

export interface DlqTopic {
  topic: string;
  /** The topic its messages came from. */
  sourceTopic: string;
  /** Messages in it (retention may have removed older ones). */
  count: number;
}

export interface DeadLetterPage {
  topics: DlqTopic[];
  items: DeadLetterSummary[];
  nextCursor: string | null;
}

const isDlq = (topic: string) => topic.endsWith(DLQ_SUFFIX) && topic.length > DLQ_SUFFIX.length;

/** Listing, inspecting and replaying dead letters (`<topic>.dlq`), for the admin console. */
export function createDeadLetterRules(ports: DeadLetterPorts) {
  const { log, replays } = ports;

  async function dlqTopics(): Promise<(DlqTopic & { ranges: Awaited<ReturnType<KafkaLog['ranges']>> })[]> {
    const names = await log.topicsEndingWith(DLQ_SUFFIX);
    return Promise.all(
      names.filter(isDlq).map(async (topic) => {
        const ranges = await log.ranges(topic);
        const count = ranges.reduce((total, range) => total + (range.end - range.start), 0);
        return { topic, sourceTopic: topic.slice(0, -DLQ_SUFFIX.length), count, ranges };
      }),
    );
  }

  async function withReplays(topic: string, records: Awaited<ReturnType<KafkaLog['read']>>): Promise<DeadLetterDetail[]> {
    const found = await replays.find(records.map((record) => positionId({ topic, partition: record.partition, offset: record.offset })));
    return records.map((record) => describeDeadLetter(topic, record, found.get(positionId({ topic, ...record })) ?? null));
  }

  async function inspect(position: Position): Promise<DeadLetterDetail> {
    if (!isDlq(position.topic)) throw notFound(`Dead-letter topic ${position.topic} (a DLQ topic ends in ${DLQ_SUFFIX})`);
    const range = (await log.ranges(position.topic)).find((r) => r.partition === position.partition);
    if (!range || position.offset < range.start || position.offset >= range.end) throw notFound(`Dead letter ${positionId(position)}`);
    const [record] = await log.read(position.topic, position.partition, position.offset, 1);
    if (!record || record.offset !== position.offset) throw notFound(`Dead letter ${positionId(position)}`);
    const [detail] = await withReplays(position.topic, [record]);
    return detail as DeadLetterDetail;
  }

  return {
    /**
     * The DLQ topics with their counts, and a page of their messages in topic, partition, offset
     * order (only `topic`'s when given).
     */
    async list(query: { topic?: string; limit: number; cursor?: string }): Promise<DeadLetterPage> {
      const all = await dlqTopics();
      const topics = all.map(({ ranges: _ranges, ...topic }) => topic);
      let from = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      if (query.cursor !== undefined && !from) throw new AppError('VALIDATION_FAILED', 'querystring.cursor is not a cursor this list gave out');
      const items: DeadLetterSummary[] = [];
      for (const { topic, ranges } of all) {
        if (query.topic !== undefined && topic !== query.topic) continue;
        if (from && topic < from.topic) continue;
        for (const range of ranges) {
          if (from && topic === from.topic && range.partition < from.partition) continue;
          let offset = from && topic === from.topic && range.partition === from.partition ? Math.max(from.offset, range.start) : range.start;
          from = undefined;
          while (offset < range.end) {
            if (items.length === query.limit) return { topics, items, nextCursor: encodeCursor({ topic, partition: range.partition, offset }) };
            const records = await log.read(topic, range.partition, offset, query.limit - items.length);
            if (records.length === 0) break;
            items.push(...(await withReplays(topic, records)).map(summaryOf));
            offset = (records.at(-1)?.offset ?? offset) + 1;
          }
        }
      }
      return { topics, items, nextCursor: null };
    },

    inspect,

    /**
     * Publishes the original event again to its original topic with its original key and headers,
     * once: the replay is recorded first, so a second request (or a second admin) gets 409.
     * The event keeps its id; the consumers remember only events they handled, so one that was
     * dead-lettered is handled when it comes again.
     */
    async replay(position: Position, by: string): Promise<DeadLetterDetail> {
      const detail = await inspect(position);
      if (detail.replay) {
        throw conflict(
          `Dead letter ${positionId(position)} was ${detail.replay.status === 'replayed' ? 'replayed' : 'being replayed'} by ${detail.replay.by} at ${detail.replay.at}`,
          {
            replay: detail.replay,
          },
        );
      }
      const original = detail.original;
      const event = detail.value !== null && detail.encoding === 'utf8' ? parseJsonEvent(detail.value) : undefined;
      if (!original || !event || !detail.replayable) {
        throw conflict(
          `Dead letter ${positionId(position)} holds no event envelope (${detail.reason ?? 'unreadable'}); publishing it again would only dead-letter it again`,
        );
      }
      const id = positionId(position);
      const claim = await replays.claim(id, by, ports.staleClaimMs);
      if (!claim) throw conflict(`Dead letter ${id} was replayed already (or is being replayed right now)`);
      try {
        await ports.publish(original.topic, event, { ...(original.key === null ? {} : { key: original.key }), headers: detail.headers });
      } catch (error) {
        await replays.release(id, claim).catch(() => {});
        throw error;
      }
      await replays.finish(id, claim);
      return inspect(position);
    },
  };
}

function parseJsonEvent(value: string): EventEnvelope | undefined {
  try {
    return JSON.parse(value) as EventEnvelope;
  } catch {
    return undefined;
  }
}

export type DeadLetterRules = ReturnType<typeof createDeadLetterRules>;
