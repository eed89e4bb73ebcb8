/**
 * Starts OpenTelemetry before the service's own modules load, so the instrumentations can patch
 * node:http and the MongoDB driver as they are first required. Every service process is started
 * with it: `node --import @shop/platform/telemetry/register src/server.ts` (docs/observability.md).
 * The platform flushes buffered spans at shutdown (`flushSpans`, service.ts).
 */
import { startTelemetry } from './sdk.ts';

await startTelemetry({ script: process.argv[1] });
