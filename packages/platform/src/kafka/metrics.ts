import { Counter, Gauge } from 'prom-client';
import { processMetric as once } from '../metrics.ts';
import { within } from '../within.ts';

const CONSUMED = 'kafka_messages_consumed_total';
const RETRIES = 'kafka_handler_retries_total';
const SKIPPED = 'events_skipped_total';
const DEAD_LETTERS = 'dead_letters_total';
const LAG = 'kafka_consumer_lag';

/** Counters on the default registry, shared by every consumer of the process. */
export function consumerMetrics(): {
  consumed: Counter<'topic' | 'outcome'>;
  retries: Counter<'topic'>;
  skipped: Counter<'topic' | 'type'>;
  deadLetters: Counter<'topic'>;
} {
  return {
    consumed: once(CONSUMED, () => new Counter({ name: CONSUMED, help: 'Kafka messages consumed, by outcome', labelNames: ['topic', 'outcome'] })),
    retries: once(RETRIES, () => new Counter({ name: RETRIES, help: 'Failed Kafka handler attempts that will be retried', labelNames: ['topic'] })),
    skipped: once(SKIPPED, () => new Counter({ name: SKIPPED, help: 'Events of a type this service does not handle, skipped', labelNames: ['topic', 'type'] })),
    deadLetters: once(
      DEAD_LETTERS,
      () => new Counter({ name: DEAD_LETTERS, help: 'Messages this service moved to <topic>.dlq, by the topic they came from', labelNames: ['topic'] }),
    ),
  };
}

/** What a consumer reports for the lag gauge: messages behind per topic, on the partitions it holds. */
export type LagSource = () => Promise<Map<string, number>>;

const lagSources = new Map<LagSource, { group: string; topics: Set<string> }>();

/** How long a scrape waits for Kafka's end offsets before it shows the last figures. */
const LAG_TIMEOUT_MS = 2_000;

/**
 * `kafka_consumer_lag{group,topic}`: messages behind, computed when `/metrics` is scraped (one
 * ListOffsets request per consumer), never on a timer, so an idle process does no work for it
 * (docs/at-rest.md). Each process reports the partitions assigned to it: the group's lag is the
 * sum over its processes (`sum by (group, topic)`).
 */
export function trackConsumerLag(group: string, source: LagSource): () => void {
  const gauge = once(
    LAG,
    () =>
      new Gauge({
        name: LAG,
        help: 'Messages behind the end of the topic, on the partitions this process consumes, by consumer group and topic',
        labelNames: ['group', 'topic'],
        async collect() {
          await Promise.all(
            [...lagSources].map(async ([read, seen]) => {
              const lag = await within(read(), LAG_TIMEOUT_MS, undefined).catch(() => undefined);
              for (const [topic, behind] of lag ?? []) {
                this.set({ group: seen.group, topic }, behind);
                seen.topics.add(topic);
              }
            }),
          );
        },
      }),
  );
  const seen = { group, topics: new Set<string>() };
  lagSources.set(source, seen);
  return () => {
    lagSources.delete(source);
    for (const topic of seen.topics) gauge.remove({ group, topic });
  };
}
