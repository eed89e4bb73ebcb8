import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { topics } from '@shop/contracts';
import { MongoClient } from 'mongodb';
import { adminToken, customer } from '../e2e/client.ts';
import { type ServiceName, type System, type SystemOptions, startSystem } from '../e2e/system.ts';
import { describeViolations, type Expectations, findViolations, mailResends, readOutboxes, readSnapshot, type Target, type Violation } from './invariants.ts';
import { readTopics, republish } from './kafka.ts';
import { type Rig, startRig } from './rig.ts';

/**
 * A shop under fault: its own infrastructure (rig.ts), the seven services as real processes
 * (tests/e2e/system.ts) with a short reservation TTL and fast sweeps, and a checkout burst
 * driven like real clients would (retrying with the same Idempotency-Key when a service is away).
 */

export interface ShopOptions {
  /** RESERVATION_TTL_SECONDS of inventory- and order-service. */
  ttlSeconds?: number;
  /** ORDER_END_MARGIN_SECONDS: order-service fails a still pending order this long after the TTL. */
  orderMarginSeconds?: number;
  /** The margin the checker allows after the TTL: the service's margin plus sweep and outage slack. */
  checkMarginSeconds?: number;
  /** More env for every service (e.g. a deliberately wrong setting, to see a scenario fail). */
  env?: Record<string, string>;
  /** Processes per service (tests/e2e/system.ts); the burst spreads its buyers over them. */
  replicas?: SystemOptions['replicas'];
}

export interface Shop {
  rig: Rig;
  system: System;
  admin: string;
  target: Target;
  ttlSeconds: number;
  checkMarginSeconds: number;
  /** Units put in per product. */
  stock: Record<string, number>;
  /** Order ids clients were given. */
  acknowledged: Set<string>;
  close(): Promise<void>;
}

export interface Buyer {
  id: string;
  email: string;
  token: string;
}

/** Opens a shop on infrastructure of its own. Close it in `finally` / `t.after`. */
export async function openShop(label: string, options: ShopOptions = {}): Promise<Shop> {
  const ttlSeconds = options.ttlSeconds ?? 20;
  const orderMarginSeconds = options.orderMarginSeconds ?? 5;
  const rig = await startRig(label);
  let system: System | undefined;
  try {
    system = await startSystem(
      {
        ...rig.systemEnv,
        RESERVATION_TTL_SECONDS: String(ttlSeconds),
        ORDER_END_MARGIN_SECONDS: String(orderMarginSeconds),
        SWEEP_INTERVAL_MS: '1000',
        STOCK_REPAIR_INTERVAL_MS: '1000',
        // order-service: a pending order untouched this long was interrupted (longer than any placing request);
        // payment-service: a charge still processing this long is finished by its sweeper.
        SWEEP_GRACE_MS: '8000',
        RESERVING_GRACE_SECONDS: '10',
        RETRY_INTERVAL_MS: '1000',
        RETRY_BACKOFF_MS: '1000',
        RETRY_BACKOFF_MAX_MS: '4000',
        SMTP_TIMEOUT_MS: '3000',
        // The production outbox scan (tests shorten it to 200 ms): events must go out through each
        // write's own kick and its retries, with the scan only as the safety net it is in production.
        OUTBOX_POLL_MS: '30000',
        ...options.env,
        // A deliberate misconfiguration, to see a scenario fail (docs/fault-injection.md), e.g. '{"MAX_SEND_ATTEMPTS":"1"}'.
        ...(JSON.parse(process.env.FAULTS_SERVICE_ENV ?? '{}') as Record<string, string>),
      },
      { replicas: options.replicas },
    );
    const admin = await adminToken(system);
    const prefix = await prefixOf(system);
    const shopSystem = system;
    return {
      rig,
      system,
      admin,
      target: { mongoUri: rig.mongoUri, prefix, brokers: rig.brokers, mailApi: rig.mailApi },
      ttlSeconds,
      checkMarginSeconds: options.checkMarginSeconds ?? orderMarginSeconds + 15,
      stock: {},
      acknowledged: new Set(),
      async close() {
        await shopSystem.stop().catch(() => {});
        // A service stuck in its graceful stop must not outlive the test.
        await Promise.all(shopSystem.all().map((p) => p.kill().catch(() => {})));
        await rig.close();
      },
    };
  } catch (error) {
    if (system) await system.stop().catch(() => {});
    await rig.close();
    throw error;
  }
}

