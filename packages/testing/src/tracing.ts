/**
 * OpenTelemetry in a test process, its spans kept in memory: import this module first (before the
 * modules under test), as `--import` does for a service process, so node:http and the MongoDB
 * driver are instrumented when they load.
 */
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTelemetry } from '@shop/platform/telemetry/sdk';

export const finishedSpans = new InMemorySpanExporter();
await startTelemetry({ env: { OTEL_SERVICE_NAME: 'test' }, spanProcessors: [new SimpleSpanProcessor({ exporter: finishedSpans })] });

/** Runs `fn` in a new span of the test's own, as a request would; resolves with its result and the span's ids. */
export async function inTestSpan<T>(fn: () => Promise<T>): Promise<{ result: T; traceId: string; spanId: string }> {
  return trace.getTracer('test').startActiveSpan('test', async (span) => {
    try {
      const { traceId, spanId } = span.spanContext();
      return { result: await fn(), traceId, spanId };
    } finally {
      span.end();
    }
  });
}
