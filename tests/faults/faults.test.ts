import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  addBuyers,
  addProducts,
  afterOrders,
  type Buyer,
  crash,
  duplicateEvents,
  openShop,
  outage,
  refuseMail,
  type Shop,
  serviceLogs,
  settleAndCheck,
  startBurst,
} from './scenario.ts';

// The short fault run of the test command: one shop on infrastructure of its own (so stopping
// Kafka disturbs no other test file), a small checkout burst per fault, and the invariant
// checker after each. The full run is ./scripts/faults.sh (tests/faults/full/).

let shop: Shop;
let products: string[];
let buyers: Buyer[];

before(async () => {
  // A slow gateway (150 ms a charge), so a kill lands inside a checkout.
  shop = await openShop('short', { env: { PAYMENT_LATENCY_MS: '150' } });
  // Less stock than the burst asks for, so some orders are refused or fail for stock.
  products = await addProducts(shop, 3, 8);
  buyers = await addBuyers(shop, 5);
});
after(() => shop?.close());

test('SIGKILL of order-service and inventory-service mid-burst, then every event delivered twice', async (t) => {
  const burst = startBurst(shop, buyers, products, { ordersEach: 3, declinedEvery: 4, timeoutMs: 90_000 });
  await afterOrders(burst, 3);
  const orderDown = await crash(shop, 'order', burst);
  await afterOrders(burst, 7);
  const inventoryDown = await crash(shop, 'inventory', burst);
  const stats = await burst.done;
  const duplicated = await duplicateEvents(shop);
  const outcome = await settleAndCheck(shop, 60_000);
  t.diagnostic(`burst ${JSON.stringify(stats)}; restarts ${orderDown} / ${inventoryDown} ms; ${duplicated} events re-published`);
  // Orders given up on mean a service stayed away long after its restart: say what each was doing.
  if (stats.abandoned > 0) t.diagnostic(serviceLogs(shop, 15).join('\n'));
  t.diagnostic(outcome.report);
  assert.ok(stats.acknowledged > 0, 'the burst placed orders');
  assert.deepEqual(outcome.violations, [], outcome.report);
});

test('the SMTP server refuses mail for a while during a burst: every notification is sent once in the end', async (t) => {
  const burst = startBurst(shop, buyers, products, { ordersEach: 2, declinedEvery: 3, timeoutMs: 60_000 });
  const refusal = refuseMail(shop, 4);
  const stats = await burst.done;
  await refusal;
  const outcome = await settleAndCheck(shop, 45_000);
  t.diagnostic(`burst ${JSON.stringify(stats)}`);
  t.diagnostic(outcome.report);
  assert.deepEqual(outcome.violations, [], outcome.report);
});

test('Kafka stopped for 5 s mid-burst and brought back: every order still ends, nothing lost or doubled', async (t) => {
  // Fresh stock, so this burst has something to sell.
  const more = await addProducts(shop, 2, 10);
  const burst = startBurst(shop, buyers, more, { ordersEach: 2, declinedEvery: 5, timeoutMs: 90_000 });
  await afterOrders(burst, 2);
  const down = await outage(shop, 'kafka', 5);
  const stats = await burst.done;
  const outcome = await settleAndCheck(shop, 75_000);
  t.diagnostic(`burst ${JSON.stringify(stats)}; Kafka away ${JSON.stringify(down)}`);
  t.diagnostic(outcome.report);
  assert.deepEqual(outcome.violations, [], outcome.report);
});
