import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextAttemptAt, retryDelay } from './backoff.ts';

const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 10 };

test('the wait doubles per failed attempt and is capped', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 6, 7, 9].map((attempt) => retryDelay(attempt, policy)),
    [1000, 2000, 4000, 8000, 32_000, 60_000, 60_000],
  );
});

test('after the last allowed attempt there is no next one', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  assert.equal(nextAttemptAt(1, policy, now)?.toISOString(), '2025-01-01T00:00:01.000Z');
  assert.equal(nextAttemptAt(9, policy, now)?.toISOString(), '2025-01-01T00:01:00.000Z');
  assert.equal(nextAttemptAt(10, policy, now), null);
  assert.equal(nextAttemptAt(1, { ...policy, maxAttempts: 1 }, now), null);
});
