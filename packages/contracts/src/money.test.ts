import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromMinor, toMinor } from './money.ts';

test('decimal amounts become exact cents', () => {
  assert.equal(toMinor(19.99), 1999);
  assert.equal(toMinor(0.1) + toMinor(0.2), 30);
  assert.equal(fromMinor(toMinor(0.1) + toMinor(0.2)), 0.3);
});

test('more than two fraction digits is refused', () => {
  assert.throws(() => toMinor(19.999), RangeError);
  assert.throws(() => toMinor(Number.NaN), RangeError);
});
