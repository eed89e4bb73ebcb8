import { DEAD_LETTER_TYPE, type DeadLetterData } from '@shop/platform/kafka/dead-letter';
import { type EventEnvelope, parseEvent } from '@shop/platform/kafka/envelope';
import type { LogRecord } from './kafka-log.ts';

export const DLQ_SUFFIX = '.dlq';

/** Where a dead letter sits: its DLQ topic, partition and offset (also its id for replays). */
export interface Position {
  topic: string;
  partition: number;
  offset: number;
}

export const positionId = (p: Position) => `${p.topic}/${p.partition}/${p.offset}`;

/** A replay done (or under way) of one dead letter. */
export interface ReplayRecord {
  status: 'replaying' | 'replayed';
  by: string;
  at: string;
}

/** What the admin console lists of a dead letter. */
export interface DeadLetterSummary extends Position {
  /** When it was dead-lettered (Kafka's timestamp). */
  time: string;
  /** The service that gave up on it (the envelope's `source`); null when the DLQ message itself is unreadable. */
  deadLetteredBy: string | null;
  reason: string | null;
  /** Where the original was: its topic, partition, offset and key. */
  original: { topic: string; partition: number; offset: number; key: string | null } | null;
  /** The original event's type and id, when its value is an event envelope. */
  eventType: string | null;
  eventId: string | null;
  replay: ReplayRecord | null;
}

/** All of it, for inspection: the original value and headers as dead-lettered. */
export interface DeadLetterDetail extends DeadLetterSummary {
  value: string | null;
  encoding: 'utf8' | 'base64' | null;
  headers: Record<string, string>;
  /** True when the original value is an event envelope, so replaying it can be handled. */
  replayable: boolean;
}

/** The dead-letter data of a DLQ message, or undefined when it is not one. */
function deadLetterData(value: Buffer | null): { source: string; data: DeadLetterData } | undefined {
  if (!value) return undefined;
  const parsed = parseEvent<DeadLetterData>(value);
  if (!parsed.ok || parsed.event.type !== DEAD_LETTER_TYPE) return undefined;
  const data = parsed.event.data;
  if (typeof data.topic !== 'string' || typeof data.partition !== 'number' || typeof data.offset !== 'number') return undefined;
  return { source: parsed.event.source, data };
}

/** The original message as an event envelope, when it is one (what a replay publishes again). */
export function originalEvent(data: DeadLetterData): EventEnvelope | undefined {
  if (data.value === null || data.encoding !== 'utf8') return undefined;
  const parsed = parseEvent(data.value);
  return parsed.ok ? parsed.event : undefined;
}

export function describeDeadLetter(topic: string, record: LogRecord, replay: ReplayRecord | null): DeadLetterDetail {
  const letter = deadLetterData(record.value);
  const data = letter?.data;
  const event = data ? originalEvent(data) : undefined;
  return {
    topic,
    partition: record.partition,
    offset: record.offset,
    time: record.time,
    deadLetteredBy: letter?.source ?? null,
    reason: data?.reason ?? null,
    original: data ? { topic: data.topic, partition: data.partition, offset: data.offset, key: data.key } : null,
    eventType: event?.type ?? null,
    eventId: event?.id ?? null,
    replay,
    value: data ? data.value : (record.value?.toString('utf8') ?? null),
    encoding: data ? data.encoding : record.value ? 'utf8' : null,
    headers: data?.headers ?? {},
    replayable: event !== undefined,
  };
}

export function summaryOf(detail: DeadLetterDetail): DeadLetterSummary {
  const { value: _value, encoding: _encoding, headers: _headers, replayable: _replayable, ...summary } = detail;
  return summary;
}

/** A page position in the DLQs: the next message to list. Opaque to clients (base64url JSON). */
export interface ListCursor {
  topic: string;
  partition: number;
  offset: number;
}

export const encodeCursor = (cursor: ListCursor) => Buffer.from(JSON.stringify([cursor.topic, cursor.partition, cursor.offset])).toString('base64url');

export function decodeCursor(text: string): ListCursor | undefined {
  try {
    const [topic, partition, offset] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof topic !== 'string' || !Number.isInteger(partition) || !Number.isInteger(offset)) return undefined;
    return { topic, partition: partition as number, offset: offset as number };
  } catch {
    return undefined;
  }
}
