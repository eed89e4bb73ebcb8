import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { Type } from 'typebox';

const Url = (fallback: string, description: string) => Type.String({ default: fallback, pattern: '^https?://', description });

export const paymentConfigSchema = serviceConfigSchema(
  { PORT: 3000, MONGO_DB: 'shop_payment' },
  {
    PAYMENT_TOPIC: Type.String({ default: 'payment-events', minLength: 1, description: 'Topic the payment outcomes are published to' }),
    PAYMENT_LATENCY_MS: Type.Integer({ default: 0, minimum: 0, maximum: 60_000, description: 'Simulated gateway latency per charge' }),
    PAYMENT_FAILURE_RATE: Type.Number({
      default: 0,
      minimum: 0,
      maximum: 1,
      description: 'Share of card charges the simulated gateway declines (by payment id)',
    }),
    SWEEP_INTERVAL_MS: Type.Integer({ default: 5_000, minimum: 50, description: 'How often unfinished charges are looked for' }),
    SWEEP_GRACE_MS: Type.Integer({ default: 10_000, minimum: 0, description: 'Age after which a charge still `processing` is finished by the sweeper' }),
    KAFKA_GROUP_ID: Type.String({ default: 'payment-service', minLength: 1, description: 'Consumer group (one per deployment; tests use their own)' }),
    ORDER_SERVICE_URL: Url('http://localhost:7000', 'order-service base URL'),
  },
);

export type PaymentConfig = ReturnType<typeof loadPaymentConfig>;

export const loadPaymentConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(paymentConfigSchema, env);
