import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface LoadRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds; the run ends after this long… */
  durationS: number;
  /** …or after this many requests, whichever comes first. */
  maxRequests: number;
  /** Builds request number `n` (0, 1, 2, … across all connections). */
  request: (n: number) => LoadRequest;
  /** Sees every answer (status, body) with the time the request was built (performance.now()). */
  onAnswer?: (status: number, body: string, sentAt: number) => void;
  /** Per-request timeout, seconds (autocannon's default is 10). */
  timeoutS?: number;
}

export interface LoadResult {
  requests: number;
  /** 2xx answers. */
  ok: number;
  /** Answers that were not 2xx, plus connection errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
  /** Requests still in flight when the run ended (dropped, counted nowhere else). */
  cutOff: number;
  /** 2xx answers per second of the run. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  durationS: number;
}

/** The p-th percentile (0..100) of sorted values, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

interface Context {
  sentAt?: number;
}

/**
 * One bounded load run with autocannon (as a library): `connections` keep-alive connections,
 * one request in flight on each, until `durationS` or `maxRequests`. Latencies are collected
 * from every response, so p95 is exact (autocannon's own summary has p97.5, not p95).
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let n = 0;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        pipelining: 1,
        duration: spec.durationS,
        maxOverallRequests: spec.maxRequests,
        timeout: spec.timeoutS ?? 10,
        requests: [
          {
            setupRequest: (_req: unknown, context: Context) => {
              const r = spec.request(n++);
              context.sentAt = performance.now();
              return {
                method: r.method ?? 'GET',
                path: r.path,
                headers: { ...(r.body === undefined ? {} : { 'content-type': 'application/json' }), ...r.headers },
                ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
              };
            },
            onResponse: (status: number, body: string, context: Context) => {
              spec.onAnswer?.(status, body, context.sentAt ?? performance.now());
            },
          },
        ],
      } as autocannon.Options,
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      const key = String(statusCode);
      statuses[key] = (statuses[key] ?? 0) + 1;
    });
  });
  const durationS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const ok = Object.entries(statuses).reduce((sum, [code, count]) => sum + (code.startsWith('2') ? count : 0), 0);
  // autocannon's `errors` already includes its `timeouts`.
  const failures = result.errors;
  if (result.timeouts > 0) statuses.timeout = result.timeouts;
  if (failures > result.timeouts) statuses['connection error'] = failures - result.timeouts;
  const sent = (result.requests as { sent?: number }).sent ?? 0;
  return {
    requests: latencies.length + failures,
    ok,
    errors: latencies.length - ok + failures,
    statuses,
    cutOff: Math.max(0, sent - latencies.length - failures),
    rps: ok / durationS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    mean: latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1),
    durationS,
  };
}
