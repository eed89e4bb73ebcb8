/**
 * Retries allowed as a share of calls, so that when a dependency struggles, retries add at most
 * `ratio` more load instead of multiplying it by the attempt count (the "retry storm"). Each call
 * earns `ratio` of a retry, up to `burst` saved; each retry spends one.
 */
export interface RetryBudget {
  recordRequest(): void;
  /** Spends one retry if the budget has one. */
  tryRetry(): boolean;
}

export function createRetryBudget(options: { ratio?: number; burst?: number } = {}): RetryBudget {
  const ratio = options.ratio ?? 0.2;
  const burst = options.burst ?? 10;
  let tokens = burst;
  return {
    recordRequest() {
      tokens = Math.min(burst, tokens + ratio);
    },
    tryRetry() {
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
