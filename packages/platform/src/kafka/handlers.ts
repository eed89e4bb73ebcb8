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

export interface TopicHandler<T = Record<string, unknown>> {
  /** Checked before `handle`; a mismatch dead-letters the message. */
  dataSchema?: TSchema;
  /** Accepted envelope types; any other type is dead-lettered. All types when omitted. */
  types?: string[];
  /**
   * Resolve when done. Throw an AppError with `retryable: false` to dead-letter the event,
   * a retryable AppError to retry until it works, anything else to retry a few times then dead-letter.
   */
  handle(event: EventEnvelope<T>, ctx: MessageContext): Promise<void>;
}

/** Remembers processed event ids, so an event delivered twice is handled once. */
export interface Dedup {
  seen(id: string): Promise<boolean>;
  remember(id: string): Promise<void>;
}

export interface RetryOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  maxAttemptsForUnknownErrors: number;
}

export const defaultRetry: RetryOptions = { initialDelayMs: 100, maxDelayMs: 5_000, maxAttemptsForUnknownErrors: 5 };

/** Types `handle`'s event from `dataSchema`, so a handler reads `event.data` without casts. */
export function defineHandler<S extends TSchema>(handler: {
  dataSchema: S;
  types?: string[];
  handle(event: EventEnvelope<Static<S>>, ctx: MessageContext): Promise<void>;
}): TopicHandler<Static<S>> {
  return handler;
}
