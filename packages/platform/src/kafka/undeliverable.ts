import { findErrorBy } from '@platformatic/kafka';
import { AppError } from '../errors.ts';

/** Why a message can never be published, however often it is tried. */
export type UndeliverableReason = 'too_large' | 'unknown_topic' | 'invalid';

/**
 * Reads a failed publish: a reason when no retry can ever succeed, undefined when it may (Kafka
 * down, a leader moving, a refused authorization an operator can fix). `unknown_topic` is only a
 * suspicion: a topic created a moment ago is unknown for a moment too, so the caller confirms
 * with the cluster before acting on it.
 */
export function undeliverableReason(error: unknown): UndeliverableReason | undefined {
  if (error instanceof AppError && error.code === 'VALIDATION_FAILED') return 'invalid';
  const kafkaError = error instanceof AppError ? error.cause : error;
  if (!(kafkaError instanceof Error)) return undefined;
  if (findErrorBy(kafkaError, 'apiId', 'MESSAGE_TOO_LARGE') || findErrorBy(kafkaError, 'apiId', 'RECORD_LIST_TOO_LARGE')) return 'too_large';
  if (findErrorBy(kafkaError, 'apiId', 'UNKNOWN_TOPIC_OR_PARTITION')) return 'unknown_topic';
  // The client checks the topic in its metadata before sending, and says so only in words.
  const userError = findErrorBy(kafkaError, 'code', 'PLT_KFK_USER');
  if (userError && /unknown topic/i.test(userError.message)) return 'unknown_topic';
  return undefined;
}
