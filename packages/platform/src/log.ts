import { type Logger, pino } from 'pino';
import { currentTrace } from './trace.ts';

export type { Logger } from 'pino';

/** One JSON logger per process; every line carries the current trace id when there is one. */
export function createLogger(options: { service: string; level?: string }): Logger {
  return pino({
    name: options.service,
    level: options.level ?? 'info',
    base: { service: options.service },
    mixin() {
      const trace = currentTrace();
      return trace ? { traceId: trace.traceId } : {};
    },
    redact: { paths: ['req.headers.authorization', 'password', '*.password', 'passwordHash'], censor: '[redacted]' },
  });
}
