import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, fileScope, type Shop, startShop } from './support.ts';

/**
 * A real HTTP proxy in front of inventory-service that can hold back its answers to
 * `POST /inventory/reserve`: inventory does the work at once, but order-service hears of it only
 * after its own timeout, as under heavy load.
 */
async function slowProxy() {
  const state = { target: '', reserveDelayMs: 0 };
  const server = createServer((req, res) => {
    res.on('error', () => {});
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      const delay = req.url?.startsWith('/inventory/reserve') ? state.reserveDelayMs : 0;
      const upstream = request(new URL(req.url ?? '/', state.target), { method: req.method, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () =>
          setTimeout(() => {
            if (res.destroyed) return; // the caller gave up: the answer is lost, the work is not
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
          }, delay),
        );
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(Buffer.concat(body));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { state, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

let shop: Shop;
let proxy: Awaited<ReturnType<typeof slowProxy>>;
const scope = fileScope(after);
before(async () => {
  proxy = await slowProxy();
  scope.after(() => proxy.close());
  shop = await startShop(scope, { INVENTORY_SERVICE_URL: proxy.url, HTTP_TIMEOUT_MS: '500' });
  proxy.state.target = shop.urls.INVENTORY_SERVICE_URL;
});

test('concurrent checkouts while inventory answers slower than the timeout: no refusal, no second or lost hold, and the same key places each order', async () => {
  const product = await shop.productWith(5, 20);
  const buyers = await Promise.all(Array.from({ length: 8 }, () => shop.customer()));
  for (const buyer of buyers) await shop.addToCart(buyer, product, 1);

  // Every reservation is made, but its answer arrives after order-service stopped waiting (and after its retries).
  proxy.state.reserveDelayMs = 1_500;
  const first = await Promise.all(buyers.map((buyer, i) => shop.place(buyer, { key: `slow-${i}` })));
  assert.deepEqual(
    first.map((r) => r.statusCode),
    buyers.map(() => 503),
    first.map((r) => r.body).join('\n'),
  );
  assert.ok(first.every((r) => r.headers['retry-after'] !== undefined));
  for (const buyer of buyers) {
    const listed = (await shop.orders.http.inject({ method: 'GET', url: `/orders/user/${buyer.id}`, headers: buyer.headers })).json().items;
    assert.deepEqual(listed, [], 'nothing shown, announced or failed while the outcome is unknown');
  }

  // inventory-service answers in time again: each buyer retries with the same key, as told.
  proxy.state.reserveDelayMs = 0;
  const orders = await Promise.all(
    buyers.map(async (buyer, i) => {
      for (;;) {
        const answer = await shop.place(buyer, { key: `slow-${i}` });
        if (answer.statusCode === 200 || answer.statusCode === 201) return answer.json();
        assert.equal(answer.statusCode, 503, answer.body);
        await sleep(Number(answer.headers['retry-after'] ?? 1) * 1000);
      }
    }),
  );
  for (const order of orders) await shop.statusBecomes(order.id, 'confirmed');

  const reservations = shop.stock.mongo.db.collection('reservations');
  for (const order of orders) assert.equal(await reservations.countDocuments({ orderId: order.id }), 1, 'one reservation per order');
  await eventually('every unit sold once', async () => {
    const level = await shop.stockOf(product);
    return level?.onHand === 12 && level.reserved === 0 ? level : undefined;
  });
});
