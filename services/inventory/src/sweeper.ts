import type { Logger } from '@shop/platform/log';
import type { SweepReport } from './domain/sweep.ts';

/** Runs the sweep now and then every `intervalMs` after the previous pass ended, until stopped. */
export function startSweeper(sweep: () => Promise<SweepReport>, options: { intervalMs: number; logger: Logger }) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    running = sweep()
      .then((report) => {
        if (report.expired || report.repaired || report.orphanHolds || report.purged) options.logger.info(report, 'sweep');
      })
      .catch((err) => options.logger.warn({ err }, 'sweep failed; will try again'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
