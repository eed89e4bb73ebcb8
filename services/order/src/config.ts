import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { Type } from 'typebox';

const Url = (fallback: string, description: string) => Type.String({ default: fallback, pattern: '^https?://', description });

export const orderConfigSchema = serviceConfigSchema(
  { PORT: 7000, MONGO_DB: 'shop_order' },
  {
    PAYMENT_TOPIC: Type.String({ default: 'payment-events', minLength: 1, description: 'Topic payment outcomes are read from' }),
    KAFKA_GROUP_ID: Type.String({ default: 'order-service', minLength: 1, description: 'Consumer group (one per deployment; tests use their own)' }),
    RESERVATION_TTL_SECONDS: Type.Integer({
      default: 900,
      minimum: 1,
      description: 'How long inventory holds a reservation; every order ends within it plus the margin',
    }),
    ORDER_END_MARGIN_SECONDS: Type.Integer({
      default: 60,
      minimum: 0,
      description: 'Margin after the reservation TTL by which a still pending order is failed',
    }),
    SWEEP_INTERVAL_MS: Type.Integer({ default: 5_000, minimum: 50, description: 'How often interrupted orders are looked for' }),
    SWEEP_GRACE_MS: Type.Integer({
      default: 10_000,
      minimum: 0,
      description:
        'Age (since the last change) after which the sweeper moves a pending order on: charges it again (payment-service was away) or asks what became of its payment. Every step is idempotent, so it may overlap a slow request',
    }),
    PRODUCT_SERVICE_URL: Url('http://localhost:4000', 'product-service base URL'),
    INVENTORY_SERVICE_URL: Url('http://localhost:6000', 'inventory-service base URL'),
    CART_SERVICE_URL: Url('http://localhost:9000', 'cart-service base URL'),
    PAYMENT_SERVICE_URL: Url('http://localhost:3000', 'payment-service base URL'),
  },
);

export type OrderConfig = ReturnType<typeof loadOrderConfig>;

export const loadOrderConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(orderConfigSchema, env);
