import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAuth } from '../auth.ts';
import { DEADLINE_HEADER, remainingMs } from '../deadline.ts';
import { createLogger } from '../log.ts';
import { createHttpServer } from './server.ts';

async function server(t: import('node:test').TestContext, options: { maxInFlight?: number; requestTimeoutMs?: number }) {
  const app = await createHttpServer({
    service: 'test-service',
    logger: createLogger({ service: 'test-service', level: 'silent' }),
    auth: createAuth({ serviceName: 'test-service', ttlSeconds: 60, verifyKeys: new Map() }),
    bodyLimit: 1024,
    readiness: {},
    ...options,
  });
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  app.get('/slow', async () => {
    await gate;
    return { ok: true };
  });
  app.get('/time-left', async () => ({ ms: remainingMs() }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => app.close());
  return { address, release };
}

test('past maxInFlight requests, a fast 503 with Retry-After; health is still answered; capacity comes back', async (t) => {
  const { address, release } = await server(t, { maxInFlight: 2 });
  const held = [fetch(`${address}/slow`), fetch(`${address}/slow`)];
  await new Promise((resolve) => setTimeout(resolve, 100));
  const refused = await fetch(`${address}/slow`);
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(((await refused.json()) as { code: string }).code, 'DEPENDENCY_UNAVAILABLE');
  assert.equal((await fetch(`${address}/health/live`)).status, 200);
  release();
  assert.deepEqual(
    (await Promise.all(held)).map((r) => r.status),
    [200, 200],
  );
  assert.equal((await fetch(`${address}/slow`)).status, 200, 'finished requests free their places');
});

test("a request's deadline is the caller's budget, capped by the service's own limit", async (t) => {
  const { address } = await server(t, { requestTimeoutMs: 5_000 });
  const asked = (await (await fetch(`${address}/time-left`, { headers: { [DEADLINE_HEADER]: '800' } })).json()) as { ms: number };
  assert.ok(asked.ms > 0 && asked.ms <= 800, `${asked.ms} ms left`);
  const capped = (await (await fetch(`${address}/time-left`, { headers: { [DEADLINE_HEADER]: '99999999' } })).json()) as { ms: number };
  assert.ok(capped.ms > 800 && capped.ms <= 5_000, `${capped.ms} ms left`);
  const junk = (await (await fetch(`${address}/time-left`, { headers: { [DEADLINE_HEADER]: 'soon' } })).json()) as { ms: number };
  assert.ok(junk.ms > 800 && junk.ms <= 5_000, `${junk.ms} ms left`);
});

test('a known path asked with a method it does not have: 405 with Allow; an unknown path: 404', async (t) => {
  const { address } = await server(t, {});
  const wrong = await fetch(`${address}/time-left`, { method: 'DELETE' });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
  assert.equal(wrong.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(((await wrong.json()) as { code: string }).code, 'METHOD_NOT_ALLOWED');
  const unknown = await fetch(`${address}/nothing-here`, { method: 'DELETE' });
  assert.equal(unknown.status, 404);
  assert.equal((await fetch(`${address}/time-left?x=1`, { method: 'POST' })).status, 405);
});
