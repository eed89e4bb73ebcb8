import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { serviceNames } from '../../e2e/system.ts';
import {
  addBuyers,
  addProducts,
  afterOrders,
  crash,
  duplicateEvents,
  openShop,
  outage,
  refuseMail,
  type Shop,
  type ShopOptions,
  settleAndCheck,
  startBurst,
} from '../scenario.ts';

// The full fault run: ./scripts/faults.sh (docs/fault-injection.md). Not named *.test.ts, so the
// test command's glob leaves it out. Each scenario gets a shop on infrastructure of its own, a
// bigger checkout burst, one kind of fault, and the invariant checker once everything settled.

const env = process.env;
const BUYERS = Number(env.FAULTS_BUYERS ?? 8);
const ORDERS_EACH = Number(env.FAULTS_ORDERS_EACH ?? 5);
const OUTAGE_SECONDS = Number(env.FAULTS_OUTAGE_SECONDS ?? 10);
/** Every charge takes this long at the simulated gateway, so a kill lands inside a checkout. */
const GATEWAY_LATENCY = { PAYMENT_LATENCY_MS: '150' };

async function withShop(label: string, options: ShopOptions, body: (shop: Shop, products: string[]) => Promise<void>): Promise<void> {
  const shop = await openShop(label, options);
  try {
    // About as many units as the burst asks for: the last orders run into insufficient stock.
    const products = await addProducts(shop, 4, Math.ceil((BUYERS * ORDERS_EACH * 2) / 4));
    await body(shop, products);
  } finally {
    await shop.close();
  }
}

async function settled(t: TestContext, shop: Shop, what: string, timeoutMs: number): Promise<void> {
  const outcome = await settleAndCheck(shop, timeoutMs);
  t.diagnostic(what);
  t.diagnostic(outcome.report);
  assert.ok(shop.acknowledged.size > 0, 'the burst placed orders');
  assert.deepEqual(outcome.violations, [], outcome.report);
}

test('every service SIGKILLed in turn, mid-burst, and restarted', async (t) => {
  await withShop('crash', { env: GATEWAY_LATENCY }, async (shop, products) => {
    const buyers = await addBuyers(shop, BUYERS);
    let killed = false;
    // Buyers keep ordering until every service has been killed once (at most 30 orders each).
    const burst = startBurst(shop, buyers, products, { ordersEach: 30, declinedEvery: 5, timeoutMs: 240_000, until: () => killed });
    const downtimes: string[] = [];
    for (const [i, name] of serviceNames.entries()) {
      await afterOrders(burst, 3 * (i + 1));
      downtimes.push(`${name} ${await crash(shop, name, burst)} ms`);
    }
    killed = true;
    const stats = await burst.done;
    await settled(t, shop, `burst ${JSON.stringify(stats)}; restarts: ${downtimes.join(', ')}`, 90_000);
  });
});

test(`Kafka stopped for ${OUTAGE_SECONDS} s mid-burst and brought back`, async (t) => {
  await withShop('kafka', {}, async (shop, products) => {
    const buyers = await addBuyers(shop, BUYERS);
    const burst = startBurst(shop, buyers, products, { ordersEach: ORDERS_EACH, declinedEvery: 5, timeoutMs: 180_000 });
    await afterOrders(burst, BUYERS);
    const down = await outage(shop, 'kafka', OUTAGE_SECONDS);
    const stats = await burst.done;
    await settled(t, shop, `burst ${JSON.stringify(stats)}; Kafka ${JSON.stringify(down)}`, 120_000);
  });
});

test(`MongoDB-wire server stopped for ${OUTAGE_SECONDS} s mid-burst and brought back`, async (t) => {
  await withShop('mongo', {}, async (shop, products) => {
    const buyers = await addBuyers(shop, BUYERS);
    const burst = startBurst(shop, buyers, products, { ordersEach: ORDERS_EACH, declinedEvery: 5, timeoutMs: 180_000 });
    await afterOrders(burst, BUYERS);
    const down = await outage(shop, 'mongo', OUTAGE_SECONDS);
    const stats = await burst.done;
    await settled(t, shop, `burst ${JSON.stringify(stats)}; MongoDB ${JSON.stringify(down)}`, 120_000);
  });
});

test('every event delivered twice, mid-burst and again afterwards', async (t) => {
  await withShop('duplicates', {}, async (shop, products) => {
    const buyers = await addBuyers(shop, BUYERS);
    const burst = startBurst(shop, buyers, products, { ordersEach: ORDERS_EACH, declinedEvery: 4, timeoutMs: 180_000 });
    await afterOrders(burst, BUYERS * 2);
    const first = await duplicateEvents(shop);
    const stats = await burst.done;
    const second = await duplicateEvents(shop);
    await settled(t, shop, `burst ${JSON.stringify(stats)}; re-published ${first} then ${second} events`, 90_000);
  });
});

test(`the SMTP server refuses every mail for ${OUTAGE_SECONDS} s during a burst`, async (t) => {
  await withShop('smtp', {}, async (shop, products) => {
    const buyers = await addBuyers(shop, BUYERS);
    const burst = startBurst(shop, buyers, products, { ordersEach: ORDERS_EACH, declinedEvery: 3, timeoutMs: 180_000 });
    await afterOrders(burst, 2);
    await refuseMail(shop, OUTAGE_SECONDS);
    const stats = await burst.done;
    await settled(t, shop, `burst ${JSON.stringify(stats)}; mail refused for ${OUTAGE_SECONDS} s`, 90_000);
  });
});

test('all at once: order-service killed, Kafka stopped, events duplicated and mail refused in one burst', async (t) => {
  await withShop('storm', { env: GATEWAY_LATENCY }, async (shop, products) => {
    const buyers = await addBuyers(shop, BUYERS);
    const burst = startBurst(shop, buyers, products, { ordersEach: ORDERS_EACH, declinedEvery: 4, timeoutMs: 240_000 });
    await afterOrders(burst, 4);
    const refusal = refuseMail(shop, OUTAGE_SECONDS);
    const killed = await crash(shop, 'order', burst);
    const duplicated = await duplicateEvents(shop);
    await afterOrders(burst, BUYERS * 2);
    const down = await outage(shop, 'kafka', OUTAGE_SECONDS / 2);
    await refusal;
    const stats = await burst.done;
    await settled(
      t,
      shop,
      `burst ${JSON.stringify(stats)}; order-service back after ${killed} ms; ${duplicated} events re-published; Kafka ${JSON.stringify(down)}`,
      120_000,
    );
  });
});
