import { Counter, register } from 'prom-client';

const CONSUMED = 'kafka_messages_consumed_total';
const RETRIES = 'kafka_handler_retries_total';
const SKIPPED = 'events_skipped_total';

/** Counters on the default registry, shared by every consumer of the process (registering twice throws). */
export function consumerMetrics(): { consumed: Counter<'topic' | 'outcome'>; retries: Counter<'topic'>; skipped: Counter<'topic' | 'type'> } {
  const consumed =
    (register.getSingleMetric(CONSUMED) as Counter<'topic' | 'outcome'> | undefined) ??
    new Counter({ name: CONSUMED, help: 'Kafka messages consumed, by outcome', labelNames: ['topic', 'outcome'] });
  const retries =
    (register.getSingleMetric(RETRIES) as Counter<'topic'> | undefined) ??
    new Counter({ name: RETRIES, help: 'Failed Kafka handler attempts that will be retried', labelNames: ['topic'] });
  const skipped =
    (register.getSingleMetric(SKIPPED) as Counter<'topic' | 'type'> | undefined) ??
    new Counter({ name: SKIPPED, help: 'Events of a type this service does not handle, skipped', labelNames: ['topic', 'type'] });
  return { consumed, retries, skipped };
}
