import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CartMark } from '@shop/contracts';
import { Value } from 'typebox/value';
import { linesUntouched, markOf, parseMark } from './cart-mark.ts';

const [apple, pear] = ['a'.repeat(24), 'b'.repeat(24)];

test('a mark names how often the cart was emptied and each held line reset since, and reads back as those counts', () => {
  const counts = { emptied: 3, lines: { [apple]: 2, [pear]: 0 } };
  const mark = markOf(counts, [apple, pear]);
  assert.equal(mark, `3.${apple}-2`);
  assert.ok(Value.Check(CartMark, mark), 'the contract accepts it');
  assert.deepEqual(parseMark(mark), { emptied: 3, lines: { [apple]: 2 } });
  assert.equal(markOf({ emptied: 0, lines: { [apple]: 5 } }, [pear]), '0', 'lines not held are left out');
});

test('anything but a mark reads as none, so the order is applied as before marks existed', () => {
  for (const bad of [undefined, '', 'x', '1.', `1.${apple}`, `1.${apple}-`, `-1`, `1.${apple.toUpperCase()}-1`])
    assert.equal(parseMark(bad), null, String(bad));
});

test('the lines still holding what the order took: none after an empty, else those not reset since', () => {
  const at = { emptied: 1, lines: { [apple]: 1 } };
  assert.deepEqual(linesUntouched({ emptied: 1, lines: { [apple]: 1 } }, at, [apple, pear]), [apple, pear]);
  assert.deepEqual(linesUntouched({ emptied: 1, lines: { [apple]: 2 } }, at, [apple, pear]), [pear]);
  assert.deepEqual(linesUntouched({ emptied: 1, lines: { [apple]: 1, [pear]: 1 } }, at, [apple, pear]), [apple]);
  assert.deepEqual(linesUntouched({ emptied: 2, lines: {} }, at, [apple, pear]), []);
});
