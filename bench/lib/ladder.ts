import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { countDbOps, type DbOps } from './db-ops.ts';
import type { LagSample, OrderOutcome } from './kafka.ts';
import { percentile } from './load.ts';
import { cpuMeter, shopTotal } from './proc.ts';
import { type Context, measure, type Scenario, scenarios, settle } from './scenarios.ts';
import { ADDRESS, type Customer } from './shop.ts';

/**
 * The load ladder: checkout as a closed loop. N customers each refill their cart (one unit of one
 * product; not timed), POST /order with an Idempotency-Key of its own, wait until the benchmark's
 * Kafka watcher sees the order end (confirmed / failed / cancelled), and start over, until the
 * step's orders are placed or its time cap is reached. A 503 is retried after its Retry-After with
 * the same key. Each step is preceded by the same-run floor: the baseline's bare insertOne route
 * at the same concurrency.
 */

export interface StepSpec {
  label: string;
  kind: 'step' | 'sustained';
  /** Customers, each with one order in flight at a time. */
  inFlight: number;
  orders: number;
  /** The step stops placing new orders after this long (the orders in flight still end). */
  capS: number;
  /** Sustained: orders per slice of the trend table (first vs last). */
  chunk?: number;
}

/** The baseline's insertOne route at the step's concurrency, measured right before (and, sustained, right after) it. */
export interface Floor {
  connections: number;
  perS: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU ms each process used per insert. */
  cpuMsPerInsert: Record<string, number>;
}

export interface LadderStep {
  label: string;
  kind: 'step' | 'sustained';
  inFlight: number;
  ordersWanted: number;
  capS: number;
  /** Orders whose loop ended (answered, and seen to end or waited for in vain). */
  ordersDone: number;
  /** The time cap stopped the step before all its orders were placed. */
  capped: boolean;
  /** From the first POST to the last customer's last order ending, s (cart refills included; the drain after it not). */
  wallS: number;
  confirmed: number;
  confirmedPerS: number;
  /** POST /order answer times, ms: the answer that was not a 503 (each try is timed on its own). */
  post: { n: number; p50: number; p99: number };
  /** From the first try of POST /order to the watcher seeing order.confirmed, ms (503 waits included). */
  endToEnd: { n: number; p50: number; p99: number };
  /** The bench gives every product far more stock than it orders, so every refusal for stock is false. */
  falseRefusals: { answered409: number; failedForStock: number };
  /** POST /order answered 503: answers, orders that saw one, orders that still had a 503 after the last try, answer time p50, Retry-After values seen. */
  fast503: { answers: number; orders: number; gaveUp: number; p50: number; retryAfterS: string[] };
  /** Other answers that were not 200/201 (and not a stock refusal), by status and problem code; connection errors. */
  otherErrors: Record<string, number>;
  /** How placed orders ended, as the watcher saw them (unfinished: not within the wait). */
  outcomes: Record<string, number>;
  failedByReason: Record<string, number>;
  /** Orders whose answer held other than one unit (a cart refill raced with the previous order's cart update). */
  notOneUnit: number;
  /** Orders not placed because the cart could not be refilled. */
  refillFailures: number;
  /** Consumer lag (all groups but the benchmark's): the most seen while the step ran, at its end, and when it reached 0 after. */
  lag: {
    maxDuring: number;
    atEnd: number;
    drainedAfterMs: number | null;
    samples: number;
    /** The most each consumer group was behind in one sample (groups that were). */
    maxByGroup: Record<string, number>;
    /** Per group at the step's end (groups behind). */
    atEndByGroup: Record<string, number>;
  };
  /** CPU ms each process used per confirmed order, from the first POST until the lag drained. */
  cpuMsPerConfirmed: Record<string, number>;
  /** Database operations per confirmed order over the same time (`serverStatus.opcounters`), when the server reports them. */
  dbOpsPerConfirmed?: DbOps;
  machineCpu: number;
  floor?: Floor;
  floorAfter?: Floor;
  /** Sustained: per slice of `chunk` orders in the order they were started. */
  chunks?: {
    from: number;
    to: number;
    /** When the slice's first order was started, s after the step began. */
    startedS: number;
    postP50: number;
    endToEndP50: number;
    /** The slice's orders ÷ the time over which they were started (in a closed loop, the rate they went through). */
    startedPerS: number;
    notConfirmed: number;
  }[];
  /** Sustained: the first and the last `size` orders. */
  firstVsLast?: { size: number; first: { postP50: number; endToEndP50: number }; last: { postP50: number; endToEndP50: number } };
}

