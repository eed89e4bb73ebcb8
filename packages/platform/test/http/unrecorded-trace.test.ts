import assert from 'node:assert/strict';
import { test } from 'node:test';
// As a service process without an exporter starts (`--import …/telemetry/register`): OpenTelemetry
// on, nothing recorded. Before the modules below load, as the register module does.
import { startTelemetry } from '@shop/platform/telemetry/sdk';

const telemetry = await startTelemetry({ env: {} });
const { createAuth } = await import('@shop/platform/auth');
const { DEADLINE_HEADER, remainingMs } = await import('@shop/platform/deadline');
const { createServiceClient } = await import('@shop/platform/http/client');
const { createHttpServer } = await import('@shop/platform/http/server');
const { createLogger } = await import('@shop/platform/log');
const { currentTraceIds } = await import('@shop/platform/telemetry/context');

/**
 * Without an exporter no span is recorded, but every request still belongs to a trace: the
 * caller's (its `traceparent`) or a new one. Logs show its id, calls to other services carry it,
 * and the answer names it. Checked for a GET and for a POST with a body (whose handler runs when
 * the body has been read, not in the `onRequest` hook).
 */
const TRACE = 'ab'.repeat(16);
const CALLER_SPAN = 'cd'.repeat(8);

async function app(t: import('node:test').TestContext) {
  return createHttpServer({
    service: 'test-service',
    logger: createLogger({ service: 'test-service', level: 'silent' }),
    auth: createAuth({ serviceName: 'test-service', ttlSeconds: 60, verifyKeys: new Map() }),
    bodyLimit: 1024,
    readiness: {},
    requestTimeoutMs: 5_000,
  }).then((server) => {
    t.after(() => server.close());
    return server;
  });
}

async function services(t: import('node:test').TestContext) {
  const downstream = await app(t);
  downstream.get('/seen', async (request) => ({ traceparent: request.headers.traceparent ?? null, ms: Number(request.headers[DEADLINE_HEADER]) }));
  const downstreamUrl = await downstream.listen({ port: 0, host: '127.0.0.1' });

  const client = createServiceClient({ name: 'downstream', baseUrl: downstreamUrl, timeoutMs: 4_000, serviceToken: () => 'service-token' });
  const upstream = await app(t);
  const callDownstream = async () => ({
    here: currentTraceIds() ?? null,
    msHere: remainingMs(),
    downstream: (await client.request('GET', '/seen')).body as { traceparent: string | null; ms: number },
  });
  upstream.get('/call', callDownstream);
  upstream.post('/call', callDownstream);
  return { url: await upstream.listen({ port: 0, host: '127.0.0.1' }) };
}

interface Answer {
  here: { traceId: string; spanId: string } | null;
  msHere: number;
  downstream: { traceparent: string | null; ms: number };
}

const parts = (traceparent: string | null) => (traceparent ?? '').split('-');

for (const method of ['GET', 'POST'] as const) {
  test(`${method}: the caller's trace goes on through the service into its calls, and the answer names it (spans not recorded)`, async (t) => {
    const { url } = await services(t);
    const response = await fetch(`${url}/call`, {
      method,
      headers: {
        traceparent: `00-${TRACE}-${CALLER_SPAN}-01`,
        [DEADLINE_HEADER]: '3000',
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify({ some: 'body' }) } : {}),
    });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as Answer;
    assert.equal(answer.here?.traceId, TRACE, 'the handler (and so its log lines) is in the caller’s trace');
    assert.notEqual(answer.here?.spanId, CALLER_SPAN, 'under a span id of its own');
    const [, sentTrace, sentSpan, sentFlags] = parts(answer.downstream.traceparent);
    assert.equal(sentTrace, TRACE, 'the call to another service carries the trace');
    // No client span in between: unrecorded, calls are not instrumented at all (telemetry/sdk.ts).
    assert.equal(sentSpan, answer.here?.spanId, 'the call names the request as its parent');
    assert.equal(sentFlags, '00', 'not sampled: nothing of it is recorded here');
    assert.equal(parts(response.headers.get('traceparent'))[1], TRACE, 'the answer names the trace');
    assert.ok(answer.msHere > 0 && answer.msHere <= 3000, `the caller's deadline holds in the handler (${answer.msHere} ms)`);
    assert.ok(answer.downstream.ms > 0 && answer.downstream.ms <= 3000, `and travels on (${answer.downstream.ms} ms)`);
  });
}

test('a request without a trace starts one, a new one for each request', async (t) => {
  const { url } = await services(t);
  const traces = [];
  for (let i = 0; i < 2; i++) {
    const response = await fetch(`${url}/call`);
    const answer = (await response.json()) as Answer;
    const traceId = answer.here?.traceId;
    assert.match(traceId ?? '', /^[0-9a-f]{32}$/);
    assert.equal(parts(answer.downstream.traceparent)[1], traceId);
    assert.equal(parts(response.headers.get('traceparent'))[1], traceId);
    traces.push(traceId);
  }
  assert.notEqual(traces[0], traces[1]);
});

test('health probes and scrapes are not in any trace', async (t) => {
  const { url } = await services(t);
  const probe = await fetch(`${url}/health/live`, { headers: { traceparent: `00-${TRACE}-${CALLER_SPAN}-01` } });
  assert.equal(probe.status, 200);
  assert.equal(probe.headers.get('traceparent'), null);
});

test.after(() => telemetry.shutdown());
