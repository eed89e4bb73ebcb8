import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MongoClient } from 'mongodb';
import { call } from '../../tests/e2e/client.ts';
import type { BaselineServer } from './baseline.ts';
import type { createLagProbe, LagSample, watchOrderOutcomes } from './kafka.ts';
import { type LoadRequest, type LoadResult, percentile, runLoad } from './load.ts';
import { cpuMeter, shopTotal } from './proc.ts';
import { CATEGORIES } from './seed.ts';
import { ADDRESS, type Customer, fillCarts, pool } from './shop.ts';
import type { BenchSystem } from './system.ts';

export interface Settings {
  connections: number;
  durationS: number;
  warmupS: number;
  /** Upper bound on requests of one timed run. */
  maxRequests: number;
  /** Per-request timeout, seconds. */
  timeoutS: number;
  /** Orders per burst. */
  burstOrders: number;
  /** Longest a burst may take to send its orders, and then to see them end, seconds. */
  burstSendS: number;
  burstWaitS: number;
}

/** A stretch of time in the monotonic clock (µs, as in V8 CPU profiles), to cut profiles to. */
export interface Window {
  level: string;
  name: string;
  fromUs: number;
  toUs: number;
}

export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export interface Context {
  system: BenchSystem;
  baseline: BaselineServer;
  settings: Settings;
  productIds: string[];
  users: Customer[];
  watcher: Awaited<ReturnType<typeof watchOrderOutcomes>>;
  lag: ReturnType<typeof createLagProbe>;
  pids: () => Record<string, number>;
  /** A client of the MongoDB-wire server every service uses (its operation counters are read per ladder step). */
  mongo: MongoClient;
  log: (line: string) => void;
  /** The level being measured, and the windows measured so far. */
  level: string;
  windows: Window[];
  /** CPU ms per second all processes but the runner use at rest (pollers, sweepers), measured at the start of the level. */
  quietMsPerS: number;
}

export interface ScenarioResult extends LoadResult {
  /** CPU ms each process used per 2xx answer during the run. */
  cpuMsPerOk: Record<string, number>;
  /** Share of the machine's CPU (all cores) the run used, 0..1. */
  machineCpu: number;
}

export interface Scenario {
  name: string;
  /** The baseline it is compared with. */
  baseline?: 'findOne' | 'insertOne';
  target: (ctx: Context) => string;
  request: (ctx: Context, n: number) => LoadRequest;
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;

export const scenarios: Scenario[] = [
  {
    name: 'baseline findOne',
    target: (ctx) => ctx.baseline.url,
    request: (ctx) => ({ path: `/find/${pick(ctx.productIds)}` }),
  },
  {
    name: 'findOne with the product filter',
    target: (ctx) => ctx.baseline.url,
    request: (ctx) => ({ path: `/find-live/${pick(ctx.productIds)}` }),
  },
  {
    name: 'GET /product/{id}',
    baseline: 'findOne',
    target: (ctx) => ctx.system.url.product,
    request: (ctx) => ({ path: `/product/${pick(ctx.productIds)}` }),
  },
  {
    name: 'GET /product?category=',
    baseline: 'findOne',
    target: (ctx) => ctx.system.url.product,
    request: () => ({ path: `/product?category=${pick(CATEGORIES)}` }),
  },
  {
    name: 'baseline insertOne',
    target: (ctx) => ctx.baseline.url,
    request: (ctx, n) => {
      const user = ctx.users[n % ctx.users.length] as Customer;
      return { method: 'POST', path: '/insert', body: { userId: user.id, productId: pick(ctx.productIds), quantity: 1 } };
    },
  },
  {
    name: 'POST /cart',
    baseline: 'insertOne',
    target: (ctx) => ctx.system.url.cart,
    request: (ctx, n) => {
      const user = ctx.users[n % ctx.users.length] as Customer;
      return {
        method: 'POST',
        path: '/cart',
        headers: { authorization: `Bearer ${user.token}` },
        body: { userId: user.id, productId: pick(ctx.productIds), quantity: 1 },
      };
    },
  },
];

function perOk(cpuMs: Record<string, number>, ok: number): Record<string, number> {
  return Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, ok > 0 ? ms / ok : Number.NaN]));
}

const machineShare = (cpuMs: Record<string, number>, wallMs: number) =>
  Object.values(cpuMs).reduce((a, b) => a + b, 0) / (wallMs * navigator.hardwareConcurrency);

