import { type Context, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { tracer } from './context.ts';

/**
 * Kafka spans by the OpenTelemetry messaging conventions: `send <topic>` (PRODUCER) for each
 * message published (ended when the broker answered), `process <topic>` (CONSUMER) around handling one message, as a child of the
 * producer's span whose context the message's headers carry.
 */
export function startProducerSpan(topic: string, eventId: string, parent: Context): Span {
  return tracer().startSpan(`send ${topic}`, { kind: SpanKind.PRODUCER, attributes: messagingAttributes(topic, 'send', eventId) }, parent);
}

export function withConsumerSpan<T>(
  message: { topic: string; partition: number; offset: number; key: string | undefined },
  group: string,
  parent: Context,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const attributes = {
    ...messagingAttributes(message.topic, 'process'),
    'messaging.consumer.group.name': group,
    'messaging.destination.partition.id': String(message.partition),
    'messaging.kafka.offset': message.offset,
    ...(message.key === undefined ? {} : { 'messaging.kafka.message.key': message.key }),
  };
  return tracer().startActiveSpan(`process ${message.topic}`, { kind: SpanKind.CONSUMER, attributes }, parent, (span) => ended(span, fn));
}

function messagingAttributes(topic: string, operation: 'send' | 'process', eventId?: string) {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': operation,
    'messaging.destination.name': topic,
    ...(eventId ? { 'messaging.message.id': eventId } : {}),
  };
}

async function ended<T>(span: Span, fn: (span: Span) => Promise<T>): Promise<T> {
  try {
    return await fn(span);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
