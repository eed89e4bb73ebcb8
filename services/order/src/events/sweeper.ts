import type { Logger } from '@shop/platform/log';

export interface Sweeper {
  stop(): Promise<void>;
}

/** Runs `run` every `every` ms, one run at a time, until stopped; a failed run is logged and tried again next time. */
export function startSweeper(options: { every: number; run: () => Promise<number>; logger: Logger; name: string }): Sweeper {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    current = options
      .run()
      .then((count) => {
        if (count > 0) options.logger.info({ count }, `${options.name}: finished interrupted work`);
      })
      .catch((err) => options.logger.warn({ err }, `${options.name} failed; will try again`))
      .finally(() => {
        current = undefined;
        if (!stopped) timer = setTimeout(tick, options.every);
      });
  };
  timer = setTimeout(tick, options.every);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
