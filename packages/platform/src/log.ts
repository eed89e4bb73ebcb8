import { type Logger, pino } from 'pino';
import { currentTraceIds } from './telemetry/context.ts';

export type { Logger } from 'pino';

/** One JSON logger per process; every line carries the current trace and span id (OpenTelemetry's context) when there is one. */
export function createLogger(options: { service: string; level?: string }): Logger {
  return pino({
    name: options.service,
    level: options.level ?? 'info',
    base: { service: options.service },
    mixin() {
      return currentTraceIds() ?? {};
    },
    redact: { paths: ['req.headers.authorization', 'password', '*.password', 'passwordHash'], censor: '[redacted]' },
  });
}
