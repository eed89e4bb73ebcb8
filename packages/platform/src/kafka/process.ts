import type { Message } from '@platformatic/kafka';
import { AppError, isDependencyOutage, isRetryable } from '../errors.ts';
import type { Logger } from '../log.ts';
import { contextFromHeaders } from '../telemetry/context.ts';
import { withConsumerSpan } from '../telemetry/messaging.ts';
import { deadLetterEvent } from './dead-letter.ts';
import { type EventEnvelope, invalidData, parseEvent } from './envelope.ts';
import type { EventRoute, MessageContext, RetryOptions, TopicHandler } from './handlers.ts';
import { consumerMetrics } from './metrics.ts';
import type { EventProducer } from './producer.ts';
import { backoffDelay, retryUntilAborted, sleep } from './retry.ts';
import type { StallTracker } from './stalls.ts';
import { dlqTopic } from './topics.ts';

export type KafkaMessage = Message<string, Buffer, string, string>;

/**
 * `skipped`: a type this service does not handle. `aborted` (close) and `revoked` (partition
 * moved) must not be committed: someone handles it later.
 */
export type Outcome = 'handled' | 'skipped' | 'dead_lettered' | 'aborted' | 'revoked';

export interface ProcessorDeps {
  clientId: string;
  groupId: string;
  logger: Logger;
  handlers: Record<string, TopicHandler>;
  retry: RetryOptions;
  producer: Pick<EventProducer, 'publish'>;
  /** Aborted by close(): stops every retry at once. */
  signal: AbortSignal;
  owns(topic: string, partition: number): boolean;
  /** Told of every failed attempt, so the health route can say which partition is stuck since when. */
  stalls?: StallTracker;
}

function describeError(error: unknown): string {
  if (error instanceof AppError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Decides one message's fate: handled, skipped, dead-lettered, or left for redelivery. A message
 * delivered again is handled again: every handler's write is idempotent on its own (docs/events.md).
 */
export function createProcessor(deps: ProcessorDeps): (message: KafkaMessage) => Promise<Outcome> {
  const { logger, retry, signal } = deps;
  const metrics = consumerMetrics();

  // A step that fails only when a dependency is down (the DLQ publish): wait it out.
  const untilDone = <T>(what: string, ctx: MessageContext, fn: () => Promise<T>) =>
    retryUntilAborted(fn, {
      backoff: retry,
      signal,
      onFailure: (err, attempt) => {
        deps.stalls?.failed(ctx, `${what}: ${describeError(err)}`);
        logger.warn({ err, attempt, ...where(ctx) }, `Kafka consumer: ${what} failed; retrying`);
      },
    });

  async function deadLetter(ctx: MessageContext, value: Buffer | undefined, reason: string): Promise<Outcome> {
    const event = deadLetterEvent({ source: deps.clientId, ...ctx, value, reason });
    logger.error({ ...where(ctx), reason }, 'Kafka consumer: message dead-lettered');
    const sent = await untilDone('dead-letter publish', ctx, () => deps.producer.publish(dlqTopic(ctx.topic), event, { key: event.subject }));
    if (!sent.ok) return 'aborted';
    metrics.deadLetters.inc({ topic: ctx.topic });
    return 'dead_lettered';
  }

  type HandlerResult = { kind: 'done' } | { kind: 'dead'; reason: string } | { kind: 'aborted' } | { kind: 'revoked' };

  async function runHandler(route: EventRoute, event: EventEnvelope, ctx: MessageContext): Promise<HandlerResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        await route.handle(event, ctx);
        return { kind: 'done' };
      } catch (error) {
        if (!isRetryable(error)) return { kind: 'dead', reason: `rejected by handler: ${describeError(error)}` };
        // A retryable AppError or a database outage means "a dependency is down": retry for as
        // long as it takes. Anything else may be a bug that will never pass, hence the bound.
        const known = error instanceof AppError || isDependencyOutage(error);
        if (!known && attempt >= retry.maxAttemptsForUnknownErrors) {
          return { kind: 'dead', reason: `handler failed ${attempt} times: ${describeError(error)}` };
        }
        metrics.retries.inc({ topic: ctx.topic });
        deps.stalls?.failed(ctx, describeError(error));
        logger.warn({ err: error, attempt, eventId: event.id, type: event.type, ...where(ctx) }, 'Kafka handler failed; retrying');
        if (!(await sleep(backoffDelay(retry, attempt), signal))) return { kind: 'aborted' };
        if (!deps.owns(ctx.topic, ctx.partition)) return { kind: 'revoked' };
      }
    }
  }

  async function decide(message: KafkaMessage, ctx: MessageContext): Promise<Outcome> {
    const routes: TopicHandler | undefined = deps.handlers[ctx.topic];
    const value = message.value;
    if (!routes) return deadLetter(ctx, value, `no handler for topic ${ctx.topic}`);
    if (!value || value.length === 0) return deadLetter(ctx, value, 'empty message value');
    const parsed = parseEvent(value);
    if (!parsed.ok) return deadLetter(ctx, value, parsed.reason);
    const event = parsed.event;
    const route = Object.hasOwn(routes, event.type) ? routes[event.type] : undefined;
    if (!route) {
      metrics.skipped.inc({ topic: ctx.topic, type: event.type });
      return 'skipped';
    }
    const invalid = invalidData(event, route.schema);
    if (invalid) return deadLetter(ctx, value, `${event.type}: ${invalid}`);
    const result = await runHandler(route, event, ctx);
    if (result.kind === 'dead') return deadLetter(ctx, value, result.reason);
    if (result.kind !== 'done') return result.kind;
    return 'handled';
  }

  return async (message) => {
    const ctx: MessageContext = {
      topic: message.topic,
      partition: message.partition,
      offset: Number(message.offset),
      key: message.key,
      headers: Object.fromEntries(message.headers),
    };
    // A span under the producer's (its context is in the headers): the handler's logs, calls and
    // the events it publishes join the producer's trace.
    const outcome = await withConsumerSpan(ctx, deps.groupId, contextFromHeaders(ctx.headers), async (span) => {
      const result = await decide(message, ctx);
      span.setAttribute('shop.outcome', result);
      return result;
    }).finally(() => deps.stalls?.cleared(ctx.topic, ctx.partition));
    metrics.consumed.inc({ topic: ctx.topic, outcome });
    return outcome;
  };
}

function where(ctx: MessageContext) {
  return { topic: ctx.topic, partition: ctx.partition, offset: ctx.offset, key: ctx.key };
}
