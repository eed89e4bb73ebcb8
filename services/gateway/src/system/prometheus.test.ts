import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogramQuantile, maxOf, parsePrometheus, sumOf } from './prometheus.ts';

const text = `# HELP outbox_pending Entries waiting
# TYPE outbox_pending gauge
outbox_pending{collection="orders",service="order-service"} 3
outbox_pending{collection="drafts",service="order-service"} 2
kafka_consumer_lag{group="order-service",topic="payment-events"} 7
kafka_consumer_lag{group="order-service",topic="inventory-events"} 0
weird_label{path="a \\"quoted\\" \\\\ value, with comma"} 1
process_start_time_seconds 1700000000
checkout_duration_seconds_bucket{le="0.5"} 2
checkout_duration_seconds_bucket{le="1"} 6
checkout_duration_seconds_bucket{le="2"} 10
checkout_duration_seconds_bucket{le="+Inf"} 10
checkout_duration_seconds_sum 9
checkout_duration_seconds_count 10
not a metric line at all
nan_metric NaN
`;

test('samples with their labels, escaped quotes included; unreadable lines skipped', () => {
  const samples = parsePrometheus(text);
  assert.deepEqual(samples[0], { name: 'outbox_pending', labels: { collection: 'orders', service: 'order-service' }, value: 3 });
  assert.deepEqual(samples.find((s) => s.name === 'weird_label')?.labels, { path: 'a "quoted" \\ value, with comma' });
  assert.equal(samples.find((s) => s.name === 'process_start_time_seconds')?.value, 1700000000);
  assert.ok(Number.isNaN(samples.find((s) => s.name === 'nan_metric')?.value));
  assert.equal(
    samples.some((s) => s.name === 'not'),
    false,
  );
});

test('sum and max over label sets; null when the metric is absent', () => {
  const samples = parsePrometheus(text);
  assert.equal(sumOf(samples, 'outbox_pending'), 5);
  assert.equal(maxOf(samples, 'kafka_consumer_lag'), 7);
  assert.equal(sumOf(samples, 'orders_total'), null);
  assert.equal(maxOf(samples, 'orders_total'), null);
});

test('histogram quantiles interpolate inside the bucket', () => {
  const samples = parsePrometheus(text);
  assert.equal(histogramQuantile(samples, 'checkout_duration_seconds', 0.5), 0.875); // rank 5: 0.5 + 0.5 * (5-2)/(6-2)
  assert.equal(histogramQuantile(samples, 'checkout_duration_seconds', 0.95), 1.875); // rank 9.5: 1 + 1 * (9.5-6)/(10-6)
  assert.equal(histogramQuantile(samples, 'missing_seconds', 0.5), null);
  const overflow = parsePrometheus('h_bucket{le="1"} 1\nh_bucket{le="+Inf"} 4\n');
  assert.equal(histogramQuantile(overflow, 'h', 0.9), 1, 'in +Inf: the highest finite bound');
});
