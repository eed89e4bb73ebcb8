import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenChecks } from './monitor-watchdog.ts';

test('a check counts as stuck only while it runs longer than the limit', () => {
  const checks = new OpenChecks();
  checks.started('a:1', 0);
  checks.started('b:2', 900);
  assert.deepEqual(checks.stuck(1000, 1000), [], 'exactly at the limit is not stuck');
  assert.deepEqual(checks.stuck(1001, 1000), ['a:1']);
  checks.ended('a:1');
  assert.deepEqual(checks.stuck(5000, 1000), ['b:2']);
  checks.started('b:2', 4500); // the next check of the same server replaces the old one
  assert.deepEqual(checks.stuck(5000, 1000), []);
  checks.forgetAll();
  assert.deepEqual(checks.stuck(99_999, 1000), []);
});
