export { createEventConsumer, type EventConsumer, type EventConsumerOptions } from './consumer.ts';
export { DEAD_LETTER_TYPE, type DeadLetterData } from './dead-letter.ts';
export {
  assertValidEvent,
  createEvent,
  type Envelope,
  EnvelopeSchema,
  type EventEnvelope,
  invalidData,
  type ParseResult,
  parseEvent,
} from './envelope.ts';
export { type Dedup, type EventRoute, type MessageContext, on, type RetryOptions, type TopicHandler } from './handlers.ts';
export {
  CLOUDEVENTS_CONTENT_TYPE,
  createEventProducer,
  type EventProducer,
  type EventProducerOptions,
  type PublishOptions,
} from './producer.ts';
export { dlqTopic, type EnsureTopicsOptions, ensureTopics } from './topics.ts';
