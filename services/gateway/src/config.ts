import { fileURLToPath } from 'node:url';
import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { Type } from 'typebox';

/** The services behind the gateway: `/api/<name>/...` goes to `<NAME>_SERVICE_URL`. */
export const upstreamNames = ['user', 'product', 'inventory', 'cart', 'order', 'payment', 'notification'] as const;
export type UpstreamName = (typeof upstreamNames)[number];

const defaultPorts: Record<UpstreamName, number> = { user: 8080, product: 4000, inventory: 6000, cart: 9000, order: 7000, payment: 3000, notification: 2000 };

const Url = (fallback: string, description: string) => Type.String({ default: fallback, pattern: '^https?://', description });

const upstreamUrls = {
  USER_SERVICE_URL: Url(`http://localhost:${defaultPorts.user}`, 'user-service base URL'),
  PRODUCT_SERVICE_URL: Url(`http://localhost:${defaultPorts.product}`, 'product-service base URL'),
  INVENTORY_SERVICE_URL: Url(`http://localhost:${defaultPorts.inventory}`, 'inventory-service base URL'),
  CART_SERVICE_URL: Url(`http://localhost:${defaultPorts.cart}`, 'cart-service base URL'),
  ORDER_SERVICE_URL: Url(`http://localhost:${defaultPorts.order}`, 'order-service base URL'),
  PAYMENT_SERVICE_URL: Url(`http://localhost:${defaultPorts.payment}`, 'payment-service base URL'),
  NOTIFICATION_SERVICE_URL: Url(`http://localhost:${defaultPorts.notification}`, 'notification-service base URL'),
};

export const gatewayConfigSchema = serviceConfigSchema(
  { PORT: 8000, MONGO_DB: 'shop_gateway' },
  {
    ...upstreamUrls,
    WEB_DIST_DIR: Type.String({
      default: fileURLToPath(new URL('../../../web/dist', import.meta.url)),
      minLength: 1,
      description: 'The built web app (npm run build --workspace web), served at /',
    }),
    // Every open live-status page holds a request; the platform's default (256) would count them
    // against the same limit as ordinary requests.
    MAX_IN_FLIGHT: Type.Integer({ default: 2048, minimum: 1, description: 'Requests handled at once, open live streams included; past it a fast 503' }),
    MAX_LIVE_STREAMS: Type.Integer({ default: 1024, minimum: 1, description: 'Open /api/gateway/live/orders streams at once; past it a 503' }),
    LIVE_HEARTBEAT_MS: Type.Integer({
      default: 15_000,
      minimum: 50,
      description: 'How often an idle live stream gets a comment line, so proxies and load balancers keep it open',
    }),
    DLQ_REPLAY_STALE_MS: Type.Integer({
      default: 30_000,
      minimum: 1_000,
      description: 'A replay claimed this long ago and never finished (the gateway died mid-way) may be tried again',
    }),
  },
);

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export const loadGatewayConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(gatewayConfigSchema, env);

/** The base URL of each service behind the gateway. */
export function upstreamsOf(config: GatewayConfig): Record<UpstreamName, string> {
  return {
    user: config.USER_SERVICE_URL,
    product: config.PRODUCT_SERVICE_URL,
    inventory: config.INVENTORY_SERVICE_URL,
    cart: config.CART_SERVICE_URL,
    order: config.ORDER_SERVICE_URL,
    payment: config.PAYMENT_SERVICE_URL,
    notification: config.NOTIFICATION_SERVICE_URL,
  };
}
