import { topics } from '@shop/contracts';
import { createUserDirectory } from '@shop/platform/http/user-directory';
import type { Logger } from '@shop/platform/log';
import { ensureIndexes } from '@shop/platform/mongo/connect';
import { createPlatform, type Platform } from '@shop/platform/service';
import type { NotificationConfig } from './config.ts';
import { createNotificationRules } from './domain/notifications.ts';
import { notificationHandlers } from './events/handlers.ts';
import { registerNotificationRoutes } from './http/routes.ts';
import { createSender } from './mail/sender.ts';
import { createSmtpMailer } from './mail/smtp.ts';
import { countingMails, mailsRetriedCounter } from './metrics.ts';
import { createNotificationStore, notificationIndexes } from './store/notifications.ts';
import { createRecipientBook } from './store/recipients.ts';

export interface NotificationServiceOptions {
  logger?: Logger;
  /** Kafka consumer group; tests give each instance its own so instances do not share partitions. */
  consumerGroup?: string;
}

/** The composition root: platform → stores, mailer, user-service client → rules → routes, consumers and the retry sweeper. */
export async function buildNotificationService(config: NotificationConfig, options: NotificationServiceOptions = {}): Promise<Platform> {
  const platform = await createPlatform({
    name: 'notification-service',
    description: 'Tells users by email what happened to their account, orders and payments',
    config,
    topics: [topics.userCreated, topics.userDeleted, topics.orderEvents, config.PAYMENT_TOPIC],
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { db } = platform.mongo;
  await ensureIndexes(db, notificationIndexes);
  const mailer = countingMails(
    createSmtpMailer({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      from: config.SMTP_FROM,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
      timeoutMs: config.SMTP_TIMEOUT_MS,
      connections: config.MAIL_CONCURRENCY,
    }),
  );
  const sender = createSender({ concurrency: config.MAIL_CONCURRENCY, maxQueued: config.MAIL_QUEUE_MAX, logger: platform.logger });
  const rules = createNotificationRules({
    store: createNotificationStore(db),
    recipients: createRecipientBook(db, { cacheMs: config.RECIPIENT_CACHE_MS }),
    users: createUserDirectory(platform.client('user-service', config.USER_SERVICE_URL)),
    mailer,
    // The lease outlasts the slowest send (connect + greeting + socket timeouts), so two senders never overlap.
    policy: {
      baseMs: config.RETRY_BACKOFF_MS,
      maxMs: config.RETRY_BACKOFF_MAX_MS,
      maxAttempts: config.MAX_SEND_ATTEMPTS,
      leaseMs: 3 * config.SMTP_TIMEOUT_MS + 5_000,
    },
    dispatch: sender.dispatch,
  });
  registerNotificationRoutes(platform.http, rules);
  await platform.startConsumer(notificationHandlers(rules, config.PAYMENT_TOPIC), options.consumerGroup ? { groupId: options.consumerGroup } : {});
  // Closers run in reverse: the sweeper stops, then the sender, before the mailer they use is closed.
  platform.onClose(async () => mailer.close());
  platform.onClose(() => sender.close());
  const retried = mailsRetriedCounter();
  platform.startSweeper('notification retries', config.RETRY_INTERVAL_MS, async () => {
    const taken = await rules.sweep();
    retried.inc(taken);
    return taken;
  });
  return platform;
}
