import { Counter, register } from 'prom-client';
import type { Logger } from '../log.ts';

const UNCONFIRMED = 'events_unconfirmed_total';

function unconfirmedCounter(): Counter<'type'> {
  return (
    (register.getSingleMetric(UNCONFIRMED) as Counter<'type'> | undefined) ??
    new Counter({ name: UNCONFIRMED, help: 'Events not acted on because the service that owns the fact did not confirm it', labelNames: ['type'] })
  );
}

/**
 * An event alone never moves money or stock back: before a consumer refunds or restocks, it asks
 * the service that owns the fact (e.g. order-service: is this order really failed?). An event the
 * owner does not confirm — forged, or written by a confused producer — is logged, counted and
 * skipped. A 503 from the owner is thrown, so the consumer retries later.
 */
export async function whenConfirmed(options: {
  type: string;
  subject: string;
  logger: Logger;
  confirm: () => Promise<boolean>;
  act: () => Promise<void>;
}): Promise<void> {
  if (await options.confirm()) return options.act();
  unconfirmedCounter().inc({ type: options.type });
  options.logger.warn({ type: options.type, subject: options.subject }, 'event not confirmed by the service that owns it; ignored');
}
