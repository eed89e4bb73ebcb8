/**
 * Starts OpenTelemetry before the service's own modules load, so the instrumentations can patch
 * node:http and the MongoDB driver as they are first required. Every service process is started
 * with it: `node --import @shop/platform/telemetry/register src/server.ts` (docs/observability.md).
 */
import { createTelemetry } from './sdk.ts';

const telemetry = createTelemetry({ script: process.argv[1] });
telemetry.start();
// Spans still buffered go out before the process ends (runService exits on SIGTERM).
process.once('beforeExit', () => void telemetry.shutdown());
