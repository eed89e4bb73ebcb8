import { topics } from '@shop/contracts';
import type { Logger } from '@shop/platform/log';
import { createPlatform, type Platform } from '@shop/platform/service';
import { type GatewayConfig, upstreamsOf } from './config.ts';
import { registerProxy } from './http/proxy.ts';
import { registerWebApp } from './http/web-app.ts';

/** The composition root: platform → proxy to the seven services, the gateway's own routes, the web app. */
export async function buildGatewayService(config: GatewayConfig, options: { logger?: Logger } = {}): Promise<Platform> {
  const platform = await createPlatform({
    name: 'gateway',
    description:
      "The shop's one entry point: serves the web app at /, forwards /api/<service>/<path> to user, product, inventory, cart, order, payment and notification (Authorization passed through), and its own routes under /api/gateway/.",
    config,
    topics: [topics.orderEvents],
    ...options,
  });
  const upstreams = upstreamsOf(config);
  await registerProxy(platform.http, upstreams, { timeoutMs: config.REQUEST_TIMEOUT_MS });
  await registerWebApp(platform.http, config.WEB_DIST_DIR);
  return platform;
}