/** The database prefix startSystem chose, read from a service's environment (`MONGO_DB=<prefix>_order`). */
async function prefixOf(system: System): Promise<string> {
  const pid = system.processes.get('order')?.[0]?.child.pid;
  const environ = await readFile(`/proc/${pid}/environ`, 'utf8');
  const db = environ.split('\0').find((entry) => entry.startsWith('MONGO_DB='));
  if (!db?.endsWith('_order')) throw new Error(`cannot tell the database prefix from order-service's environment (${db})`);
  return db.slice('MONGO_DB='.length, -'_order'.length);
}

// ---------------------------------------------------------------------------------------------
// HTTP like a client: a timeout per request, retries while a service is away

// biome-ignore lint/suspicious/noExplicitAny: the scenario reads whatever JSON the services answer
type Json = any;

async function request(url: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body: Json;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

/**
 * A client's way to one service: one of its replicas, moving on to the next after a network error
 * or a 5xx, as a load balancer stops sending to a process that died. With one replica, that one.
 */
interface Route {
  base(): string;
  failed(): void;
}

function route(replicas: string[], start: number): Route {
  let at = start;
  return {
    base: () => replicas[at % replicas.length] as string,
    failed: () => {
      at++;
    },
  };
}

/** Retries on a network error or a 5xx until `deadline` (on the route's next replica, if any); any other answer is returned. */
async function persist(to: Route, path: string, init: Parameters<typeof request>[1], deadline: number): Promise<{ status: number; body: Json }> {
  for (let attempt = 1; ; attempt++) {
    const url = `${to.base()}${path}`;
    try {
      const answer = await request(url, init);
      if (answer.status < 500 || Date.now() > deadline) return answer;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${init?.method ?? 'GET'} ${url}: still failing at the deadline: ${(error as Error).message}`);
    }
    to.failed();
    await sleep(Math.min(250 * attempt, 2_000));
  }
}

// ---------------------------------------------------------------------------------------------
// Catalog and customers

export async function addProducts(shop: Shop, count: number, stock: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const price = [19.99, 5.5, 12.25, 0.99, 7][i % 5] as number;
    const created = await request(`${shop.system.url.product}/product`, {
      token: shop.admin,
      body: { name: `Fault lamp ${i}`, category: 'faults', price, stock },
    });
    if (created.status !== 201) throw new Error(`product: ${created.status} ${JSON.stringify(created.body)}`);
    ids.push(created.body.id);
    shop.stock[created.body.id] = stock;
  }
  // Stock records follow through product-events.
  const deadline = Date.now() + 30_000;
  for (const id of ids) {
    for (;;) {
      const answer = await request(`${shop.system.url.inventory}/inventory/${id}`).catch(() => ({ status: 0, body: undefined }));
      if (answer.status === 200) break;
      if (Date.now() > deadline) {
        const health = await request(`${shop.system.url.inventory}/health/dependencies`).catch((error: Error) => ({ status: 0, body: error.message }));
        const metrics = await request(`${shop.system.url.inventory}/metrics`).catch((error: Error) => ({ status: 0, body: error.message }));
        const lag = String(metrics.body)
          .split('\n')
          .filter((line) => line.startsWith('kafka_consumer_lag{'));
        throw new Error(
          [
            `no stock record for ${id} after 30 s; inventory-service's dependencies: ${JSON.stringify(health.body)}`,
            "inventory-service's consumer lag:",
            ...lag,
            ...serviceLogs(shop, 30),
          ].join('\n'),
        );
      }
      await sleep(200);
    }
  }
  return ids;
}

export async function addBuyers(shop: Shop, count: number): Promise<Buyer[]> {
  const buyers: Buyer[] = [];
  // A few at a time: registration hashes passwords.
  for (let i = 0; i < count; i += 4)
    buyers.push(...(await Promise.all(Array.from({ length: Math.min(4, count - i) }, (_, j) => customer(shop.system, `buyer${i + j}`)))));
  return buyers;
}

