import { isUtf8 } from 'node:buffer';
import { createEvent, type EventEnvelope } from './envelope.ts';

export const DEAD_LETTER_TYPE = 'dead-letter';

/** What a `<topic>.dlq` message carries: enough to inspect and replay the original by hand. */
export interface DeadLetterData {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  /** The original value as UTF-8 text, or base64 when it was not valid UTF-8 (see `encoding`). */
  value: string | null;
  encoding: 'utf8' | 'base64';
  headers: Record<string, string>;
  reason: string;
}

/** Wraps a message that could not be processed into a `dead-letter` envelope. */
export function deadLetterEvent(input: {
  source: string;
  topic: string;
  partition: number;
  offset: number;
  key: string | undefined;
  value: Buffer | undefined;
  headers: Record<string, string>;
  reason: string;
}): EventEnvelope<DeadLetterData> {
  const utf8 = !input.value || isUtf8(input.value);
  return createEvent<DeadLetterData>({
    type: DEAD_LETTER_TYPE,
    source: input.source,
    subject: input.key || 'unknown',
    data: {
      topic: input.topic,
      partition: input.partition,
      offset: input.offset,
      key: input.key ?? null,
      value: input.value ? input.value.toString(utf8 ? 'utf8' : 'base64') : null,
      encoding: utf8 ? 'utf8' : 'base64',
      headers: input.headers,
      reason: input.reason,
    },
  });
}
