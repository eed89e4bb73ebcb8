import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchPerTick } from './batch.ts';

test('lookups made together share one call, each answered in its place; later ones and those past the batch size get calls of their own', async () => {
  const calls: string[][] = [];
  const lookup = batchPerTick(async (keys: readonly string[]) => {
    calls.push([...keys]);
    return keys.map((key) => key.toUpperCase());
  }, 3);
  assert.deepEqual(await Promise.all(['a', 'b', 'a'].map(lookup)), ['A', 'B', 'A']);
  assert.deepEqual(calls, [['a', 'b', 'a']]);
  assert.equal(await lookup('c'), 'C');
  await Promise.all(['d', 'e', 'f', 'g'].map(lookup));
  assert.deepEqual(calls.slice(1), [['c'], ['d', 'e', 'f'], ['g']]);
});

test('a failed batch fails each of its lookups, and the next batch is tried afresh', async () => {
  let fail = true;
  const lookup = batchPerTick(async (keys: readonly number[]) => {
    if (fail) throw new Error('down');
    return keys.map((key) => key * 2);
  });
  const results = await Promise.allSettled([lookup(1), lookup(2)]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  fail = false;
  assert.equal(await lookup(3), 6);
});
