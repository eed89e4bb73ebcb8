import { Counter, Histogram, register } from 'prom-client';

const DURATION = 'dependency_request_duration_seconds';
const FAILURES = 'dependency_request_failures_total';

type Reason = 'unreachable' | 'failed' | 'circuit_open';
type Labels = 'target' | 'method' | 'outcome';

interface Requesting {
  request(method: string, path: string, ...rest: never[]): Promise<unknown>;
}

/**
 * Measures every call of a service client: `dependency_request_duration_seconds{target,method,outcome}`
 * (whole calls, retries included; outcome `answered` for any answer below 500, else the reason)
 * and `dependency_request_failures_total{target,reason}` (reason: `unreachable`, `failed` (5xx,
 * timeout, broken answer) or `circuit_open`). On the default registry, shared by every client.
 */
export function measureCalls(client: Requesting, target: string, reasonOf: (error: unknown) => Reason): void {
  const duration =
    (register.getSingleMetric(DURATION) as Histogram<Labels> | undefined) ??
    new Histogram({
      name: DURATION,
      help: 'Calls to other services (retries included), by target service, method and outcome',
      labelNames: ['target', 'method', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
  const failures =
    (register.getSingleMetric(FAILURES) as Counter<'target' | 'reason'> | undefined) ??
    new Counter({ name: FAILURES, help: 'Calls to other services that failed (the caller got a 503), by target and reason', labelNames: ['target', 'reason'] });
  const request = client.request.bind(client);
  client.request = async (method, path, ...rest) => {
    const end = duration.startTimer({ target, method });
    try {
      const answer = await request(method, path, ...rest);
      end({ outcome: 'answered' });
      return answer;
    } catch (error) {
      const reason = reasonOf(error);
      end({ outcome: reason });
      failures.inc({ target, reason });
      throw error;
    }
  };
}
