import { processMetric } from '@shop/platform/metrics';
import { Counter, Histogram } from 'prom-client';
import type { OrderStore } from './domain/ports.ts';

/**
 * The store, counting the orders that end: `orders_total{outcome}` (confirmed, failed, cancelled)
 * and `checkout_duration_seconds` (from placing to that end). Every status change is one
 * conditional `update`, so one that wrote a final status is exactly one order ending.
 */
export function countingOrderEnds(store: OrderStore): OrderStore {
  const ended = processMetric(
    'orders_total',
    () => new Counter({ name: 'orders_total', help: 'Orders that reached a final status, by outcome', labelNames: ['outcome'] }),
  );
  const duration = processMetric(
    'checkout_duration_seconds',
    () =>
      new Histogram({
        name: 'checkout_duration_seconds',
        help: 'Time from placing an order to its final status (confirmed, failed or cancelled)',
        labelNames: ['outcome'],
        buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 1800],
      }),
  );
  return {
    ...store,
    async update(id, version, changes, events) {
      const updated = await store.update(id, version, changes, events);
      if (updated && changes.status && changes.status !== 'pending') {
        ended.inc({ outcome: changes.status });
        duration.observe({ outcome: changes.status }, Math.max(0, updated.updatedAt.getTime() - updated.createdAt.getTime()) / 1000);
      }
      return updated;
    },
  };
}
