import { register } from 'prom-client';

/**
 * A metric on prom-client's default registry (served on `/metrics` with the HTTP ones), made once
 * per process: registering a name twice throws, and tests build a service more than once in one
 * process. `make` must create the metric with the same `name`.
 */
export function processMetric<M>(name: string, make: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? make();
}
