import { type UpstreamName, upstreamNames } from '../config.ts';
import { fetchText } from './fetch-text.ts';
import { parsePrometheus, type Sample, sumOf } from './prometheus.ts';
import { createRateTracker, type OrderFigures, orderFigures, type ServiceMetrics, serviceMetrics } from './report.ts';

export interface ServiceStatus {
  name: UpstreamName;
  ready: boolean;
  /** What `/health/ready` said of each dependency (`mongo`, `kafka`: up/down); null when it did not answer. */
  checks: Record<string, string> | null;
  /** Why the service could not be read; null when it answered. */
  error: string | null;
  metrics: ServiceMetrics;
}

export interface SystemReport {
  checkedAt: string;
  services: ServiceStatus[];
  orders: OrderFigures & { perMinute: number | null };
}

const PROBE_TIMEOUT_MS = 2_000;

async function readService(name: UpstreamName, baseUrl: string): Promise<{ status: ServiceStatus; samples: Sample[] }> {
  const base = baseUrl.replace(/\/$/, '');
  const [ready, metrics] = await Promise.all([fetchText(`${base}/health/ready`, PROBE_TIMEOUT_MS), fetchText(`${base}/metrics`, PROBE_TIMEOUT_MS)]);
  let checks: Record<string, string> | null = null;
  if ('text' in ready) {
    try {
      checks = (JSON.parse(ready.text) as { checks?: Record<string, string> }).checks ?? null;
    } catch {
      checks = null;
    }
  }
  const samples = 'text' in metrics && metrics.status === 200 ? parsePrometheus(metrics.text) : [];
  const error = 'error' in ready ? ready.error : ready.status === 200 ? null : `/health/ready answered ${ready.status}`;
  return { status: { name, ready: 'status' in ready && ready.status === 200, checks, error, metrics: serviceMetrics(samples) }, samples };
}

/** Reads every service's readiness and metrics at once; orders per minute from this process's earlier readings. */
export function createSystemReader(upstreams: Record<UpstreamName, string>, now = () => Date.now()) {
  const ordersRate = createRateTracker({ windowMs: 5 * 60_000, minSpanMs: 10_000 });
  return async function read(): Promise<SystemReport> {
    const results = await Promise.all(upstreamNames.map((name) => readService(name, upstreams[name])));
    const orderSamples = results.find((r) => r.status.name === 'order')?.samples ?? [];
    const figures = orderFigures(orderSamples);
    return {
      checkedAt: new Date(now()).toISOString(),
      services: results.map((r) => r.status),
      orders: { ...figures, perMinute: ordersRate.observe(sumOf(orderSamples, 'orders_total'), now()) },
    };
  };
}
