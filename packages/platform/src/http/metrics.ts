import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, register as globalRegistry, Histogram, Registry } from 'prom-client';

/**
 * `/metrics` in Prometheus text: process metrics, request durations by route, and whatever
 * the Kafka and outbox code registered on prom-client's global registry.
 */
export function registerMetrics(app: FastifyInstance, service: string): void {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // The Kafka, outbox, dependency and service metrics too: dashboards group by `service` wherever
  // Prometheus runs, whatever job or target labels its scrape configuration gives.
  globalRegistry.setDefaultLabels({ service });
  // The event-loop delay histogram samples every 10 ms by default, waking an idle process 100
  // times a second (~3 ms of CPU per second at rest, docs/at-rest.md); 100 ms still catches every
  // stall worth seeing.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = (await registry.metrics()) + (await globalRegistry.metrics());
    return reply.type(registry.contentType).send(text);
  });
}
