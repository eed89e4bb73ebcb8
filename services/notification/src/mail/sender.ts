import type { Logger } from '@shop/platform/log';
import PQueue from 'p-queue';
import type { Dispatch } from '../domain/notifications.ts';

/**
 * Makes the first attempt of each stored notification outside the consume loop, a few at a time.
 * A slow or unreachable SMTP server then fills this queue, not the consumer's lag: events keep
 * being read and their notifications stored. The sweeper's retries come through here too, so its
 * pass never waits on the mail server either. Past `maxQueued` waiting sends, a notification is
 * left for a later sweep (it is stored and due), so memory stays bounded; at shutdown waiting
 * sends are dropped the same way.
 */
export function createSender(options: { concurrency: number; maxQueued: number; logger: Pick<Logger, 'warn'> }) {
  const queue = new PQueue({ concurrency: options.concurrency });
  // A notification still waiting here is not queued twice (the sweeper finds it due meanwhile).
  const waiting = new Set<string>();
  const dispatch: Dispatch = async (id, attempt) => {
    if (waiting.has(id)) return 'queued';
    if (queue.size >= options.maxQueued) return 'deferred';
    waiting.add(id);
    queue
      .add(() => {
        waiting.delete(id);
        return attempt(id);
      })
      .catch((err) => options.logger.warn({ err, notificationId: id }, 'send failed; the sweeper tries again'));
    return 'queued';
  };
  return {
    dispatch,
    /** Drops what waits and lets the sends under way finish. */
    async close() {
      queue.clear();
      waiting.clear();
      await queue.onIdle();
    },
  };
}
