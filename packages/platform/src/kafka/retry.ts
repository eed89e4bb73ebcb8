/** Backoff settings shared by the consumer's handler retries and its own reconnects. */
export interface Backoff {
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Exponential delay for the n-th failure (1-based), capped, with jitter so replicas do not retry in lockstep. */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  const exponential = Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (Math.random() * exponential) / 2);
}

/** Waits `ms`; resolves false at once when `signal` aborts, so close() never waits out a backoff. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds (`{ ok: true }`) or `signal` aborts (`{ ok: false }`).
 * For steps whose failure means "a dependency is down": giving up would lose the message.
 */
export async function retryUntilAborted<T>(
  fn: () => Promise<T>,
  options: { backoff: Backoff; signal: AbortSignal; onFailure: (error: unknown, attempt: number) => void },
): Promise<{ ok: true; value: T } | { ok: false }> {
  for (let attempt = 1; !options.signal.aborted; attempt++) {
    try {
      return { ok: true, value: await fn() };
    } catch (error) {
      options.onFailure(error, attempt);
      if (!(await sleep(backoffDelay(options.backoff, attempt), options.signal))) break;
    }
  }
  return { ok: false };
}
