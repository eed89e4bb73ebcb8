import { processMetric } from '@shop/platform/metrics';
import { Counter } from 'prom-client';

/** `reservations_expired_total`: reservations the sweep released because they were not paid in time. */
export function reservationsExpiredCounter(): Counter {
  return processMetric(
    'reservations_expired_total',
    () => new Counter({ name: 'reservations_expired_total', help: 'Stock reservations released because their time ran out before payment' }),
  );
}
