import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromMinor, isMoneyAmount, toMinor } from './money.ts';

test('decimal amounts become exact cents', () => {
  assert.equal(toMinor(19.99), 1999);
  assert.equal(toMinor(0.1) + toMinor(0.2), 30);
  assert.equal(fromMinor(toMinor(0.1) + toMinor(0.2)), 0.3);
});

test('more than two fraction digits is refused', () => {
  assert.throws(() => toMinor(19.999), RangeError);
  assert.throws(() => toMinor(Number.NaN), RangeError);
});

test('every amount with at most two decimals up to the maximum is money, whatever floating point does to it', () => {
  // 1234567.89 / 0.01 is 123456788.99999999 in binary floating point: `multipleOf: 0.01` refused it.
  for (const ok of [1234567.89, 99999999.99, 100_000_000, 0.07, 0.1, 19.99, 0]) {
    assert.ok(isMoneyAmount(ok), `${ok}`);
    assert.equal(fromMinor(toMinor(ok)), ok);
  }
  for (const bad of [1234567.891, 0.001, 1e-7, Number.POSITIVE_INFINITY, Number.NaN]) assert.equal(isMoneyAmount(bad), false, `${bad}`);
});
