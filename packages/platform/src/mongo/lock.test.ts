import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKeyedLock } from './lock.ts';

test('work under one key runs one at a time, in order; other keys run alongside', async () => {
  const lock = createKeyedLock();
  const log: string[] = [];
  const job = (key: string, name: string, ms: number) =>
    lock(key, async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    });
  const results = await Promise.all([job('a', 'a1', 30), job('a', 'a2', 1), job('b', 'b1', 5)]);
  assert.deepEqual(results, ['a1', 'a2', 'b1']);
  assert.ok(log.indexOf('end a1') < log.indexOf('start a2'), log.join(', '));
  assert.ok(log.indexOf('start b1') < log.indexOf('end a1'), log.join(', '));
});

test('a failed piece of work does not block the next one', async () => {
  const lock = createKeyedLock();
  await assert.rejects(lock('k', async () => Promise.reject(new Error('boom'))));
  assert.equal(await lock('k', async () => 'next'), 'next');
});
