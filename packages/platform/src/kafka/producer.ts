import { type Context, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { ProduceAcks, Producer, type RetryDelayGetter, stringSerializers } from '@platformatic/kafka';
import { unavailable } from '../errors.ts';
import type { Logger } from '../log.ts';
import { traceHeaders } from '../telemetry/context.ts';
import { startProducerSpan } from '../telemetry/messaging.ts';
import { assertValidEvent, type EventEnvelope } from './envelope.ts';
import { backoffDelay, sleep } from './retry.ts';
import { type KafkaSecurity, kafkaClientOptions } from './settings.ts';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

export interface PublishOptions {
  /** Message key; defaults to `event.subject` so one aggregate's events stay in one partition, in order. */
  key?: string;
  headers?: Record<string, string>;
  /** The trace the publish belongs to (an outbox entry's writer); default: the current one. */
  parent?: Context;
}

/** One message of a `publishAll`. */
export interface Publication extends PublishOptions {
  topic: string;
  event: EventEnvelope<unknown>;
}

export interface EventProducer {
  publish(topic: string, event: EventEnvelope<unknown>, options?: PublishOptions): Promise<void>;
  /**
   * Several events in one produce request: all were written once it resolves; when it rejects,
   * any of them may have been (the caller publishes again, and consumers absorb the repeat).
   */
  publishAll(publications: Publication[]): Promise<void>;
  close(): Promise<void>;
  isConnected(): boolean;
}

export interface EventProducerOptions {
  brokers: string[];
  clientId: string;
  /** SASL and TLS (`kafkaSecurity(config)`); none for the local broker. */
  security?: KafkaSecurity;
  logger: Logger;
  /** Retries per publish before it rejects (default 5, at least 2); each attempt waits at most `timeoutMs`. */
  retries?: number;
  timeoutMs?: number;
}

/** An idempotent, acks=all producer of envelopes; `publish` resolves once the broker has the message, else rejects with DEPENDENCY_UNAVAILABLE. */
export function createEventProducer(options: EventProducerOptions): EventProducer {
  const { logger } = options;
  const retryDelay: RetryDelayGetter = (_client, _op, attempt) => backoffDelay({ initialDelayMs: 200, maxDelayMs: 2_000 }, attempt);
  const client = new Producer({
    ...kafkaClientOptions(options),
    serializers: stringSerializers,
    // Idempotence lets the client retry a send without writing it twice; it requires acks=all.
    idempotent: true,
    acks: ProduceAcks.ALL,
    // The client makes an idempotent producer retry forever when retries is unset or <= 1,
    // and a request would then hang while Kafka is down.
    retries: Math.max(2, options.retries ?? 5),
    retryDelay,
    timeout: options.timeoutMs ?? 5_000,
  });

  // "Connected" is what we last learned, not whether a socket is open right now: the broker closes
  // idle connections (after 10 min), which must not make the service look down.
  let up = false;
  let closed = false;
  let connecting = false;
  const stopConnecting = new AbortController();
  client.on('client:broker:failed', () => {
    up = false;
  });

  // Connect eagerly, so isConnected() can gate readiness before the first publish, and again after
  // every disconnect, so a broker that went away shows up as down without waiting for a publish.
  async function connect(): Promise<void> {
    if (connecting || closed) return;
    connecting = true;
    try {
      for (let attempt = 1; !closed; attempt++) {
        try {
          await client.connectToBrokers();
          up = true;
          return;
        } catch (error) {
          up = false;
          if (closed) return;
          logger.warn({ err: error, attempt }, 'Kafka producer cannot reach the broker');
          await sleep(backoffDelay({ initialDelayMs: 500, maxDelayMs: 5_000 }, attempt), stopConnecting.signal);
        }
      }
    } finally {
      connecting = false;
    }
  }
  // Deferred: the pool reports the disconnect before it forgets the dead connection, and a
  // connect attempt made right away would wait on that connection forever.
  client.on('client:broker:disconnect', () => setTimeout(connect, 100).unref());
  void connect();

  const publishAll: EventProducer['publishAll'] = async (publications) => {
    for (const { event } of publications) assertValidEvent(event);
    // Each message gets a span of its own, child of its own parent, whose context it carries
    // (W3C `traceparent`), so the consumers' spans are its children.
    const spans: Span[] = [];
    const messages = publications.map(({ topic, event, key, headers, parent = context.active() }) => {
      const span = startProducerSpan(topic, event.id, parent);
      spans.push(span);
      return {
        topic,
        key: key ?? event.subject,
        value: JSON.stringify(event),
        headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, ...headers, ...traceHeaders(trace.setSpan(parent, span)) },
      };
    });
    try {
      await client.send({ messages });
      up = true;
    } catch (error) {
      const [first] = publications;
      logger.error({ err: error, topic: first?.topic, eventId: first?.event.id, type: first?.event.type, messages: messages.length }, 'Kafka publish failed');
      for (const span of spans) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      }
      // Retryable by contract: the HTTP layer answers 503, a consumer retries instead of dead-lettering.
      throw unavailable('Kafka', error);
    } finally {
      for (const span of spans) span.end();
    }
  };

  return {
    publish: (topic, event, options = {}) => publishAll([{ topic, event, ...options }]),
    publishAll,
    async close() {
      if (closed) return;
      closed = true;
      stopConnecting.abort();
      await client.close();
    },
    isConnected: () => up && !closed,
  };
}
