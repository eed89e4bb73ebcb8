import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Shop, startShop } from '../browser/shop.ts';
import { adminToken, call, customer, eventually } from '../e2e/client.ts';
import { type System, serviceNames } from '../e2e/system.ts';
import { sample } from './prometheus-text.ts';
import { startZipkin, until, type Zipkin, type ZipkinSpan } from './zipkin.ts';

let zipkin: Zipkin;
let shop: Shop;
let system: System;

before(async () => {
  zipkin = await startZipkin();
  // The standard variables, as the run command sets them; a short batch delay so spans arrive soon.
  // The seven services and the gateway, which the checkout enters through.
  shop = await startShop({
    web: false,
    env: {
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${zipkin.url}/api/v2/spans`,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
  system = shop.system;
});
after(async () => {
  await shop?.stop();
  await zipkin?.stop();
});

const service = (span: ZipkinSpan) => span.localEndpoint?.serviceName ?? '';
/** Every parent named is there: a span is exported when it ends, so parents (ending last) come last. */
const complete = (spans: ZipkinSpan[]) => {
  const ids = new Set(spans.map((span) => span.id));
  return spans.every((span) => !span.parentId || ids.has(span.parentId));
};
const everyService = [...serviceNames.map((name) => `${name}-service`), 'gateway-service'];

test('one checkout is one trace in Zipkin, with spans from every service in parent/child order', async (t) => {
  const admin = await adminToken(system);
  const ann = await customer(system, 'traced');
  const product = await call(`${system.url.product}/product`, {
    token: admin,
    body: { name: `Traced lamp ${Math.random()}`, category: 'lighting', price: 5, stock: 3 },
  });
  assert.equal(product.status, 201, JSON.stringify(product.body));
  const productId = product.body.id as string;
  await eventually(
    () => call(`${system.url.inventory}/inventory/${productId}`, { token: admin }),
    (a) => a.status === 200,
    20_000,
    'inventory record',
  );
  await eventually(
    () => call(`${system.url.cart}/cart/${ann.id}`, { token: ann.token }),
    (a) => a.status === 200,
    20_000,
    'cart',
  );
  const added = await call(`${system.url.cart}/cart`, { token: ann.token, body: { userId: ann.id, productId, quantity: 1 } });
  assert.equal(added.status, 200, JSON.stringify(added.body));

  // Through the gateway, as the web app does. The client sends no trace: the gateway's request
  // span starts it, and the answer names it.
  const placed = await fetch(`${shop.url}/api/order/order`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId: ann.id, address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, paymentInfo: 'card' }),
  });
  assert.equal(placed.status, 201);
  const traceId = (placed.headers.get('traceparent') ?? '').split('-')[1] ?? '';
  assert.match(traceId, /^[0-9a-f]{32}$/);
  const orderId = ((await placed.json()) as { id: string }).id;
  await eventually(
    () => call(`${system.url.order}/order/${orderId}`, { token: ann.token }),
    (a) => a.body?.status === 'confirmed',
    60_000,
    'order confirmed',
  );

  // Every service's spans reach Zipkin within a batch delay of the work; the mail is the last.
  // The trace is read once it holds all seven services and the confirmation (order-service
  // consuming the outcome), and has stopped growing for a second.
  let last = { count: -1, since: Date.now() };
  const settled = (found: ZipkinSpan[]) => {
    if (found.length !== last.count) last = { count: found.length, since: Date.now() };
    return Date.now() - last.since >= 1_000;
  };
  const spans = await until(
    () => zipkin.trace(traceId),
    (found) =>
      settled(found) &&
      everyService.every((name) => found.some((span) => service(span) === name)) &&
      found.some((span) => service(span) === 'order-service' && span.kind === 'CONSUMER') &&
      complete(found),
    60_000,
    'spans from all seven services and the confirmation, each span with its parent, in the trace',
  );
  const byId = new Map(spans.map((span) => [span.id, span]));
  t.diagnostic(`trace ${traceId}: ${spans.length} spans\n${tree(spans)}`);
  const parentOf = (span: ZipkinSpan) => (span.parentId ? byId.get(span.parentId) : undefined);

  // One root: the gateway's request; order-service's POST /order is served under it.
  const roots = spans.filter((span) => !span.parentId);
  assert.equal(roots.length, 1, `one root span, got ${roots.map((s) => `${service(s)} ${s.name}`).join(', ')}`);
  const [root] = roots as [ZipkinSpan];
  assert.equal(service(root), 'gateway-service');
  assert.equal(root.kind, 'SERVER');
  const placing = spans.find((span) => service(span) === 'order-service' && span.kind === 'SERVER' && /post \/order/i.test(span.name ?? ''));
  assert.ok(placing, "order-service's POST /order is in the trace");
  const placingParent = parentOf(placing);
  // Its parent is the gateway's request: the forwarding (@fastify/reply-from) passes the context on
  // without a client span of its own.
  assert.equal(placingParent && service(placingParent), 'gateway-service');

  // Every other span hangs off a span of this trace (none lost in between).
  for (const span of spans) if (span !== root) assert.ok(parentOf(span), `parent of ${service(span)} ${span.name} is in the trace`);

  // Synchronous calls: order-service's client spans are the parents of the others' request spans.
  for (const callee of ['user-service', 'cart-service', 'product-service', 'inventory-service', 'payment-service']) {
    const served = spans.filter((span) => service(span) === callee && span.kind === 'SERVER');
    assert.ok(
      served.some((span) => {
        const parent = parentOf(span);
        return parent?.kind === 'CLIENT' && service(parent) === 'order-service';
      }),
      `${callee} served a call from order-service in this trace`,
    );
  }

  // Events: each consumer span is the child of the producer span that sent the message.
  const consumed = spans.filter((span) => span.kind === 'CONSUMER');
  assert.ok(consumed.length > 0);
  for (const span of consumed) {
    const parent = parentOf(span);
    assert.equal(parent?.kind, 'PRODUCER', `${service(span)} ${span.name} is the child of a send`);
    assert.equal(parent?.tags?.['messaging.destination.name'], span.tags?.['messaging.destination.name']);
  }
  // notification-service learnt of it only through Kafka.
  assert.ok(consumed.some((span) => service(span) === 'notification-service'));
  // The outbox relay's publish of order.created is the child of the request that wrote it.
  const relayed = spans.filter((span) => span.kind === 'PRODUCER' && service(span) === 'order-service' && parentOf(span) === placing);
  assert.ok(relayed.length > 0, 'an order-events send is the child of POST /order');
  // The database work is in the trace too.
  assert.ok(spans.some((span) => (span.kind === 'CLIENT' && span.tags?.['db.system.name'] === 'mongodb') || span.tags?.['db.system'] === 'mongodb'));
});

/** The trace as an indented outline (service, kind, name), for the test's diagnostics. */
function tree(spans: ZipkinSpan[]): string {
  const children = new Map<string | undefined, ZipkinSpan[]>();
  for (const span of spans) children.set(span.parentId, [...(children.get(span.parentId) ?? []), span]);
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      lines.push(`${'  '.repeat(depth)}${service(span)} ${span.kind ?? ''} ${span.name ?? ''}`);
      walk(span.id, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}

test('the checkout shows on /metrics: orders by outcome, checkout duration, calls to each dependency', async () => {
  const text = await (await fetch(`${system.url.order}/metrics`)).text();
  const order = { service: 'order-service' };
  assert.ok((sample(text, 'orders_total', { ...order, outcome: 'confirmed' }) ?? 0) >= 1, 'orders_total{outcome="confirmed"}');
  assert.ok((sample(text, 'checkout_duration_seconds_count', { ...order, outcome: 'confirmed' }) ?? 0) >= 1, 'checkout_duration_seconds');
  for (const target of ['user-service', 'cart-service', 'product-service', 'inventory-service', 'payment-service']) {
    assert.ok((sample(text, 'dependency_request_duration_seconds_count', { ...order, target, outcome: 'answered' }) ?? 0) >= 1, `calls to ${target}`);
  }
  assert.notEqual(sample(text, 'kafka_consumer_lag', { ...order, topic: 'payment-events' }), undefined);
  assert.notEqual(sample(text, 'outbox_pending', { ...order, collection: 'orders' }), undefined);
});
