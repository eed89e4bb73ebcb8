import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadLetterEvent } from '@shop/platform/kafka/dead-letter';
import { createEvent, type EventEnvelope } from '@shop/platform/kafka/envelope';
import type { KafkaLog, LogRecord } from './kafka-log.ts';
import type { ReplayStore } from './replays.ts';
import { createDeadLetterRules } from './rules.ts';

/** An in-memory KafkaLog: topic → partitions → records (offsets from `start`). */
function fakeLog(topics: Record<string, { start: number; values: string[] }[]>): KafkaLog {
  return {
    topicsEndingWith: async (suffix) =>
      Object.keys(topics)
        .filter((t) => t.endsWith(suffix))
        .sort(),
    ranges: async (topic) => (topics[topic] ?? []).map((p, partition) => ({ partition, start: p.start, end: p.start + p.values.length })),
    read: async (topic, partition, offset, max) => {
      const p = topics[topic]?.[partition];
      if (!p) return [];
      return p.values.slice(Math.max(0, offset - p.start), Math.max(0, offset - p.start) + max).map(
        (value, i): LogRecord => ({
          partition,
          offset: Math.max(offset, p.start) + i,
          time: new Date(0).toISOString(),
          key: null,
          value: Buffer.from(value),
        }),
      );
    },
    poll: async () => ({ records: [], lost: [] }),
    close: async () => {},
  };
}

function fakeReplays(): ReplayStore & { ids: string[] } {
  const done = new Map<string, { by: string }>();
  return {
    ids: [],
    async claim(id, by) {
      if (done.has(id)) return undefined;
      done.set(id, { by });
      this.ids.push(id);
      return 'claim';
    },
    async finish() {},
    async release(id) {
      done.delete(id);
    },
    async find(ids) {
      return new Map(
        ids.filter((id) => done.has(id)).map((id) => [id, { status: 'replayed' as const, by: done.get(id)?.by ?? '', at: new Date(0).toISOString() }]),
      );
    },
  };
}

const letter = (n: number, value = JSON.stringify(createEvent({ type: 't.happened', source: 'x', subject: `s${n}`, data: { n } }))) =>
  JSON.stringify(
    deadLetterEvent({
      source: 'cart-service',
      topic: 'a',
      partition: 0,
      offset: n,
      key: `s${n}`,
      value: Buffer.from(value),
      headers: { h: String(n) },
      reason: `r${n}`,
    }),
  );

const log = fakeLog({
  'a.dlq': [
    { start: 0, values: [letter(1), letter(2)] },
    { start: 5, values: [letter(3)] },
  ],
  'b.dlq': [{ start: 0, values: [letter(4)] }],
  'not-a-dlq': [{ start: 0, values: ['x'] }],
});

test('pages walk every DLQ topic, partition and offset in order, with counts per topic', async () => {
  const rules = createDeadLetterRules({ log, replays: fakeReplays(), publish: async () => {}, staleClaimMs: 1000 });
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await rules.list({ limit: 2, ...(cursor ? { cursor } : {}) });
    assert.deepEqual(page.topics, [
      { topic: 'a.dlq', sourceTopic: 'a', count: 3 },
      { topic: 'b.dlq', sourceTopic: 'b', count: 1 },
    ]);
    seen.push(...page.items.map((item) => `${item.topic}/${item.partition}/${item.offset}:${item.reason}`));
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  assert.deepEqual(seen, ['a.dlq/0/0:r1', 'a.dlq/0/1:r2', 'a.dlq/1/5:r3', 'b.dlq/0/0:r4']);
  assert.equal(pages, 2);
  const onlyB = await rules.list({ limit: 50, topic: 'b.dlq' });
  assert.deepEqual(
    onlyB.items.map((i) => i.reason),
    ['r4'],
  );
  await assert.rejects(rules.list({ limit: 2, cursor: 'not-a-cursor' }), /cursor/);
});

test('a replay publishes the original event to its topic with its key and headers, once', async () => {
  const published: { topic: string; event: EventEnvelope; key?: string; headers: Record<string, string> }[] = [];
  const replays = fakeReplays();
  const rules = createDeadLetterRules({
    log,
    replays,
    publish: async (topic, event, options) => void published.push({ topic, event, ...options }),
    staleClaimMs: 1000,
  });
  const replayed = await rules.replay({ topic: 'a.dlq', partition: 1, offset: 5 }, 'admin-1');
  assert.equal(replayed.replay?.by, 'admin-1');
  assert.equal(published.length, 1);
  assert.deepEqual([published[0]?.topic, published[0]?.key, published[0]?.headers, published[0]?.event.data], ['a', 's3', { h: '3' }, { n: 3 }]);
  await assert.rejects(rules.replay({ topic: 'a.dlq', partition: 1, offset: 5 }, 'admin-2'), /replayed/);
  assert.equal(published.length, 1);
  await assert.rejects(rules.replay({ topic: 'a.dlq', partition: 1, offset: 6 }, 'admin-1'), /not found/);
  await assert.rejects(rules.inspect({ topic: 'not-a-dlq', partition: 0, offset: 0 }), /not found/);
});

test('a dead letter that holds no event is not replayed; a failed publish leaves it replayable', async () => {
  const broken = fakeLog({ 'c.dlq': [{ start: 0, values: [letter(9, '{not json'), letter(10)] }] });
  const replays = fakeReplays();
  let fail = true;
  const rules = createDeadLetterRules({
    log: broken,
    replays,
    publish: async () => {
      if (fail) throw new Error('Kafka is down');
    },
    staleClaimMs: 1000,
  });
  await assert.rejects(rules.replay({ topic: 'c.dlq', partition: 0, offset: 0 }, 'a'), /no event envelope/);
  await assert.rejects(rules.replay({ topic: 'c.dlq', partition: 0, offset: 1 }, 'a'), /Kafka is down/);
  fail = false;
  const again = await rules.replay({ topic: 'c.dlq', partition: 0, offset: 1 }, 'a');
  assert.equal(again.replay?.status, 'replayed');
});
