import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { Type } from 'typebox';

export const productConfigSchema = serviceConfigSchema(
  { PORT: 4000, MONGO_DB: 'shop_product' },
  {
    INVENTORY_SERVICE_URL: Type.String({ default: 'http://localhost:6000', pattern: '^https?://', description: 'Base URL of inventory-service' }),
    INVENTORY_TIMEOUT_MS: Type.Integer({
      default: 1000,
      minimum: 50,
      description: 'Timeout of the stock lookup behind GET /product/{id}; past it the product comes back with inventory: null',
    }),
  },
);

export type ProductConfig = ReturnType<typeof loadProductConfig>;

export const loadProductConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(productConfigSchema, env);
