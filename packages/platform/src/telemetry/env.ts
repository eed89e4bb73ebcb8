import { basename, dirname } from 'node:path';

/**
 * What the standard OpenTelemetry variables ask for (the SDK's environment specification), read
 * once at start. Pure, so the rules are tested without a process.
 */
export interface TelemetrySettings {
  /** `zipkin`, `otlp`, `console`; empty when none is named (unset or `none`: nothing recorded). */
  exporters: string[];
  sampler: { kind: 'always_on' | 'always_off' | 'traceidratio'; parentBased: boolean; ratio: number };
  batch: { scheduledDelayMillis?: number; maxExportBatchSize?: number; maxQueueSize?: number; exportTimeoutMillis?: number };
  /** The name to give the resource when `OTEL_SERVICE_NAME` does not (taken from the script run). */
  derivedServiceName?: string;
}

const SAMPLERS: Record<string, TelemetrySettings['sampler']['kind'] | undefined> = {
  always_on: 'always_on',
  always_off: 'always_off',
  traceidratio: 'traceidratio',
};

function number(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** `services/order/src/server.ts` → `order-service`. */
export function serviceNameOf(script: string | undefined): string | undefined {
  if (!script) return undefined;
  const service = basename(dirname(dirname(script)));
  return service && service !== '.' && service !== '/' ? `${service}-service` : undefined;
}

export function telemetrySettings(env: NodeJS.ProcessEnv, script?: string): TelemetrySettings {
  // Unset is `none` here, unlike the specification's `otlp`: a service with no collector named
  // must not try one on localhost:4318.
  const exporters = [...new Set((env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim().toLowerCase()))].filter(
    (name) => name !== '' && name !== 'none',
  );
  const samplerName = (env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on').trim().toLowerCase();
  const kind = SAMPLERS[samplerName.replace(/^parentbased_/, '')];
  const given = number(env.OTEL_TRACES_SAMPLER_ARG);
  const ratio = given !== undefined && given <= 1 ? given : 1;
  return {
    exporters,
    // An unknown sampler is the default one, as the specification asks.
    sampler: kind ? { kind, parentBased: samplerName.startsWith('parentbased_'), ratio } : { kind: 'always_on', parentBased: true, ratio },
    batch: {
      scheduledDelayMillis: number(env.OTEL_BSP_SCHEDULE_DELAY),
      maxExportBatchSize: number(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE),
      maxQueueSize: number(env.OTEL_BSP_MAX_QUEUE_SIZE),
      exportTimeoutMillis: number(env.OTEL_BSP_EXPORT_TIMEOUT),
    },
    derivedServiceName: env.OTEL_SERVICE_NAME ? undefined : serviceNameOf(script),
  };
}
