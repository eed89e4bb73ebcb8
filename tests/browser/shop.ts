import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { topics } from '@shop/contracts';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { type ServiceProcess, startServiceProcess } from '@shop/testing/processes';
import { ADMIN, type System, serviceNames, startSystem } from '../e2e/system.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIST = resolve(ROOT, 'web/dist');
const gatewayServer = resolve(ROOT, 'services/gateway/src/server.ts');

export { ADMIN };

export interface Shop {
  system: System;
  /** The gateway process: the web app and `/api/<service>/...` on one origin. */
  gateway: ServiceProcess;
  /** The gateway's URL, where a browser opens the shop. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The whole shop as real processes: the seven services (tests/e2e/system.ts) and the gateway
 * serving the built web app (web/dist) and forwarding `/api/<service>/...` to them. `env` goes to
 * every process (e.g. the OTEL_* settings); `web: false` for tests of the API alone.
 */
export async function startShop(options: { env?: Record<string, string>; web?: boolean } = {}): Promise<Shop> {
  if (!existsSync(gatewayServer)) throw new Error('services/gateway is missing: the shop needs its gateway');
  if (options.web !== false && !existsSync(resolve(WEB_DIST, 'index.html'))) throw new Error('web/dist is missing: run `npm run build --workspace web` first');
  const system = await startSystem(options.env);
  try {
    const brokers = (process.env.KAFKA_BROKER ?? '127.0.0.1:19092').split(',');
    const group = await freshGroupAtEnd('browser-gateway', Object.values(topics), brokers);
    const gateway = await startServiceProcess(
      'gateway',
      {
        ...testEnv(),
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        KAFKA_GROUP_ID: group,
        WEB_DIST_DIR: WEB_DIST,
        ...Object.fromEntries(serviceNames.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, system.url[name]])),
        ...options.env,
      },
      { timeoutMs: 60_000 },
    );
    return {
      system,
      gateway,
      url: gateway.url,
      async stop() {
        await gateway.stop();
        await system.stop();
      },
    };
  } catch (error) {
    await system.stop();
    throw error;
  }
}