/**
 * Waits (up to `maxS`) until the processes are back to their CPU at rest: requests cut off at
 * the end of a run are still being worked on by the services and the database, and would
 * otherwise be billed to the next scenario.
 */
export async function settle(ctx: Context, maxS = 20): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < maxS * 1000) {
    const meter = cpuMeter(ctx.pids).start();
    await sleep(500);
    const { cpuMs, wallMs } = meter();
    const busy = shopTotal(cpuMs);
    if ((busy / wallMs) * 1000 <= ctx.quietMsPerS * 1.3 + 100) break;
  }
  return (performance.now() - started) / 1000;
}

/** One load of `scenario` for `durationS`, with the run's connections and bounds. */
function loadOf(ctx: Context, scenario: Scenario, durationS: number): Promise<LoadResult> {
  const { connections, maxRequests, timeoutS } = ctx.settings;
  return runLoad({ url: scenario.target(ctx), connections, durationS, maxRequests, request: (n) => scenario.request(ctx, n), timeoutS });
}

/**
 * Every scenario once, unmeasured, `seconds` each, before the first timed run: without it the
 * run's first load, the bare findOne, met a cold baseline process (slower than the filtered
 * findOne that followed it, which does more) and flattered every ratio against it.
 */
export async function warmAll(ctx: Context, seconds: number): Promise<void> {
  for (const scenario of scenarios) await loadOf(ctx, scenario, seconds);
}

/** A warm-up run (not kept), then the timed run, with the CPU each process used during it. */
export async function measure(ctx: Context, scenario: Scenario): Promise<ScenarioResult> {
  await settle(ctx);
  const { durationS, warmupS } = ctx.settings;
  if (warmupS > 0) await loadOf(ctx, scenario, warmupS);
  const meter = cpuMeter(ctx.pids).start();
  const fromUs = monotonicUs();
  const result = await loadOf(ctx, scenario, durationS);
  ctx.windows.push({ level: ctx.level, name: scenario.name, fromUs, toUs: monotonicUs() });
  const { cpuMs, wallMs } = meter();
  ctx.log(
    `  ${scenario.name.padEnd(24)} ${result.rps.toFixed(1).padStart(7)} req/s  p50 ${result.p50.toFixed(1)} p95 ${result.p95.toFixed(1)} p99 ${result.p99.toFixed(1)} ms  errors ${result.errors}${result.cutOff ? `  cut off ${result.cutOff}` : ''}`,
  );
  return { ...result, cpuMsPerOk: perOk(cpuMs, result.ok), machineCpu: machineShare(cpuMs, wallMs) };
}

export async function clearCarts(ctx: Context): Promise<void> {
  await pool(ctx.users, 8, async (user) => {
    const answer = await call(`${ctx.system.url.cart}/cart/${user.id}`, { method: 'DELETE', token: user.token });
    if (answer.status !== 204 && answer.status !== 404) throw new Error(`clearing a cart failed: ${JSON.stringify(answer)}`);
  });
}

export interface BurstResult {
  /** POST /order as autocannon saw it: answer times, errors. */
  placement: LoadResult;
  placed: number;
  outcomes: Record<string, number>;
  /** Orders with no terminal event within the wait. */
  unfinished: number;
  /** From sending POST /order to this benchmark's consumer seeing order.confirmed, ms. */
  endToEnd: { p50: number; p95: number; p99: number; max: number };
  /** From sending POST /order to the order.confirmed event's own time (order-service's decision), ms. */
  decided: { p50: number; p95: number };
  /** Confirmed orders per second, from the first POST to the last confirmation. */
  confirmedPerS: number;
  lag: LagSample[];
  /** Time until every consumer group had committed everything, ms after the burst; null if not within the wait. */
  lagDrainedMs: number | null;
  cpuMsPerOrder: Record<string, number>;
  machineCpu: number;
  wallS: number;
}

/**
 * A burst of orders: every customer's cart gets one product, then each customer places one
 * order (POST /order, `connections` at a time). The benchmark's own consumer of order-events
 * sees each order's final event; Kafka consumer lag is sampled right after the burst, 3 s later,
 * and until it is gone.
 */
