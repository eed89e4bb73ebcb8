import type { IncomingHttpHeaders } from 'node:http';
import { type Context, context, isSpanContextValid, propagation, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace';

/**
 * The trace context helpers the platform uses, on OpenTelemetry's context (W3C Trace Context on
 * the wire). Spans themselves come from the instrumentations registered in `sdk.ts` (when spans
 * are recorded) and from `messaging.ts`; without a started SDK these are no-ops.
 */

/** The tracer of the platform's own spans (Kafka produce and consume). */
export const tracer = () => trace.getTracer('@shop/platform');

/** The current trace and span id, for log lines; undefined outside any trace. */
export function currentTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : undefined;
}

/** The W3C headers (`traceparent`, and `tracestate` when there is one) of `ctx`; empty outside any trace. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The context carried by W3C headers (a Kafka message's, an outbox entry's); the empty context without them. */
export function contextFromHeaders(headers: Record<string, string | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

const ids = new RandomIdGenerator();

let recorded = false;

/** Set once at start by `startTelemetry`: spans are recorded, and the instrumentations make the HTTP ones. */
export function setSpansRecorded(value: boolean): void {
  recorded = value;
}

/** Whether this process records spans (an exporter is named); false without a started SDK. */
export function spansRecorded(): boolean {
  return recorded;
}

/**
 * The context of an incoming request when spans are not recorded, and so no instrumentation gives
 * it a span (telemetry/sdk.ts): the caller's trace from its W3C headers, or a new one, under a span id of
 * the request's own. Not sampled, like the unrecorded span the instrumentation made: nothing of
 * it is recorded here, so services after it record nothing of it either.
 */
export function requestContext(headers: IncomingHttpHeaders): Context {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const caller = trace.getSpanContext(parent);
  const traceId = caller && isSpanContextValid(caller) ? caller.traceId : ids.generateTraceId();
  return trace.setSpanContext(parent, { traceId, spanId: ids.generateSpanId(), traceFlags: TraceFlags.NONE });
}

/** Runs `fn` outside the current trace: background work a request only woke up (the outbox relay). */
export function detached<T>(fn: () => T): T {
  return context.with(ROOT_CONTEXT, fn);
}

interface Flushable {
  forceFlush?: () => Promise<void>;
  getDelegate?: () => unknown;
}

/** Sends the spans still buffered (at shutdown, before the process exits). */
export async function flushSpans(): Promise<void> {
  const provider = trace.getTracerProvider() as Flushable;
  const sdk = (provider.getDelegate?.() ?? provider) as Flushable;
  await sdk.forceFlush?.().catch(() => {});
}
