import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How long the caller of the current request still waits. A request carries it in
 * `x-request-timeout-ms` (relative, so clocks of different machines never matter); every call
 * this service makes on its behalf gets only what is left, never a fresh timeout per hop, so a
 * request the caller gave up on stops costing work downstream.
 */
export const DEADLINE_HEADER = 'x-request-timeout-ms';

const storage = new AsyncLocalStorage<number>();

/** The deadline (epoch ms) of a request: the caller's budget, capped by this service's own limit. */
export function deadlineFrom(header: string | string[] | undefined, limitMs: number, now = Date.now()): number {
  const asked = typeof header === 'string' && /^\d{1,9}$/.test(header) ? Number(header) : Number.POSITIVE_INFINITY;
  return now + Math.min(asked, limitMs);
}

/** Runs `fn` with `deadline` (epoch ms) as the current request's deadline. */
export function withDeadline<T>(deadline: number, fn: () => T): T {
  return storage.run(deadline, fn);
}

/** Milliseconds left before the current request's deadline; Infinity outside a request (consumers, sweepers). */
export function remainingMs(now = Date.now()): number {
  const deadline = storage.getStore();
  return deadline === undefined ? Number.POSITIVE_INFINITY : deadline - now;
}