export async function orderBurst(ctx: Context, users: Customer[], options: { quiet?: boolean; window?: string } = {}): Promise<BurstResult> {
  await fillCarts(ctx.system, users, () => pick(ctx.productIds), ctx.settings.connections);
  await settle(ctx);
  const sent = new Map<string, number>();
  const meter = cpuMeter(ctx.pids).start();
  const fromUs = monotonicUs();
  const placement = await runLoad({
    url: ctx.system.url.order,
    connections: Math.min(ctx.settings.connections, users.length),
    durationS: ctx.settings.burstSendS,
    maxRequests: users.length,
    timeoutS: ctx.settings.timeoutS,
    request: (n) => {
      const user = users[n % users.length] as Customer;
      return {
        method: 'POST',
        path: '/order',
        headers: { authorization: `Bearer ${user.token}` },
        body: { userId: user.id, address: ADDRESS, paymentInfo: 'card' },
      };
    },
    onAnswer: (status, body, sentAt) => {
      if (status !== 201) return;
      try {
        sent.set((JSON.parse(body) as { id: string }).id, sentAt);
      } catch {}
    },
  });
  const burstEnd = performance.now();
  const lag: LagSample[] = [await ctx.lag.sample(0)];
  const later = (async () => {
    await sleep(Math.max(0, burstEnd + 3000 - performance.now()));
    lag.push(await ctx.lag.sample(performance.now() - burstEnd));
  })();
  const deadline = burstEnd + ctx.settings.burstWaitS * 1000;
  const done = () => [...sent.keys()].every((id) => ctx.watcher.outcomes.has(id));
  // Drained: every order of the burst has ended and every consumer group has committed everything.
  const drained = (async (): Promise<number | null> => {
    for (;;) {
      const at = performance.now() - burstEnd;
      const ended = done();
      const sample = await ctx.lag.sample(at);
      if (ended && sample.total === 0) return at;
      if (performance.now() > deadline) {
        lag.push(sample);
        return null;
      }
      await sleep(100);
    }
  })();
  await later;
  const lagDrainedMs = await drained;
  lag.sort((a, b) => a.atMs - b.atMs);
  if (options.window) ctx.windows.push({ level: ctx.level, name: options.window, fromUs, toUs: monotonicUs() });
  const { cpuMs, wallMs } = meter();
  const outcomes: Record<string, number> = {};
  const e2e: number[] = [];
  const decided: number[] = [];
  let firstSent = Number.POSITIVE_INFINITY;
  let lastSeen = 0;
  const wallOffset = Date.now() - performance.now();
  for (const [id, sentAt] of sent) {
    const outcome = ctx.watcher.outcomes.get(id);
    const status = outcome?.status ?? 'unfinished';
    outcomes[status] = (outcomes[status] ?? 0) + 1;
    if (outcome?.status !== 'confirmed') continue;
    e2e.push(outcome.seenAt - sentAt);
    decided.push(outcome.eventTime - (sentAt + wallOffset));
    firstSent = Math.min(firstSent, sentAt);
    lastSeen = Math.max(lastSeen, outcome.seenAt);
  }
  e2e.sort((a, b) => a - b);
  decided.sort((a, b) => a - b);
  const confirmed = outcomes.confirmed ?? 0;
  const result: BurstResult = {
    placement,
    placed: sent.size,
    outcomes,
    unfinished: outcomes.unfinished ?? 0,
    endToEnd: { p50: percentile(e2e, 50), p95: percentile(e2e, 95), p99: percentile(e2e, 99), max: e2e.at(-1) ?? Number.NaN },
    decided: { p50: percentile(decided, 50), p95: percentile(decided, 95) },
    confirmedPerS: confirmed > 0 ? confirmed / ((lastSeen - firstSent) / 1000) : 0,
    lag,
    lagDrainedMs,
    cpuMsPerOrder: perOk(cpuMs, confirmed),
    machineCpu: machineShare(cpuMs, wallMs),
    wallS: wallMs / 1000,
  };
  if (!options.quiet) {
    ctx.log(
      `  ${'POST /order (burst)'.padEnd(24)} ${placement.rps.toFixed(0).padStart(6)} req/s  p50 ${placement.p50.toFixed(1)} p95 ${placement.p95.toFixed(1)} p99 ${placement.p99.toFixed(1)} ms  errors ${placement.errors}`,
    );
    ctx.log(
      `  ${'POST → confirmed'.padEnd(24)} ${result.confirmedPerS.toFixed(1).padStart(6)} orders/s  p50 ${result.endToEnd.p50.toFixed(0)} p95 ${result.endToEnd.p95.toFixed(0)} ms  outcomes ${JSON.stringify(outcomes)}  lag ${lag.map((s) => s.total).join(' → ')}${lagDrainedMs === null ? ' (not drained)' : ` → 0 after ${(lagDrainedMs / 1000).toFixed(1)} s`}`,
    );
  }
  return result;
}
