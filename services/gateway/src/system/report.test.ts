import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePrometheus } from './prometheus.ts';
import { createRateTracker, orderFigures, serviceMetrics } from './report.ts';

test("a service's figures from its metrics; absent metrics are null, not zero", () => {
  const today = serviceMetrics(parsePrometheus('outbox_pending{collection="orders"} 2\nhttp_request_duration_seconds_count{route="/x"} 5\n'));
  assert.deepEqual(today, {
    consumerLag: null,
    consumerLagTotal: null,
    outboxPending: 2,
    outboxOldestPendingAgeSeconds: null,
    deadLetters: null,
    httpRequests: 5,
    httpP95Seconds: null,
  });
  const full = serviceMetrics(
    parsePrometheus(
      [
        'kafka_consumer_lag{group="g",topic="order-events"} 4',
        'kafka_consumer_lag{group="g",topic="payment-events"} 1',
        'outbox_oldest_pending_age_seconds{collection="a"} 3.5',
        'outbox_oldest_pending_age_seconds{collection="b"} 9',
        'dead_letters_total{topic="order-events"} 2',
      ].join('\n'),
    ),
  );
  assert.deepEqual(full.consumerLag, [
    { group: 'g', topic: 'order-events', lag: 4 },
    { group: 'g', topic: 'payment-events', lag: 1 },
  ]);
  assert.equal(full.consumerLagTotal, 5);
  assert.equal(full.outboxOldestPendingAgeSeconds, 9);
  assert.deepEqual(full.deadLetters, [{ topic: 'order-events', count: 2 }]);
});

test("order-service's outcomes and checkout durations", () => {
  const figures = orderFigures(
    parsePrometheus(
      [
        'orders_total{outcome="confirmed"} 8',
        'orders_total{outcome="failed"} 2',
        'checkout_duration_seconds_bucket{le="1"} 10',
        'checkout_duration_seconds_bucket{le="+Inf"} 10',
        'checkout_duration_seconds_sum 4',
        'checkout_duration_seconds_count 10',
      ].join('\n'),
    ),
  );
  assert.deepEqual(figures.byOutcome, { confirmed: 8, failed: 2 });
  assert.equal(figures.checkoutDuration?.meanSeconds, 0.4);
  assert.equal(figures.checkoutDuration?.p50Seconds, 0.5);
  assert.deepEqual(orderFigures([]), { byOutcome: null, checkoutDuration: null });
});

test('orders per minute from successive readings; null until enough time has passed; a restart starts over', () => {
  const rate = createRateTracker({ windowMs: 300_000, minSpanMs: 10_000 });
  assert.equal(rate.observe(100, 0), null);
  assert.equal(rate.observe(105, 5_000), null, 'only 5 s apart');
  assert.equal(rate.observe(120, 60_000), 20);
  assert.equal(rate.observe(null, 61_000), null);
  assert.equal(rate.observe(3, 70_000), null, 'the counter went down: order-service restarted');
  assert.equal(rate.observe(13, 100_000), 20);
  assert.equal(rate.observe(43, 400_000), 6, 'readings older than the window are dropped'); // 400k-100k = 300k ≤ window: (43-13)/300s*60
});
