import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStallTracker } from './stalls.ts';

test('the same message failing again counts attempts from its first failure; the next message starts anew', () => {
  let clock = 1_000;
  const tracker = createStallTracker(() => clock);
  const where = { topic: 'order-events', partition: 2, offset: 7 };
  tracker.failed(where, 'first');
  clock = 31_000;
  tracker.failed(where, 'second');
  assert.deepEqual(tracker.stalls(), [{ ...where, since: 1_000, attempts: 2, lastError: 'second' }]);
  assert.equal(tracker.stalls(30_000).length, 1, 'failing for 30 s');
  assert.equal(tracker.stalls(30_001).length, 0, 'not for longer');

  tracker.failed({ ...where, offset: 8 }, 'other');
  assert.deepEqual(tracker.stalls(), [{ ...where, offset: 8, since: 31_000, attempts: 1, lastError: 'other' }]);
  tracker.cleared('order-events', 2);
  assert.deepEqual(tracker.stalls(), []);
});
