import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { Type } from 'typebox';

export const userConfigSchema = serviceConfigSchema(
  { PORT: 8080, MONGO_DB: 'shop_user' },
  {
    ADMIN_EMAIL: Type.String({ format: 'email', default: 'admin@shop.local', description: 'Admin account created at start' }),
    ADMIN_PASSWORD: Type.String({ minLength: 8, description: 'Password of the admin account created at start' }),
    LOGIN_RATE_LIMIT: Type.Integer({ default: 10, minimum: 1, description: 'Login (and register) attempts per minute per account (email), over all replicas' }),
    CLIENT_RATE_LIMIT: Type.Integer({ default: 60, minimum: 1, description: 'Login and register attempts per minute per client address, over all replicas' }),
    SCRYPT_COST: Type.Integer({ default: 32768, minimum: 1024, description: 'scrypt N parameter (a power of two)' }),
  },
);

export type UserConfig = ReturnType<typeof loadUserConfig>;

export const loadUserConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(userConfigSchema, env);
