import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { Type } from 'typebox';

export const notificationConfigSchema = serviceConfigSchema(
  { PORT: 2000, MONGO_DB: 'shop_notification' },
  {
    PAYMENT_TOPIC: Type.String({ default: 'payment-events', minLength: 1, description: 'Topic of the payment outcome events' }),
    SMTP_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'SMTP server' }),
    SMTP_PORT: Type.Integer({ default: 1025, minimum: 1, maximum: 65535, description: 'SMTP port (465 means implicit TLS)' }),
    SMTP_FROM: Type.String({ default: 'shop@shop.local', format: 'email', description: 'Sender address of every mail' }),
    SMTP_USER: Type.Optional(Type.String({ minLength: 1, description: 'SMTP login, when the server wants one' })),
    SMTP_PASSWORD: Type.Optional(Type.String({ minLength: 1, description: 'SMTP password' })),
    SMTP_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, description: 'Connect, greeting and socket timeout of one SMTP send' }),
    RETRY_INTERVAL_MS: Type.Integer({ default: 5_000, minimum: 50, description: 'How often the sweeper looks for notifications to (re)send' }),
    RETRY_BACKOFF_MS: Type.Integer({ default: 5_000, minimum: 10, description: 'Wait before the first resend; doubles per attempt' }),
    RETRY_BACKOFF_MAX_MS: Type.Integer({ default: 900_000, minimum: 10, description: 'Longest wait between two attempts' }),
    MAIL_CONCURRENCY: Type.Integer({ default: 8, minimum: 1, maximum: 100, description: 'Mails sent at once, outside the consume loop' }),
    MAIL_QUEUE_MAX: Type.Integer({
      default: 1_000,
      minimum: 1,
      description: 'First attempts waiting to be sent; past it a notification waits for the retry sweeper (it is stored either way)',
    }),
    RECIPIENT_CACHE_MS: Type.Integer({
      default: 10_000,
      minimum: 0,
      description:
        'How long an address read from the recipients book is kept in memory (0: read it for every mail). Another replica may mail a deleted user this long after the deletion',
    }),
    MAX_SEND_ATTEMPTS: Type.Integer({ default: 10, minimum: 1, maximum: 100, description: 'Attempts per notification before it stays FAILED' }),
  },
);

export type NotificationConfig = ReturnType<typeof loadNotificationConfig>;

export const loadNotificationConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(notificationConfigSchema, env);