// ---------------------------------------------------------------------------------------------
// The burst

export interface BurstOptions {
  ordersEach: number;
  /** Every n-th order pays with a declined card (0: never). */
  declinedEvery?: number;
  /** Give up on the burst (not on the check) after this long. */
  timeoutMs?: number;
  /** Buyers stop starting new orders once this says so (`ordersEach` stays the upper bound). */
  until?: () => boolean;
}

export interface BurstStats {
  attempted: number;
  acknowledged: number;
  /** Answers other than an order, by status (409 insufficient stock, 400 empty cart after a race, ...). */
  refused: Record<string, number>;
  /** Orders given up on because a service stayed away past the deadline. */
  abandoned: number;
  /** Why, for each given up (the last answer or error), so a slow recovery says which service and what it answered. */
  gaveUpOn?: string[];
  ms: number;
}

export interface Burst {
  /** Orders acknowledged so far. */
  progress(): number;
  /** `POST /order` requests under way right now. */
  inFlight(): number;
  done: Promise<BurstStats>;
}

const address = { line1: '1 Fault St', city: 'Springfield', postalCode: '12345', country: 'US' };

/**
 * Every buyer at once, each placing `ordersEach` orders one after another: empty the cart, put one
 * or two products in, place the order with an Idempotency-Key, and retry the same key while
 * order-service is away (on its other replica, if it has one). Bounded by `timeoutMs`.
 */
export function startBurst(shop: Shop, buyers: Buyer[], productIds: string[], options: BurstOptions): Burst {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 120_000);
  const stats: BurstStats = { attempted: 0, acknowledged: 0, refused: {}, abandoned: 0, ms: 0 };
  const { urls } = shop.system;
  let counter = 0;
  let placing = 0;
  // Keys are per burst: a later burst of the same buyers places new orders.
  const burstId = randomUUID().slice(0, 8);
  const refuse = (why: string) => {
    stats.refused[why] = (stats.refused[why] ?? 0) + 1;
  };
  const giveUp = (why: string) => {
    stats.abandoned++;
    stats.gaveUpOn = [...(stats.gaveUpOn ?? []), `${new Date().toISOString().slice(11, 23)} ${why}`.slice(0, 300)];
  };

  async function one(buyer: Buyer, round: number, cart: Route, order: Route): Promise<boolean> {
    const n = counter++;
    stats.attempted++;
    const step = Math.min(Date.now() + 45_000, deadline);
    const lines = [productIds[(n + round) % productIds.length], ...(n % 3 === 0 ? [productIds[(n + round + 1) % productIds.length]] : [])] as string[];
    await persist(cart, `/cart/${buyer.id}`, { method: 'DELETE', token: buyer.token }, step);
    for (const productId of lines) {
      // POST (not PUT) creates the cart if user-created was not consumed yet.
      const put = await persist(cart, '/cart', { token: buyer.token, body: { userId: buyer.id, productId, quantity: 1 + (n % 2) } }, step);
      if (put.status !== 200) {
        refuse(`cart ${put.status} ${put.body?.code ?? ''}`.trim());
        return false;
      }
    }
    const declined = options.declinedEvery && n % options.declinedEvery === options.declinedEvery - 1;
    placing++;
    const placed = await persist(
      order,
      '/order',
      {
        token: buyer.token,
        headers: { 'idempotency-key': `burst-${burstId}-${round}` },
        body: { userId: buyer.id, address, paymentInfo: declined ? 'card_declined' : 'card' },
      },
      step,
    ).finally(() => placing--);
    if ((placed.status === 200 || placed.status === 201) && placed.body?.id) {
      stats.acknowledged++;
      shop.acknowledged.add(placed.body.id);
      // Paces each buyer like a person watching their order move on. (Not needed for the cart any more:
      // a late order.confirmed leaves units put in after the order alone, docs/cart-marks.md.)
      const until = Date.now() + 4_000;
      while (Date.now() < until) {
        const now = await request(`${order.base()}/order/${placed.body.id}`, { token: buyer.token }).catch(() => {
          order.failed();
          return null;
        });
        if (now && now.body?.status !== 'pending') break;
        await sleep(250);
      }
      return true;
    }
    if (placed.status >= 500) giveUp(`POST /order ${placed.status} ${placed.body?.code ?? ''} ${placed.body?.detail ?? ''}`.trim());
    else refuse(`order ${placed.status} ${placed.body?.code ?? ''}`.trim());
    return false;
  }

  async function buyerLoop(buyer: Buyer, index: number): Promise<void> {
    // With replicas, buyers are spread over them: buyer i starts at replica i (mod their count).
    const cart = route(urls.cart, index);
    const order = route(urls.order, index);
    for (let round = 0; round < options.ordersEach && Date.now() < deadline && !options.until?.(); round++) {
      let placed = false;
      try {
        placed = await one(buyer, round, cart, order);
      } catch (error) {
        giveUp((error as Error).message);
      }
      // A refused order comes back fast; do not spin.
      if (!placed) await sleep(300);
    }
  }

  return {
    progress: () => stats.acknowledged,
    inFlight: () => placing,
    done: Promise.all(buyers.map((buyer, index) => buyerLoop(buyer, index))).then(() => ({ ...stats, ms: Date.now() - started })),
  };
}

