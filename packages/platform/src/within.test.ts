import assert from 'node:assert/strict';
import { test } from 'node:test';
import { within } from './within.ts';

test('within: the value when it comes in time, the fallback when not, a rejection as it is', async () => {
  assert.equal(await within(Promise.resolve('answer'), 1_000, 'late'), 'answer');
  assert.equal(await within(new Promise(() => {}), 20, 'late'), 'late');
  await assert.rejects(within(Promise.reject(new Error('refused')), 1_000, 'late'), /refused/);
});
