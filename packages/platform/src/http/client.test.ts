// First: OpenTelemetry must be started before the modules it instruments load.
import '@shop/testing/tracing';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { listenOnBadPort } from '@shop/testing/bad-port';
import { inTestSpan } from '@shop/testing/tracing';
import { DEADLINE_HEADER, withDeadline } from '../deadline.ts';
import type { AppError } from '../errors.ts';
import { createServiceClient, neverReached } from './client.ts';
import { createRetryBudget } from './retry-budget.ts';

/** A real local HTTP server that answers from a script and records what it received. */
async function scriptedServer(t: import('node:test').TestContext, answers: ((req: IncomingMessage) => { status: number; body?: unknown; delayMs?: number })[]) {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    const answer = (answers[Math.min(seen.length - 1, answers.length - 1)] as (r: IncomingMessage) => { status: number; body?: unknown; delayMs?: number })(
      req,
    );
    setTimeout(() => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    }, answer.delayMs ?? 0);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address() as { port: number };
  return { seen, baseUrl: `http://127.0.0.1:${port}` };
}

const options = (baseUrl: string) => ({ name: 'stock', baseUrl, timeoutMs: 200, serviceToken: () => 'service-token' });

test('sends the service credential and the current trace, and returns 4xx answers as they are', async (t) => {
  const { seen, baseUrl } = await scriptedServer(t, [() => ({ status: 404, body: { code: 'NOT_FOUND' } })]);
  const client = createServiceClient(options(baseUrl));
  const { result: response, traceId, spanId } = await inTestSpan(() => client.request('GET', '/things/1'));
  assert.deepEqual(response, { status: 404, body: { code: 'NOT_FOUND' } });
  assert.equal(seen[0]?.headers.authorization, 'Bearer service-token');
  // The HTTP instrumentation's client span, a child of the current one, is the parent the server sees.
  const sent = String(seen[0]?.headers.traceparent).split('-');
  assert.equal(sent[1], traceId);
  assert.notEqual(sent[2], spanId);
});

test('retries a GET after a 5xx, but never a POST that is not idempotent', async (t) => {
  const flaky = await scriptedServer(t, [() => ({ status: 503 }), () => ({ status: 200, body: { ok: true } })]);
  const client = createServiceClient(options(flaky.baseUrl));
  assert.deepEqual(await client.request('GET', '/x'), { status: 200, body: { ok: true } });
  assert.equal(flaky.seen.length, 2);

  const once503 = await scriptedServer(t, [() => ({ status: 503 }), () => ({ status: 201 })]);
  const post = createServiceClient(options(once503.baseUrl));
  await assert.rejects(post.request('POST', '/charge', { body: {} }), (e: AppError) => e.code === 'DEPENDENCY_UNAVAILABLE');
  assert.equal(once503.seen.length, 1);
  assert.equal((await post.request('POST', '/charge', { body: {}, idempotent: true })).status, 201);
});

test('reaches a service on a port that fetch refuses (like 6000, inventory-service)', async (t) => {
  // fetch refuses the spec's "bad ports" (6000 and 6665-6669 among them); the client must not.
  const server = createServer((_req, res) => res.end(JSON.stringify({ ok: true })));
  const port = await listenOnBadPort(server);
  t.after(() => server.close());
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'fetch refuses this port, so the test means something');
  const client = createServiceClient(options(`http://127.0.0.1:${port}`));
  assert.deepEqual(await client.request('GET', '/inventory/x'), { status: 200, body: { ok: true } });
});

test('a call slower than the timeout, or to nobody, is a 503 DEPENDENCY_UNAVAILABLE', async (t) => {
  const slow = await scriptedServer(t, [() => ({ status: 200, delayMs: 1000 })]);
  const client = createServiceClient({ ...options(slow.baseUrl), retries: 0 });
  await assert.rejects(client.request('GET', '/slow'), (e: AppError) => e.status === 503);
  const nobody = createServiceClient({ ...options('http://127.0.0.1:1'), retries: 0 });
  await assert.rejects(nobody.request('GET', '/x'), (e: AppError) => e.status === 503 && e.retryable);
});

test('the time the caller has left travels on, and bounds every attempt', async (t) => {
  const slow = await scriptedServer(t, [() => ({ status: 200, delayMs: 3_000 })]);
  const client = createServiceClient({ ...options(slow.baseUrl), timeoutMs: 5_000 });
  const started = Date.now();
  // 150 ms left of the current request: one attempt of at most 150 ms, no retry after it.
  await assert.rejects(
    withDeadline(Date.now() + 150, () => client.request('GET', '/slow')),
    (e: AppError) => e.status === 503,
  );
  assert.ok(Date.now() - started < 2_000, `gave up after ${Date.now() - started} ms, not at the caller's deadline`);
  assert.equal(slow.seen.length, 1);
  const sent = Number(slow.seen[0]?.headers[DEADLINE_HEADER]);
  assert.ok(sent > 100 && sent <= 150, `sent ${sent} ms as the time left`);
});

test('a dependency that keeps failing opens the circuit: later calls fail at once, without reaching it', async (t) => {
  const down = await scriptedServer(t, [() => ({ status: 500 })]);
  const client = createServiceClient({ ...options(down.baseUrl), retries: 0, breaker: { failures: 3, halfOpenAfterMs: 60_000 } });
  for (let i = 0; i < 3; i++) await assert.rejects(client.request('GET', '/x'), (e: AppError) => e.status === 503 && !neverReached(e));
  assert.equal(client.circuit, 'open');
  await assert.rejects(client.request('GET', '/x'), (e: AppError) => e.status === 503 && neverReached(e));
  assert.equal(down.seen.length, 3, 'the open circuit sent nothing');
});

test('a refused connection is known not to have reached the service', async () => {
  const nobody = createServiceClient({ ...options('http://127.0.0.1:1'), retries: 0 });
  await assert.rejects(nobody.request('POST', '/x', { body: {} }), (e: AppError) => neverReached(e));
});

test('retries stop when the budget is spent: at most a fifth more calls than asked for', async (t) => {
  const down = await scriptedServer(t, [() => ({ status: 503 })]);
  const client = createServiceClient({
    ...options(down.baseUrl),
    retries: 2,
    breaker: { failures: 1_000, halfOpenAfterMs: 1_000 },
    budget: createRetryBudget({ ratio: 0.2, burst: 2 }),
  });
  for (let i = 0; i < 20; i++) await assert.rejects(client.request('GET', '/x'));
  // 20 calls; 2 saved retries plus 0.2 per call (capped at 2 saved): far fewer than the 40 retries asked for.
  assert.ok(down.seen.length <= 20 + 2 + 4 + 1, `${down.seen.length} requests`);
  assert.ok(down.seen.length >= 22, `${down.seen.length} requests: the budget allowed some retries`);
});