/** Resolves once the burst acknowledged `orders` orders, or ended, or after `timeoutMs`. */
export async function afterOrders(burst: Burst, orders: number, timeoutMs = 60_000): Promise<void> {
  let ended = false;
  void burst.done.then(() => {
    ended = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!ended && burst.progress() < orders && Date.now() < deadline) await sleep(100);
}

// ---------------------------------------------------------------------------------------------
// Faults

/**
 * SIGKILL one service and start it again on the same port and database; resolves with how long
 * it was away. With a burst, waits (up to 5 s) until an order is being placed, so the kill
 * lands in the middle of a checkout rather than between two.
 */
export async function crash(shop: Shop, name: ServiceName, burst?: Burst): Promise<number> {
  await checkoutUnderWay(burst);
  const t0 = Date.now();
  await shop.system.restart(name, { crash: true });
  return Date.now() - t0;
}

/** SIGKILL one replica of a service and leave it down (the others carry on); with a burst, mid-checkout as in `crash`. */
export async function killReplica(shop: Shop, name: ServiceName, replica: number, burst?: Burst): Promise<void> {
  await checkoutUnderWay(burst);
  await shop.system.kill(name, replica);
}

/** Waits (up to 5 s) until an order is being placed. */
async function checkoutUnderWay(burst?: Burst): Promise<void> {
  for (const until = Date.now() + 5_000; burst && burst.inFlight() === 0 && Date.now() < until; ) await sleep(20);
}

/** Stops a piece of infrastructure, waits `seconds`, and starts it again; resolves with how long it was away in all. */
export async function outage(shop: Shop, component: 'kafka' | 'mongo', seconds: number): Promise<{ stopMs: number; startMs: number; awayMs: number }> {
  const t0 = Date.now();
  await shop.rig.stop(component);
  const stopMs = Date.now() - t0;
  await sleep(seconds * 1000);
  const t1 = Date.now();
  await shop.rig.start(component);
  return { stopMs, startMs: Date.now() - t1, awayMs: Date.now() - t0 };
}

/** The mail server refuses every mail for `seconds`. */
export async function refuseMail(shop: Shop, seconds: number): Promise<void> {
  await shop.rig.refuseMail(true);
  try {
    await sleep(seconds * 1000);
  } finally {
    await shop.rig.refuseMail(false);
  }
}

/** Every event on the services' topics so far, published once more byte for byte; resolves with how many. */
export async function duplicateEvents(shop: Shop): Promise<number> {
  const messages = await readTopics(shop.target.brokers, Object.values(topics));
  await republish(shop.target.brokers, messages);
  return messages.length;
}

// ---------------------------------------------------------------------------------------------
// Settle and check

export interface Outcome {
  violations: Violation[];
  /** How long it took from calling settle until the check passed (or the deadline). */
  settledMs: number;
  orders: Record<string, number>;
  /** The longest time any order took from creation to its terminal state. */
  slowestOrderSeconds: number;
  report: string;
}

/** Nothing left moving, by the databases alone (cheap): no pending order, charge or unsent notification, no outbox entry. */
async function quiet(shop: Shop): Promise<boolean> {
  const client = new MongoClient(shop.target.mongoUri, { serverSelectionTimeoutMS: 5_000 });
  try {
    const db = (name: string) => client.db(`${shop.target.prefix}_${name}`);
    const counts = await Promise.all([
      db('order').collection('orders').countDocuments({ status: 'pending' }),
      db('payment').collection('payments').countDocuments({ status: 'processing' }),
      db('notification')
        .collection('notifications')
        .countDocuments({ status: { $ne: 'SENT' } }),
      db('inventory')
        .collection('reservations')
        .countDocuments({ status: { $in: ['RESERVING', 'PENDING', 'RECOMMITTING', 'RETURNING'] } }),
      readOutboxes(client, shop.target.prefix).then((rows) => rows.length),
    ]);
    return counts.every((count) => count === 0);
  } catch {
    return false;
  } finally {
    await client.close();
  }
}

/**
 * Waits until the system is quiet and the invariants hold, or `timeoutMs` passed; then reports
 * the last check. Violations that are only "not yet" (a notification still on its way) clear
 * while waiting; real ones stay and are reported at the deadline.
 */
export async function settleAndCheck(shop: Shop, timeoutMs: number): Promise<Outcome> {
  const t0 = Date.now();
  const deadline = t0 + timeoutMs;
  const expect: Expectations = {
    ttlSeconds: shop.ttlSeconds,
    marginSeconds: shop.checkMarginSeconds,
    initialStock: shop.stock,
    acknowledgedOrders: [...shop.acknowledged],
  };
  while (Date.now() < deadline && !(await quiet(shop))) await sleep(1_000);
  let snapshot = await readSnapshot(shop.target, expect);
  let violations = findViolations(snapshot);
  while (violations.length > 0 && Date.now() < deadline) {
    await sleep(2_000);
    snapshot = await readSnapshot(shop.target, expect);
    violations = findViolations(snapshot);
  }
  const resends = mailResends(snapshot);
  const settledMs = Date.now() - t0;
  const { orders, slowest } = await orderSummary(shop);
  const logs = violations.length === 0 ? [] : serviceLogs(shop, 12);
  const report = [
    `orders ${JSON.stringify(orders)}, slowest ${slowest.toFixed(1)} s to end (limit ${shop.ttlSeconds + shop.checkMarginSeconds} s), settled in ${(settledMs / 1000).toFixed(1)} s`,
    ...(resends.length > 0 ? [`mails resent after an unrecorded send (at-least-once window, same Message-ID): ${resends.join(', ')}`] : []),
    describeViolations(violations),
    ...logs,
  ].join('\n');
  return { violations, settledMs, orders, slowestOrderSeconds: slowest, report };
}

/** The last lines each service printed (warnings and errors at the default TEST_LOG_LEVEL), for a failure report. */
export function serviceLogs(shop: Shop, lines: number): string[] {
  return shop.system.all().flatMap((p) => {
    const tail = p.output().trimEnd().split('\n').slice(-lines);
    return tail.length === 1 && tail[0] === '' ? [] : [`--- ${p.name} :${p.port} (last ${tail.length} lines)`, ...tail.map((line) => line.slice(0, 400))];
  });
}

async function orderSummary(shop: Shop): Promise<{ orders: Record<string, number>; slowest: number }> {
  const client = new MongoClient(shop.target.mongoUri, { serverSelectionTimeoutMS: 5_000 });
  try {
    const docs = await client
      .db(`${shop.target.prefix}_order`)
      .collection('orders')
      .find({}, { projection: { status: 1, reason: 1, createdAt: 1, updatedAt: 1 } })
      .toArray();
    const orders: Record<string, number> = {};
    let slowest = 0;
    for (const d of docs) {
      const label = d.reason ? `${d.status} (${d.reason})` : d.status;
      orders[label] = (orders[label] ?? 0) + 1;
      if (d.status !== 'pending') slowest = Math.max(slowest, (d.updatedAt.getTime() - d.createdAt.getTime()) / 1000);
    }
    return { orders, slowest };
  } finally {
    await client.close();
  }
}
