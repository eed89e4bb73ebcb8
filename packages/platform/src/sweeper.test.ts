import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
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

test('a pass slower than slowMs is a warning with its duration and what it did', async () => {
  const lines: { level: number; msg: string; sweep?: string; ms?: number; result?: unknown }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  let passes = 0;
  // A clock of the test's own: the first pass takes 60 ms on it and the others none, whatever the
  // machine's load does to real timers (a sleep of 60 ms once measured 59 on performance.now()).
  let clock = 0;
  const sweeper = startSweeper({
    name: 'slow',
    everyMs: 1,
    slowMs: 30,
    logger,
    now: () => clock,
    async run() {
      passes++;
      if (passes === 1) clock += 60;
      return { repaired: passes };
    },
  });
  while (passes < 3) await sleep(5);
  await sweeper.stop();
  const warnings = lines.filter((line) => line.level === 40);
  assert.equal(warnings.length, 1, 'only the slow pass');
  assert.equal(warnings[0]?.msg, 'sweep pass was slow');
  assert.equal(warnings[0]?.sweep, 'slow');
  assert.equal(warnings[0]?.ms, 60);
  assert.deepEqual(warnings[0]?.result, { repaired: 1 });
  assert.ok(
    lines.some((line) => line.level === 30 && line.msg === 'sweep did some work'),
    'the quick passes stay at info',
  );
});
