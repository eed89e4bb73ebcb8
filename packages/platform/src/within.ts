/**
 * `promise`'s outcome, or `fallback` once `ms` have passed without one; the timer is cleared
 * either way, so nothing is left to keep the process up. For waits that must stay bounded (a
 * health check, a lag read at scrape time, the last commit at shutdown).
 */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(resolve, ms, fallback);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