interface Placed {
  index: number;
  /** performance.now() of the first try. */
  firstSentAt: number;
  /** performance.now() when a customer took it (before its cart refill). */
  claimedAt: number;
  postMs?: number;
  status: number;
  code?: string;
  tries503: number;
  id?: string;
  units?: number;
  outcome?: OrderOutcome;
  refillFailed?: boolean;
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
/** Most 503 answers one order is retried through before it counts as given up. */
const MAX_503_TRIES = 20;

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the services' JSON, read loosely
  body: any;
  retryAfter: string | null;
  ms: number;
}

async function request(url: string, init: { method: string; token: string; body?: unknown; headers?: Record<string, string> }): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: {
        authorization: `Bearer ${init.token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: response.status, body, retryAfter: response.headers.get('retry-after'), ms: performance.now() - started };
  } catch (error) {
    return {
      status: 0,
      body: { code: (error as Error).name === 'TimeoutError' ? 'timeout' : 'connection error' },
      retryAfter: null,
      ms: performance.now() - started,
    };
  }
}

/** Seconds to wait before retrying a 503: Retry-After as seconds or an HTTP date, 1 s without one, at most 30 s. */
function retryDelayS(header: string | null): number {
  if (header === null) return 1;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(30, Math.max(0, seconds));
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.min(30, Math.max(0, (at - Date.now()) / 1000)) : 1;
}

/**
 * Empties the customer's cart and puts one unit of a product in it (a few tries on 5xx); false
 * when that failed. At once, even when cart-service has not yet taken the last confirmed order's
 * unit out: the order's late confirmation leaves a unit put in after an empty alone
 * (docs/cart-marks.md), so a person can shop on without waiting for it.
 */
async function refill(ctx: Context, c: Customer): Promise<boolean> {
  const cart = ctx.system.url.cart;
  let empty = false;
  for (let attempt = 1; attempt <= 4; attempt++) {
    if (!empty) {
      const cleared = await request(`${cart}/cart/${c.id}`, { method: 'DELETE', token: c.token });
      if (cleared.status >= 400 && cleared.status < 500 && cleared.status !== 404 && cleared.status !== 429) return false;
      empty = cleared.status === 204 || cleared.status === 404;
    }
    if (empty) {
      const added = await request(`${cart}/cart`, { method: 'POST', token: c.token, body: { userId: c.id, productId: pick(ctx.productIds), quantity: 1 } });
      if (added.status === 200 || added.status === 201) return true;
      if (added.status >= 400 && added.status < 500 && added.status !== 429) return false;
    }
    await sleep(250 * attempt);
  }
  return false;
}

/** One run of the closed loop; `floorAgain` measures the insertOne floor after it too. */
export async function runStep(ctx: Context, spec: StepSpec, options: { orderWaitS?: number; drainS?: number } = {}): Promise<LadderStep> {
  const orderWaitS = options.orderWaitS ?? 60;
  const drainS = options.drainS ?? 30;
  const users = ctx.users.slice(0, spec.inFlight);
  if (users.length < spec.inFlight) throw new Error(`${spec.inFlight} in flight needs ${spec.inFlight} customers; there are ${users.length}`);
  ctx.log(`ladder: ${spec.label}: ${spec.orders} orders, ${spec.inFlight} in flight (capped at ${spec.capS} s)`);
  const floor = await insertFloor(ctx, spec.inFlight);
  await settle(ctx);

  const run = randomBytes(3).toString('hex');
  const placed: Placed[] = [];
  const retryAfters = new Set<string>();
  const answers503: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + spec.capS * 1000;
  const claim = () => (next < spec.orders && performance.now() < deadline ? next++ : null);

  const lag: LadderStep['lag'] = { maxDuring: 0, atEnd: 0, drainedAfterMs: null, samples: 0, maxByGroup: {}, atEndByGroup: {} };
  const byGroup = (sample: LagSample) => {
    for (const [group, behind] of Object.entries(sample.byGroup)) if (behind > (lag.maxByGroup[group] ?? 0)) lag.maxByGroup[group] = behind;
  };
  let running = true;
  const sampler = (async () => {
    const every = spec.kind === 'sustained' ? 5000 : 2000;
    while (running) {
      const sample = await ctx.lag.sample().catch(() => null);
      if (sample) {
        lag.maxDuring = Math.max(lag.maxDuring, sample.total);
        lag.samples++;
        byGroup(sample);
      }
      const until = performance.now() + every;
      while (running && performance.now() < until) await sleep(100);
    }
  })();
  const progress = setInterval(() => {
    const done = placed.filter((p) => p.outcome).length;
    ctx.log(`  ${spec.label}: ${next} started, ${done} ended, ${placed.filter((p) => p.outcome?.status === 'confirmed').length} confirmed`);
  }, 30_000);

  const meter = cpuMeter(ctx.pids).start();
  const dbOps = await countDbOps(ctx.mongo);
  const customer = async (c: Customer) => {
    for (let i = claim(); i !== null; i = claim()) {
      const order: Placed = { index: i, claimedAt: performance.now(), firstSentAt: 0, status: 0, tries503: 0 };
      placed.push(order);
      if (!(await refill(ctx, c))) {
        order.refillFailed = true;
        continue;
      }
      const key = `bench-${run}-${i}`;
      order.firstSentAt = performance.now();
      let answer: Answer;
      for (;;) {
        answer = await request(`${ctx.system.url.order}/order`, {
          method: 'POST',
          token: c.token,
          headers: { 'idempotency-key': key },
          body: { userId: c.id, address: ADDRESS, paymentInfo: 'card' },
        });
        if (answer.status !== 503) break;
        order.tries503++;
        answers503.push(answer.ms);
        if (answer.retryAfter !== null) retryAfters.add(answer.retryAfter);
        if (order.tries503 >= MAX_503_TRIES || performance.now() > deadline + 30_000) break;
        await sleep(retryDelayS(answer.retryAfter) * 1000);
      }
      order.status = answer.status;
      order.postMs = answer.ms;
      order.code = typeof answer.body?.code === 'string' ? answer.body.code : undefined;
      if (answer.status !== 200 && answer.status !== 201) continue;
      order.id = answer.body?.id;
      order.units = Array.isArray(answer.body?.items)
        ? answer.body.items.reduce((sum: number, line: { quantity?: number }) => sum + (line.quantity ?? 0), 0)
        : undefined;
      if (typeof order.id !== 'string') continue;
      const waitMs = Math.max(10_000, Math.min(orderWaitS * 1000, deadline + 30_000 - performance.now()));
      order.outcome = await ctx.watcher.waitFor(order.id, waitMs);
    }
  };
  await Promise.all(users.map(customer));
  const wallS = (performance.now() - started) / 1000;
  running = false;
  clearInterval(progress);
  await sampler;
  const ended = performance.now();
  for (let first = true; ; first = false) {
    const sample = await ctx.lag.sample().catch(() => null);
    if (first && sample) {
      lag.atEnd = sample.total;
      lag.atEndByGroup = Object.fromEntries(Object.entries(sample.byGroup).filter(([, behind]) => behind > 0));
      byGroup(sample);
    }
    if (sample?.total === 0) {
      lag.drainedAfterMs = performance.now() - ended;
      break;
    }
    if (performance.now() - ended > drainS * 1000) break;
    await sleep(250);
  }
  const { cpuMs, wallMs } = meter();
  const ops = await dbOps.stop();
  const floorAfter = spec.kind === 'sustained' ? await insertFloor(ctx, spec.inFlight) : undefined;

  const step = summarise(spec, placed, {
    startedAt: started,
    wallS,
    lag,
    cpuMs,
    wallMs,
    answers503,
    retryAfters: [...retryAfters],
    capped: next < spec.orders,
  });
  step.floor = floor;
  if (floorAfter) step.floorAfter = floorAfter;
  if (ops && step.confirmed > 0) step.dbOpsPerConfirmed = Object.fromEntries(Object.entries(ops).map(([op, n]) => [op, n / step.confirmed])) as DbOps;
  ctx.log(stepLine(step));
  return step;
}

const insertScenario = scenarios.find((s) => s.name === 'baseline insertOne') as Scenario;

async function insertFloor(ctx: Context, connections: number): Promise<Floor | undefined> {
  try {
    const result = await measure({ ...ctx, settings: { ...ctx.settings, connections } }, { ...insertScenario, name: `baseline insertOne ×${connections}` });
    return { connections, perS: result.rps, p50: result.p50, p99: result.p99, errors: result.errors, cpuMsPerInsert: result.cpuMsPerOk };
  } catch (error) {
    ctx.log(`  insertOne floor failed: ${(error as Error).message}`);
    return undefined;
  }
}

const STOCK_REFUSAL = /stock/i;

function summarise(
  spec: StepSpec,
  placed: Placed[],
  m: {
    startedAt: number;
    wallS: number;
    lag: LadderStep['lag'];
    cpuMs: Record<string, number>;
    wallMs: number;
    answers503: number[];
    retryAfters: string[];
    capped: boolean;
  },
): LadderStep {
  placed.sort((a, b) => a.index - b.index);
  const outcomes: Record<string, number> = {};
  const failedByReason: Record<string, number> = {};
  const otherErrors: Record<string, number> = {};
  const falseRefusals = { answered409: 0, failedForStock: 0 };
  let notOneUnit = 0;
  for (const p of placed) {
    if (p.refillFailed) continue;
    if (p.status === 200 || p.status === 201) {
      const status = p.outcome?.status ?? 'unfinished';
      outcomes[status] = (outcomes[status] ?? 0) + 1;
      if (p.units !== undefined && p.units !== 1) notOneUnit++;
      if (p.outcome && p.outcome.status !== 'confirmed') {
        const reason = `${p.outcome.status}: ${p.outcome.reason ?? '(no reason)'}`;
        failedByReason[reason] = (failedByReason[reason] ?? 0) + 1;
        if (STOCK_REFUSAL.test(p.outcome.reason ?? '')) falseRefusals.failedForStock++;
      }
    } else if (p.status === 409 && p.code === 'INSUFFICIENT_STOCK') {
      falseRefusals.answered409++;
    } else if (p.status !== 503) {
      const key = p.status === 0 ? (p.code ?? 'connection error') : `${p.status}${p.code ? ` ${p.code}` : ''}`;
      otherErrors[key] = (otherErrors[key] ?? 0) + 1;
    }
  }
  const answered = placed.filter((p) => p.postMs !== undefined && p.status !== 503 && p.status !== 0);
  const confirmed = placed.filter((p) => p.outcome?.status === 'confirmed');
  const post = sorted(answered.map((p) => p.postMs as number));
  const e2e = sorted(confirmed.map((p) => (p.outcome as OrderOutcome).seenAt - p.firstSentAt));
  const with503 = placed.filter((p) => p.tries503 > 0);
  const step: LadderStep = {
    label: spec.label,
    kind: spec.kind,
    inFlight: spec.inFlight,
    ordersWanted: spec.orders,
    capS: spec.capS,
    ordersDone: placed.length,
    capped: m.capped,
    wallS: m.wallS,
    confirmed: confirmed.length,
    confirmedPerS: confirmed.length / Math.max(m.wallS, 0.001),
    post: { n: post.length, p50: percentile(post, 50), p99: percentile(post, 99) },
    endToEnd: { n: e2e.length, p50: percentile(e2e, 50), p99: percentile(e2e, 99) },
    falseRefusals,
    fast503: {
      answers: m.answers503.length,
      orders: with503.length,
      gaveUp: with503.filter((p) => p.status === 503).length,
      p50: percentile(sorted(m.answers503), 50),
      retryAfterS: m.retryAfters.slice(0, 5),
    },
    otherErrors,
    outcomes,
    failedByReason,
    notOneUnit,
    refillFailures: placed.filter((p) => p.refillFailed).length,
    lag: m.lag,
    cpuMsPerConfirmed: Object.fromEntries(Object.entries(m.cpuMs).map(([name, ms]) => [name, confirmed.length ? ms / confirmed.length : Number.NaN])),
    machineCpu: Object.values(m.cpuMs).reduce((a, b) => a + b, 0) / (m.wallMs * navigator.hardwareConcurrency),
  };
  if (spec.kind === 'sustained') {
    const size = spec.chunk ?? 1000;
    const slice = (list: Placed[]) => {
      const ok = list.filter((p) => p.outcome?.status === 'confirmed');
      return {
        postP50: percentile(sorted(list.filter((p) => p.postMs !== undefined && p.status !== 503).map((p) => p.postMs as number)), 50),
        endToEndP50: percentile(sorted(ok.map((p) => (p.outcome as OrderOutcome).seenAt - p.firstSentAt)), 50),
      };
    };
    step.chunks = [];
    const endedAt = m.startedAt + m.wallS * 1000;
    for (let from = 0; from < placed.length; from += size) {
      const part = placed.slice(from, from + size);
      const [begin, until] = [(part[0] as Placed).claimedAt, placed[from + size]?.claimedAt ?? endedAt];
      step.chunks.push({
        from,
        to: from + part.length,
        startedS: (begin - m.startedAt) / 1000,
        ...slice(part),
        startedPerS: part.length / Math.max((until - begin) / 1000, 0.001),
        notConfirmed: part.filter((p) => p.outcome?.status !== 'confirmed').length,
      });
    }
    const k = Math.min(size, Math.floor(placed.length / 2));
    if (k > 0) {
      const [first, last] = [slice(placed.slice(0, k)), slice(placed.slice(-k))];
      step.firstVsLast = {
        size: k,
        first: { postP50: first.postP50, endToEndP50: first.endToEndP50 },
        last: { postP50: last.postP50, endToEndP50: last.endToEndP50 },
      };
    }
  }
  return step;
}

// ——— rendering (console and report) ———

const fixed = (digits: number) => (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const f0 = fixed(0);
const f1 = fixed(1);
/** Two significant digits below 1, two decimals above (one above 10, none above 100). */
const ratio = (n: number | null | undefined) =>
  n == null || !Number.isFinite(n) ? '–' : `${n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n >= 1 ? n.toFixed(2) : Number(n.toPrecision(2)).toString()}×`;
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const DATABASE = ['mongo', 'ferretdb'];
const dbOf = (values: Record<string, number> | undefined) => (values ? DATABASE.map((n) => values[n]).find((v) => v !== undefined) : undefined);

/** The floor a step's ratios use: the insertOne run before it, averaged with the one after (sustained). */
export function floorOf(step: LadderStep): Floor | undefined {
  const [a, b] = [step.floor, step.floorAfter];
  if (!a || !b) return a ?? b;
  const avg = (x: number, y: number) => (x + y) / 2;
  const names = [...new Set([...Object.keys(a.cpuMsPerInsert), ...Object.keys(b.cpuMsPerInsert)])];
  return {
    connections: a.connections,
    perS: avg(a.perS, b.perS),
    p50: avg(a.p50, b.p50),
    p99: avg(a.p99, b.p99),
    errors: a.errors + b.errors,
    cpuMsPerInsert: Object.fromEntries(names.map((n) => [n, avg(a.cpuMsPerInsert[n] ?? Number.NaN, b.cpuMsPerInsert[n] ?? Number.NaN)])),
  };
}

/** The group furthest behind, as " (group n)". */
const topGroup = (byGroup: Record<string, number> | undefined) => {
  const [group, behind] = Object.entries(byGroup ?? {}).sort((a, b) => b[1] - a[1])[0] ?? [];
  return group ? ` (${group} ${behind})` : '';
};
const ordersCell = (s: LadderStep) => `${s.ordersDone} of ${s.ordersWanted}${s.capped ? ` (**capped** at ${s.capS} s)` : ''}`;
const counts = (values: Record<string, number>) =>
  Object.entries(values)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '0';

/** Throughput and latency, each ratio to the same-run insertOne floor first. */
export function ladderThroughputTable(steps: LadderStep[]): string {
  return table(
    [
      'step',
      'orders',
      'confirmed/s ÷ insertOne/s',
      'confirmed/s',
      'POST /order p50 ÷ insertOne p50',
      'POST /order p50 / p99 ms',
      'POST→confirmed p50 ÷ insertOne p50',
      'POST→confirmed p50 / p99 ms',
      'insertOne floor: /s, p50 / p99 ms',
    ],
    steps.map((s) => {
      const floor = floorOf(s);
      return [
        s.label,
        ordersCell(s),
        ratio(floor ? s.confirmedPerS / floor.perS : undefined),
        f1(s.confirmedPerS),
        ratio(floor ? s.post.p50 / floor.p50 : undefined),
        `${f0(s.post.p50)} / ${f0(s.post.p99)}`,
        ratio(floor ? s.endToEnd.p50 / floor.p50 : undefined),
        `${f0(s.endToEnd.p50)} / ${f0(s.endToEnd.p99)}`,
        floor ? `${f0(floor.perS)}, ${f1(floor.p50)} / ${f1(floor.p99)} (${floor.connections} conn.)` : '–',
      ];
    }),
  );
}

/** Refusals, 503s, errors, lag and CPU. */
export function ladderHealthTable(steps: LadderStep[]): string {
  return table(
    [
      'step',
      'false refusals (409 / failed for stock)',
      'fast 503s: answers, orders, gave up (p50 ms)',
      'other errors',
      'not confirmed',
      'Kafka lag: max during, at end (group furthest behind), 0 after',
      'CPU per order ÷ per insertOne (all processes)',
      'CPU ms per confirmed order (all; database)',
      'database operations per confirmed order: all (query, insert, update, delete, command)',
    ],
    steps.map((s) => {
      const floor = floorOf(s);
      const cpu = shopTotal(s.cpuMsPerConfirmed);
      const cpuFloor = floor ? shopTotal(floor.cpuMsPerInsert) : Number.NaN;
      const notConfirmed = Object.fromEntries(Object.entries(s.outcomes).filter(([k]) => k !== 'confirmed'));
      return [
        s.label,
        `${s.falseRefusals.answered409 + s.falseRefusals.failedForStock} (${s.falseRefusals.answered409} / ${s.falseRefusals.failedForStock})`,
        s.fast503.answers ? `${s.fast503.answers}, ${s.fast503.orders}, ${s.fast503.gaveUp} (${f0(s.fast503.p50)})` : '0',
        counts({ ...s.otherErrors, ...(s.refillFailures ? { 'cart refill failed': s.refillFailures } : {}) }),
        counts(notConfirmed),
        `${s.lag.maxDuring}${topGroup(s.lag.maxByGroup)}, ${f0(s.lag.atEnd)}${topGroup(s.lag.atEndByGroup)}, ${s.lag.drainedAfterMs === null ? 'not drained' : `${f1(s.lag.drainedAfterMs / 1000)} s`}`,
        ratio(cpu / cpuFloor),
        `${f1(cpu)}; ${f1(dbOf(s.cpuMsPerConfirmed))}`,
        dbOpsCell(s.dbOpsPerConfirmed),
      ];
    }),
  );
}

function dbOpsCell(ops: DbOps | undefined): string {
  if (!ops) return '–';
  const all = Object.values(ops).reduce((a, b) => a + b, 0);
  return `${f1(all)} (${f1(ops.query)}, ${f1(ops.insert)}, ${f1(ops.update)}, ${f1(ops.delete)}, ${f1(ops.command)})`;
}

/** CPU ms per confirmed order, per process and step (the bench runner and the mail catcher shown, but not in the total). */
export function ladderCpuTable(steps: LadderStep[]): string {
  const names = [...new Set(steps.flatMap((s) => Object.keys(s.cpuMsPerConfirmed)))];
  return table(
    ['process', ...steps.map((s) => s.label), 'insertOne floor, per insert (first step)'],
    [
      ...names.map((n) => [n, ...steps.map((s) => f1(s.cpuMsPerConfirmed[n])), f1(floorOf(steps[0] as LadderStep)?.cpuMsPerInsert[n])]),
      [
        '**the shop: all but the bench runner and the mail catcher**',
        ...steps.map((s) => `**${f1(shopTotal(s.cpuMsPerConfirmed))}**`),
        f1(shopTotal(floorOf(steps[0] as LadderStep)?.cpuMsPerInsert ?? {})),
      ],
    ],
  );
}

export function sustainedTables(s: LadderStep): string {
  const out: string[] = [];
  if (s.firstVsLast) {
    const { size, first, last } = s.firstVsLast;
    out.push(
      table(
        ['', `first ${size} orders`, `last ${size} orders`, 'last ÷ first'],
        [
          ['POST /order p50 ms', f0(first.postP50), f0(last.postP50), ratio(last.postP50 / first.postP50)],
          ['POST→confirmed p50 ms', f0(first.endToEndP50), f0(last.endToEndP50), ratio(last.endToEndP50 / first.endToEndP50)],
        ],
      ),
      '',
    );
  }
  if (s.chunks?.length) {
    out.push(
      table(
        ['orders', 'started from, s', 'POST /order p50 ms', 'POST→confirmed p50 ms', 'orders/s (started)', 'not confirmed'],
        s.chunks.map((c) => [`${c.from + 1}–${c.to}`, f0(c.startedS), f0(c.postP50), f0(c.endToEndP50), f1(c.startedPerS), c.notConfirmed]),
      ),
    );
  }
  return out.join('\n');
}

function stepLine(s: LadderStep): string {
  const floor = floorOf(s);
  const fr = s.falseRefusals.answered409 + s.falseRefusals.failedForStock;
  return (
    `  ${s.label}: ${s.confirmed} confirmed of ${s.ordersDone} in ${f0(s.wallS)} s${s.capped ? ` (CAPPED at ${s.capS} s: ${s.ordersDone} of ${s.ordersWanted} started)` : ''}; ` +
    `${ratio(floor ? s.confirmedPerS / floor.perS : undefined)} of insertOne/s (${f1(s.confirmedPerS)} vs ${f0(floor?.perS)}/s); ` +
    `POST p50 ${ratio(floor ? s.post.p50 / floor.p50 : undefined)} (${f0(s.post.p50)} / p99 ${f0(s.post.p99)} ms); ` +
    `POST→confirmed p50 ${ratio(floor ? s.endToEnd.p50 / floor.p50 : undefined)} (${f0(s.endToEnd.p50)} / p99 ${f0(s.endToEnd.p99)} ms); ` +
    `false refusals ${fr}; 503s ${s.fast503.answers}; other errors ${counts(s.otherErrors)}; outcomes ${counts(s.outcomes)}; ` +
    `lag max ${s.lag.maxDuring}${s.lag.drainedAfterMs === null ? ', not drained' : `, 0 after ${f1(s.lag.drainedAfterMs / 1000)} s`}; ` +
    `CPU ${f1(shopTotal(s.cpuMsPerConfirmed))} ms per confirmed order; database operations ${dbOpsCell(s.dbOpsPerConfirmed)} per confirmed order`
  );
}
