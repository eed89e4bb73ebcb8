import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from './log.ts';
import { startSweeper } from './sweeper.ts';

test('passes run one at a time, go on after a failure, and stop waits for the running pass', async () => {
  let passes = 0;
  let concurrent = 0;
  let maxConcurrent = 0;
  const sweeper = startSweeper({
    name: 'test',
    everyMs: 1,
    logger: createLogger({ service: 'test', level: 'silent' }),
    async run() {
      passes++;
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await sleep(5);
      concurrent--;
      if (passes === 2) throw new Error('a failed pass');
      return passes;
    },
  });
  while (passes < 4) await sleep(2);
  await sweeper.stop();
  const after = passes;
  await sleep(20);
  assert.equal(passes, after, 'no pass after stop');
  assert.equal(maxConcurrent, 1);
  assert.equal(concurrent, 0, 'stop waited for the running pass');
});
