import { topics } from '@shop/contracts';
import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { Type } from 'typebox';

export const inventoryConfigSchema = serviceConfigSchema(
  { PORT: 6000, MONGO_DB: 'shop_inventory' },
  {
    PAYMENT_TOPIC: Type.String({
      default: topics.paymentEvents,
      minLength: 1,
      description: 'Topic of payment results (commit on success, release on failure)',
    }),
    PRODUCT_SERVICE_URL: Type.String({
      default: 'http://localhost:4000',
      description: 'product-service, asked whether a product exists before stock is created for it',
    }),
    ORDER_SERVICE_URL: Type.String({
      default: 'http://localhost:7000',
      pattern: '^https?://',
      description: 'order-service, asked whether an order really failed or was cancelled before its stock is put back',
    }),
    RESERVATION_TTL_SECONDS: Type.Integer({ default: 900, minimum: 1, description: 'An unpaid reservation is released (EXPIRED) after this long' }),
    SWEEP_INTERVAL_MS: Type.Integer({ default: 5000, minimum: 50, description: 'How often expired reservations are released and half-made ones repaired' }),
    STOCK_REPAIR_INTERVAL_MS: Type.Integer({
      default: 60_000,
      minimum: 50,
      description:
        'How often stock is checked for what a crash left (holds of ended reservations, return marks, discontinued records); each check reads all stock',
    }),
    RESERVING_GRACE_SECONDS: Type.Integer({
      default: 30,
      minimum: 1,
      description: 'A reservation still being made (or re-taken) after this long was abandoned by a crash; the sweep gives its holds back',
    }),
  },
);

export type InventoryConfig = ReturnType<typeof loadInventoryConfig>;

export const loadInventoryConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(inventoryConfigSchema, env);
