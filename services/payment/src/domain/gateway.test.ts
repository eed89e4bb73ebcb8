import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSimulatedGateway, lot, simulatedAnswer } from './gateway.ts';

const request = (key: string, method = 'card') => ({ idempotencyKey: key, amountMinor: 1999, currency: 'USD', method });

test('card succeeds, card_declined fails with a reason, an unknown method fails', () => {
  assert.deepEqual(simulatedAnswer(request('a'), 0), { status: 'success' });
  assert.deepEqual(simulatedAnswer(request('a', 'card_declined'), 0), { status: 'failure', reason: 'card declined' });
  assert.equal(simulatedAnswer(request('a', 'bitcoin'), 0).status, 'failure');
});

test('the failure rate is applied by the key: the same payment always gets the same answer', () => {
  const keys = Array.from({ length: 2000 }, (_, i) => `payment-${i}`);
  const first = keys.map((key) => simulatedAnswer(request(key), 0.3).status);
  const second = keys.map((key) => simulatedAnswer(request(key), 0.3).status);
  assert.deepEqual(first, second);
  const failures = first.filter((status) => status === 'failure').length;
  assert.ok(failures > 500 && failures < 700, `about 30% should fail, got ${failures}`);
  assert.ok(keys.every((key) => simulatedAnswer(request(key), 1).status === 'failure'));
  assert.ok(keys.every((key) => simulatedAnswer(request(key), 0).status === 'success'));
  assert.ok(keys.every((key) => lot(key) >= 0 && lot(key) < 1));
});

test('the simulated gateway waits the configured latency and answers like the pure function', async () => {
  const gateway = createSimulatedGateway({ latencyMs: 30, failureRate: 0.5 });
  const started = Date.now();
  const answers = await Promise.all(['x', 'x', 'y'].map((key) => gateway.charge(request(key))));
  assert.ok(Date.now() - started >= 25);
  assert.deepEqual(answers[0], answers[1]);
  assert.deepEqual(answers[2], simulatedAnswer(request('y'), 0.5));
});
