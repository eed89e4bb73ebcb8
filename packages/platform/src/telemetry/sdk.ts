import { basename, dirname } from 'node:path';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';

/** Health probes and scrapes: frequent, and no one wants them in a trace. */
const UNTRACED = /^\/(health\/|metrics$)/;

/**
 * The service name for the traces: `OTEL_SERVICE_NAME`, else taken from the script being run
 * (`services/order/src/server.ts` → `order-service`).
 */
export function serviceNameOf(script: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.OTEL_SERVICE_NAME) return undefined; // the SDK's env detector reads it
  if (!script) return undefined;
  const service = basename(dirname(dirname(script)));
  return service && service !== '.' ? `${service}-service` : undefined;
}

/** True when `OTEL_TRACES_EXPORTER` names an exporter (zipkin, otlp, console); unset or `none` is off. */
export function exporterConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const names = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== 'none');
  return names.length > 0;
}

/**
 * The OpenTelemetry SDK of a service process, configured by the standard `OTEL_*` variables
 * (exporter, endpoint, sampler, resource). Spans for HTTP in and out (node:http, which Fastify
 * and the service client use) and every MongoDB command; Kafka spans are made by
 * `kafka/producer.ts` and `kafka/process.ts`. Metrics stay with prom-client (`/metrics`) and logs
 * with pino (stdout), so the SDK's metric and log pipelines are left off.
 *
 * Without an exporter, spans are not recorded (AlwaysOff) but still get ids and travel in
 * `traceparent` headers, so logs keep one trace id per request across services; that costs an id
 * and a header per call, and no timer, buffer or export.
 */
export function createTelemetry(options: { script?: string; env?: NodeJS.ProcessEnv; spanProcessors?: SpanProcessor[] } = {}): NodeSDK {
  const env = options.env ?? process.env;
  const tracing = exporterConfigured(env) || options.spanProcessors !== undefined;
  return new NodeSDK({
    serviceName: serviceNameOf(options.script, env),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED.test((request.url ?? '').split('?')[0] as string),
        // Outgoing calls outside any request (the Zipkin exporter's own, a health probe) are not traced.
        requireParentforOutgoingSpans: true,
      }),
      new MongoDBInstrumentation({ requireParentSpan: true }),
    ],
    metricReaders: [],
    logRecordProcessors: [],
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    ...(tracing ? {} : { spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() }),
  });
}
