import type { Logger } from '@shop/platform/log';

/** Runs `sweep` every `intervalMs` (never two at once) until stopped; a failed round is logged and the next one comes. */
export function startSweeper(options: { sweep: () => Promise<number>; intervalMs: number; logger: Logger }): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    running = options
      .sweep()
      .then((sent) => {
        if (sent > 0) options.logger.info({ sent }, 'notifications resent');
      })
      .catch((err) => options.logger.warn({ err }, 'notification sweep failed; next round retries'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
