import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppError } from '@shop/platform/errors';
import { priceLines } from './money.ts';

const id = (n: number) => n.toString(16).padStart(24, '0');

test('totals are exact cents: 3 × 0.10 + 0.20 is 50 cents; floats already drift at 3 × 0.1', () => {
  assert.notEqual(0.1 * 3, 0.3);
  const priced = priceLines(
    [
      { productId: id(1), quantity: 3 },
      { productId: id(2), quantity: 1 },
    ],
    [
      { productId: id(1), price: 0.1, currency: 'USD' },
      { productId: id(2), price: 0.2, currency: 'USD' },
    ],
  );
  assert.equal(priced.totalMinor, 50);
  assert.deepEqual(
    priced.items.map((line) => line.priceMinor),
    [10, 20],
  );
});

test('ten lines of 0.10 are exactly 1.00 (a float sum gives 0.9999999999999999)', () => {
  const lines = Array.from({ length: 10 }, (_, i) => ({ productId: id(i + 1), quantity: 1 }));
  assert.notEqual(
    lines.reduce((sum) => sum + 0.1, 0),
    1,
  );
  const priced = priceLines(
    lines,
    lines.map((line) => ({ productId: line.productId, price: 0.1, currency: 'USD' })),
  );
  assert.equal(priced.totalMinor, 100);
});

test('many small prices add up without drift', () => {
  const lines = Array.from({ length: 100 }, (_, i) => ({ productId: id(i + 1), quantity: 7 }));
  const prices = lines.map((line) => ({ productId: line.productId, price: 19.99, currency: 'EUR' }));
  const priced = priceLines(lines, prices);
  assert.equal(priced.totalMinor, 100 * 7 * 1999);
  assert.equal(priced.currency, 'EUR');
});

test('mixed currencies and missing prices are refused', () => {
  const lines = [
    { productId: id(1), quantity: 1 },
    { productId: id(2), quantity: 1 },
  ];
  assert.throws(
    () =>
      priceLines(lines, [
        { productId: id(1), price: 1, currency: 'USD' },
        { productId: id(2), price: 1, currency: 'EUR' },
      ]),
    /currencies/,
  );
  assert.throws(() => priceLines(lines, [{ productId: id(1), price: 1, currency: 'USD' }]), /no price/);
});

test('a total beyond the money range is refused as bad input, before anything is held', () => {
  const line = { productId: 'p', quantity: 2 };
  const price = { productId: 'p', price: 60_000_000, currency: 'USD' };
  assert.throws(
    () => priceLines([line], [price]),
    (e: AppError) => e.status === 400 && /exceeds the maximum/.test(e.message),
  );
  assert.equal(priceLines([{ productId: 'p', quantity: 1 }], [{ ...price, price: 100_000_000 }]).totalMinor, 10_000_000_000);
});
