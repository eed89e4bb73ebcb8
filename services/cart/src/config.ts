import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { Type } from 'typebox';

export const cartConfigSchema = serviceConfigSchema(
  { PORT: 9000, MONGO_DB: 'shop_cart' },
  {
    PRODUCT_SERVICE_URL: Type.String({
      default: 'http://localhost:4000',
      pattern: '^https?://',
      description: 'product-service base URL (does a product without a stock record exist)',
    }),
    INVENTORY_SERVICE_URL: Type.String({
      default: 'http://localhost:6000',
      pattern: '^https?://',
      description: 'inventory-service base URL (available stock; a deleted product is discontinued there)',
    }),
    CART_MAX_LINES: Type.Integer({ default: 100, minimum: 1, maximum: 1000, description: 'Most distinct products one cart may hold' }),
  },
);

export type CartConfig = ReturnType<typeof loadCartConfig>;

export const loadCartConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(cartConfigSchema, env);
