import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ServiceProcess } from '@shop/testing/processes';
import { fileScope } from '@shop/testing/support';
import type { System } from '../../../tests/e2e/system.ts';
import { openStream } from './sse-reader.ts';
import { adminToken, call, customer, eventually, startGateway, startSystem } from './support.ts';

let system: System;
let gateway: ServiceProcess;
let admin: string;
const scope = fileScope(after);

before(async () => {
  system = await startSystem();
  scope.after(() => system.stop());
  gateway = await startGateway(scope, system, { LIVE_HEARTBEAT_MS: '300' });
  admin = await adminToken(system);
});

const api = (path: string) => `${gateway.url}/api${path}`;
const live = (token?: string) => openStream(api('/gateway/live/orders'), token);

async function placeOrder(buyer: { id: string; token: string }, paymentInfo: string): Promise<string> {
  const product = await call(api('/product/product'), { token: admin, body: { name: 'Live lamp', category: 'live-test', price: 7.5, stock: 4 } });
  assert.equal(product.status, 201, JSON.stringify(product.body));
  await eventually(
    () => call(api(`/inventory/inventory/${product.body.id}`), { token: admin }),
    (a) => a.status === 200,
    20_000,
    'inventory record',
  );
  await eventually(
    () => call(api(`/cart/cart/${buyer.id}`), { token: buyer.token }),
    (a) => a.status === 200,
    20_000,
    'cart',
  );
  const added = await call(api('/cart/cart'), { token: buyer.token, body: { userId: buyer.id, productId: product.body.id, quantity: 1 } });
  assert.equal(added.status, 200, JSON.stringify(added.body));
  const order = await call(api('/order/order'), {
    token: buyer.token,
    body: { userId: buyer.id, address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, paymentInfo },
  });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  return order.body.id;
}

test("a customer's stream shows their order going from pending to confirmed; another customer's shows nothing of it; an admin's shows it too", async () => {
  const ada = await customer(system, 'ada');
  const bob = await customer(system, 'bob');
  const adaStream = await live(ada.token);
  const bobStream = await live(bob.token);
  const adminStream = await live(admin);
  try {
    assert.equal(adaStream.response.status, 200);
    assert.match(adaStream.response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.deepEqual((await adaStream.waitFor((f) => f.kind === 'event' && f.event === 'ready')).kind === 'event', true);

    const orderId = await placeOrder(ada, 'card');
    const isOrder = (status: string) => (f: { kind: string; event?: string; data?: unknown }) =>
      f.kind === 'event' && f.event === 'order' && (f.data as { orderId: string }).orderId === orderId && (f.data as { status: string }).status === status;
    await adaStream.waitFor(isOrder('pending'));
    const confirmed = await adaStream.waitFor(isOrder('confirmed'));
    assert.equal(confirmed.kind === 'event' && (confirmed.data as { userId: string }).userId, ada.id);
    assert.equal(confirmed.kind === 'event' && (confirmed.data as { total: number }).total, 7.5);
    await adminStream.waitFor(isOrder('confirmed'));

    // Heartbeats keep flowing on an idle stream; by now bob's has had some, and never ada's order.
    await bobStream.waitFor((f) => f.kind === 'comment');
    assert.deepEqual(
      bobStream.frames.filter((f) => f.kind === 'event' && f.event === 'order'),
      [],
    );
  } finally {
    await Promise.all([adaStream.close(), bobStream.close(), adminStream.close()]);
  }
});

test('a declined card shows as failed, with the reason', async () => {
  const eve = await customer(system, 'eve');
  const stream = await live(eve.token);
  try {
    const orderId = await placeOrder(eve, 'card_declined');
    const failed = await stream.waitFor(
      (f) => f.kind === 'event' && (f.data as { orderId?: string })?.orderId === orderId && (f.data as { status: string }).status === 'failed',
    );
    assert.match(String(failed.kind === 'event' && (failed.data as { reason?: string }).reason), /declined/);
  } finally {
    await stream.close();
  }
});

test('no token or a bad token: 401 problem, no stream', async () => {
  for (const token of [undefined, 'not-a-token']) {
    const answer = await fetch(api('/gateway/live/orders'), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/);
  }
});

test('admin-only routes refuse a customer (403) and the anonymous (401)', async () => {
  const mallory = await customer(system, 'mallory');
  const routes: [string, string][] = [
    ['GET', '/gateway/system'],
    ['GET', '/gateway/dead-letters'],
    ['GET', '/gateway/dead-letters/order-events.dlq/0/0'],
    ['POST', '/gateway/dead-letters/order-events.dlq/0/0/replay'],
  ];
  for (const [method, path] of routes) {
    const asCustomer = await fetch(api(path), { method, headers: { authorization: `Bearer ${mallory.token}` } });
    assert.equal(asCustomer.status, 403, `${method} ${path}`);
    assert.equal(((await asCustomer.json()) as { code: string }).code, 'FORBIDDEN');
    const anonymous = await fetch(api(path), { method });
    assert.equal(anonymous.status, 401, `${method} ${path}`);
  }
});

test("the system page: every service's readiness and the metrics each one exposes (absent ones null)", async () => {
  const answer = await call(api('/gateway/system'), { token: admin });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const services = answer.body.services as { name: string; ready: boolean; metrics: Record<string, unknown> }[];
  assert.deepEqual(
    services.map((s) => s.name),
    ['user', 'product', 'inventory', 'cart', 'order', 'payment', 'notification'],
  );
  for (const service of services) {
    assert.equal(service.ready, true, JSON.stringify(service));
    assert.ok('outboxPending' in service.metrics && 'consumerLag' in service.metrics && 'deadLetters' in service.metrics, JSON.stringify(service));
    assert.equal(typeof service.metrics.httpRequests, 'number', `${service.name} serves http_request_duration_seconds`);
  }
  // outbox_pending, kafka_consumer_lag and the others come with the observability work; until a
  // service exposes one it is null, never a made-up zero.
  for (const service of services) {
    for (const value of [service.metrics.outboxPending, service.metrics.consumerLagTotal])
      assert.ok(value === null || typeof value === 'number', JSON.stringify(service));
  }
  assert.ok('orders' in answer.body && 'perMinute' in answer.body.orders, JSON.stringify(answer.body.orders));
});
