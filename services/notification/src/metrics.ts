import { processMetric } from '@shop/platform/metrics';
import { Counter } from 'prom-client';
import type { Mailer } from './domain/notifications.ts';

/** The mailer, counting each send attempt: `mails_sent_total` and `mails_failed_total` (refused, unreachable or timed out). */
export function countingMails<M extends Mailer>(mailer: M): M {
  const sent = processMetric('mails_sent_total', () => new Counter({ name: 'mails_sent_total', help: 'Mails the SMTP server accepted' }));
  const failed = processMetric(
    'mails_failed_total',
    () => new Counter({ name: 'mails_failed_total', help: 'Mail send attempts that failed (each is retried later, up to MAX_SEND_ATTEMPTS)' }),
  );
  return {
    ...mailer,
    async send(mail) {
      try {
        await mailer.send(mail);
        sent.inc();
      } catch (error) {
        failed.inc();
        throw error;
      }
    },
  };
}

/** `mails_retried_total`: notifications the retry sweeper took up again after a failed or interrupted attempt. */
export function mailsRetriedCounter(): Counter {
  return processMetric(
    'mails_retried_total',
    () => new Counter({ name: 'mails_retried_total', help: 'Notifications the retry sweeper sent again, or handed to the sender again' }),
  );
}
