import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { setSpansRecorded } from './context.ts';
import { type TelemetrySettings, telemetrySettings } from './env.ts';

/** Health probes and scrapes: frequent, and no one wants them in a trace. */
const UNTRACED = /^\/(health\/|metrics$)/;

function samplerOf({ kind, parentBased, ratio }: TelemetrySettings['sampler']): Sampler {
  const root = kind === 'always_off' ? new AlwaysOffSampler() : kind === 'traceidratio' ? new TraceIdRatioBasedSampler(ratio) : new AlwaysOnSampler();
  return parentBased ? new ParentBasedSampler({ root }) : root;
}

/** The exporters named; each is loaded only when named (the OTLP one brings its own protobuf stack). */
async function exporterOf(name: string): Promise<SpanExporter | undefined> {
  switch (name) {
    case 'zipkin':
      return new (await import('@opentelemetry/exporter-zipkin')).ZipkinExporter();
    case 'otlp':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
    case 'console':
      return new ConsoleSpanExporter();
    default:
      console.error(`OTEL_TRACES_EXPORTER: unknown exporter "${name}" ignored (zipkin, otlp, console, none)`);
      return undefined;
  }
}

export interface Telemetry {
  /** Sends what is still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry for a service process, configured by the standard `OTEL_*` variables (exporter,
 * endpoint, sampler, batch, resource; see telemetry/env.ts). W3C trace context on the wire,
 * spans for HTTP in and out (node:http, which Fastify and the service client use) and every
 * MongoDB command; Kafka spans come from `kafka/producer.ts` and `kafka/process.ts`. Metrics stay
 * with prom-client (`/metrics`) and logs with pino. Made of the SDK's parts rather than
 * `@opentelemetry/sdk-node`, which loads every exporter and the metric and log SDKs (about 250 ms
 * of CPU at each start of each process, for nothing used here).
 *
 * Without an exporter, spans are not recorded (always off, no processor, no instrumentation)
 * but requests and messages still get ids that travel in `traceparent` headers, so logs keep one
 * trace id per request across services: an id and a header per call, and no timer, buffer or export.
 */
export async function startTelemetry(options: { script?: string; env?: NodeJS.ProcessEnv; spanProcessors?: SpanProcessor[] } = {}): Promise<Telemetry> {
  const settings = telemetrySettings(options.env ?? process.env, options.script);
  // First, before anything is awaited: the patches and the context must be in place before the
  // modules they concern load (a module imported beside this one does not wait for its awaits).
  // The instrumentations take the global provider, which delegates to ours once it is set.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  // Spans are recorded when an exporter is named (or processors are given, in tests).
  const recording = options.spanProcessors ? options.spanProcessors.length > 0 : settings.exporters.length > 0;
  // Only when spans are kept. Unrecorded, the HTTP instrumentation still did all its work for
  // every request and call (attributes, a parsed URL, wrapped emitters: about a seventh of
  // product-service's CPU on a product page), and the MongoDB one serialised every command into
  // a statement (2–3 % of each service's CPU in the checkout benchmark), for spans nobody sees.
  // Without them the platform carries the trace itself (`requestContext` in http/server.ts, the
  // service client's `traceparent`), so logs still keep one trace id per request.
  setSpansRecorded(recording);
  if (recording) {
    registerInstrumentations({
      instrumentations: [
        new HttpInstrumentation({
          ignoreIncomingRequestHook: (request) => UNTRACED.test((request.url ?? '').split('?')[0] as string),
          // Outgoing calls outside any request (a health probe of another service) are not traced.
          requireParentforOutgoingSpans: true,
        }),
        new MongoDBInstrumentation({ requireParentSpan: true }),
      ],
    });
  }

  const exporters = (await Promise.all(settings.exporters.map(exporterOf))).filter((exporter) => exporter !== undefined);
  const spanProcessors =
    options.spanProcessors ??
    exporters.map((exporter) =>
      exporter instanceof ConsoleSpanExporter ? new SimpleSpanProcessor({ exporter }) : new BatchSpanProcessor({ exporter, ...definedOnly(settings.batch) }),
    );
  const resource = defaultResource()
    .merge(settings.derivedServiceName ? resourceFromAttributes({ 'service.name': settings.derivedServiceName }) : null)
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new TracerProvider({ resource, spanProcessors, sampler: recording ? samplerOf(settings.sampler) : new AlwaysOffSampler() });
  trace.setGlobalTracerProvider(provider);
  return { shutdown: () => provider.shutdown() };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
