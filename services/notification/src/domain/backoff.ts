export interface RetryPolicy {
  /** Wait before the second attempt; doubles per attempt. */
  baseMs: number;
  maxMs: number;
  /** Attempts in all, the first included; after the last failure the notification stays FAILED. */
  maxAttempts: number;
}

/** Exponential wait after the n-th failed attempt (1-based), capped. Deterministic, so it can be tested and reasoned about. */
export function retryDelay(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}

/** When to try again after `attempts` failed attempts; null when they are used up. */
export function nextAttemptAt(attempts: number, policy: RetryPolicy, now: Date): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  return new Date(now.getTime() + retryDelay(attempts, policy));
}
