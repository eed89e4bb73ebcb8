import type { Static, TSchema } from 'typebox';
import type { EventEnvelope } from './envelope.ts';

/** Where a consumed message came from; handed to the handler next to the event. */
export interface MessageContext {
  topic: string;
  partition: number;
  /** A number: offsets stay far below 2^53, and numbers log and serialize without surprises. */
  offset: number;
  key: string | undefined;
  headers: Record<string, string>;
}

/** What a service does with one event type: the schema its data must match, and the handler. */
export interface EventRoute<T = Record<string, unknown>> {
  /** Checked before `handle`; a mismatch dead-letters the message with the reason. */
  schema: TSchema;
  /**
   * Resolve when done. Throw an AppError with `retryable: false` to dead-letter the event,
   * a retryable AppError to retry until it works, anything else to retry a few times then dead-letter.
   */
  handle(event: EventEnvelope<T>, ctx: MessageContext): Promise<void>;
}

/**
 * One topic's routes, by event type. A topic carries types a service does not care about (and
 * new ones appear): those are skipped and counted (`events_skipped_total`), never dead-lettered.
 */
export type TopicHandler = Record<string, EventRoute>;

export interface RetryOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  maxAttemptsForUnknownErrors: number;
}

export const defaultRetry: RetryOptions = { initialDelayMs: 100, maxDelayMs: 5_000, maxAttemptsForUnknownErrors: 5 };

/** A route whose `handle` reads `event.data` typed by `schema`, without casts. */
export function on<S extends TSchema>(schema: S, handle: (event: EventEnvelope<Static<S>>, ctx: MessageContext) => Promise<void>): EventRoute<Static<S>> {
  return { schema, handle };
}
