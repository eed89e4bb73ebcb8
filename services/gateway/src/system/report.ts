import { histogramQuantile, maxOf, type Sample, samplesOf, sumOf } from './prometheus.ts';

/** What the system page shows of one service's `/metrics` (brief's names; null where the service does not expose one). */
export interface ServiceMetrics {
  /** `kafka_consumer_lag{group,topic}`: messages behind, per group and topic. */
  consumerLag: { group: string; topic: string; lag: number }[] | null;
  consumerLagTotal: number | null;
  /** `outbox_pending`, summed over collections. */
  outboxPending: number | null;
  /** `outbox_oldest_pending_age_seconds`, the oldest over collections. */
  outboxOldestPendingAgeSeconds: number | null;
  /** `dead_letters_total{topic}`: messages this service dead-lettered since it started. */
  deadLetters: { topic: string; count: number }[] | null;
  /** `http_request_duration_seconds`: requests answered since start, and the 95th percentile. */
  httpRequests: number | null;
  httpP95Seconds: number | null;
}

export function serviceMetrics(samples: Sample[]): ServiceMetrics {
  const lag = samplesOf(samples, 'kafka_consumer_lag');
  const dead = samplesOf(samples, 'dead_letters_total');
  return {
    consumerLag: lag.length === 0 ? null : lag.map((s) => ({ group: s.labels.group ?? '', topic: s.labels.topic ?? '', lag: s.value })),
    consumerLagTotal: sumOf(samples, 'kafka_consumer_lag'),
    outboxPending: sumOf(samples, 'outbox_pending'),
    outboxOldestPendingAgeSeconds: maxOf(samples, 'outbox_oldest_pending_age_seconds'),
    deadLetters: dead.length === 0 ? null : dead.map((s) => ({ topic: s.labels.topic ?? '', count: s.value })),
    httpRequests: sumOf(samples, 'http_request_duration_seconds_count'),
    httpP95Seconds: histogramQuantile(samples, 'http_request_duration_seconds', 0.95),
  };
}

/** order-service's `orders_total{outcome}` and `checkout_duration_seconds`. */
export interface OrderFigures {
  /** Orders ended since order-service started, by outcome (confirmed, failed, cancelled). */
  byOutcome: Record<string, number> | null;
  checkoutDuration: { count: number; meanSeconds: number | null; p50Seconds: number | null; p95Seconds: number | null } | null;
}

export function orderFigures(samples: Sample[]): OrderFigures {
  const outcomes = samplesOf(samples, 'orders_total');
  const byOutcome: Record<string, number> = {};
  for (const sample of outcomes) {
    const outcome = sample.labels.outcome ?? 'unknown';
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + sample.value;
  }
  const count = sumOf(samples, 'checkout_duration_seconds_count');
  const sum = sumOf(samples, 'checkout_duration_seconds_sum');
  return {
    byOutcome: outcomes.length === 0 ? null : byOutcome,
    checkoutDuration:
      count === null
        ? null
        : {
            count,
            meanSeconds: count > 0 && sum !== null ? sum / count : null,
            p50Seconds: histogramQuantile(samples, 'checkout_duration_seconds', 0.5),
            p95Seconds: histogramQuantile(samples, 'checkout_duration_seconds', 0.95),
          },
  };
}

/**
 * Orders per minute from successive readings of a counter (orders_total, all outcomes): a counter
 * read once says nothing about a rate. Readings older than `windowMs` are dropped; the rate is over
 * the oldest kept reading at least `minSpanMs` old. A counter that went down (order-service
 * restarted) starts over.
 */
export function createRateTracker(options: { windowMs: number; minSpanMs: number }) {
  let readings: { at: number; value: number }[] = [];
  return {
    /** Records a reading taken at `at` (ms) and answers the rate per minute, or null while too little is known. */
    observe(value: number | null, at: number): number | null {
      if (value === null) return null;
      const last = readings.at(-1);
      if (last && value < last.value) readings = [];
      readings = readings.filter((r) => at - r.at <= options.windowMs);
      readings.push({ at, value });
      const first = readings[0] as { at: number; value: number };
      const span = at - first.at;
      if (span < options.minSpanMs) return null;
      return ((value - first.value) / span) * 60_000;
    },
  };
}
