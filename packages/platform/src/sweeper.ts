import type { Logger } from './log.ts';

/** What a sweep pass did: a count, or counts by kind; anything above zero is logged. */
export type SweepResult = number | Record<string, number>;

export interface Sweeper {
  stop(): Promise<void>;
}

const didSomething = (result: SweepResult) => (typeof result === 'number' ? result > 0 : Object.values(result).some((count) => count > 0));

/**
 * Runs `run` now and then `everyMs` after each pass ended (never two at once) until stopped.
 * Sweepers finish what a crash interrupted, so a failed pass is logged and simply comes again.
 * A pass that takes longer than `slowMs` (default: its interval, at least 5 s) is a warning with
 * its duration: what it finishes waits that long (a half-made reservation, an interrupted order).
 */
export function startSweeper(options: {
  name: string;
  everyMs: number;
  run: () => Promise<SweepResult>;
  logger: Logger;
  slowMs?: number;
  /** The clock a pass is timed with, ms (tests give their own). */
  now?: () => number;
}): Sweeper {
  const slowMs = options.slowMs ?? Math.max(options.everyMs, 5_000);
  const now = options.now ?? (() => performance.now());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    const started = now();
    running = options
      .run()
      .then((result) => {
        const ms = Math.round(now() - started);
        if (ms > slowMs) options.logger.warn({ sweep: options.name, ms, result }, 'sweep pass was slow');
        else if (didSomething(result)) options.logger.info({ sweep: options.name, result }, 'sweep did some work');
      })
      .catch((err) => options.logger.warn({ err, sweep: options.name }, 'sweep failed; the next pass tries again'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, options.everyMs);
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
