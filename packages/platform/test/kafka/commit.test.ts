import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { unavailable } from '../../src/errors.ts';
import { createEvent } from '../../src/kafka/envelope.ts';
import { brokers, setup, startConsumer, thingHappened, unique, waitFor } from './helpers.ts';

const event = (data: Record<string, unknown> = {}) => createEvent({ type: 'thing.happened', source: 'test', subject: 'a', data });
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('event consumer offsets', () => {
  it('does not hand a handled message to the next consumer of the group', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const groupId = unique('g');
    const [e1, e2, e3] = [event(), event(), event()];
    await producer.publish(topic, e1);
    await producer.publish(topic, e2);

    const first: string[] = [];
    const one = await startConsumer(t, { groupId, producer, handlers: { [topic]: thingHappened(async (e) => void first.push(e.id)) } });
    await waitFor(() => first.length === 2, 10_000, 'the first consumer');
    await one.close();
    assert.equal(one.isConnected(), false);

    await producer.publish(topic, e3);
    const second: string[] = [];
    await startConsumer(t, { groupId, producer, handlers: { [topic]: thingHappened(async (e) => void second.push(e.id)) } });
    await waitFor(() => second.length === 1, 10_000, 'the second consumer');
    await settle(500);
    assert.deepEqual(first, [e1.id, e2.id]);
    assert.deepEqual(second, [e3.id]);
  });

  it('redelivers the message whose handler crashed the process, not the ones finished a commit interval before', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const groupId = unique('g');
    const [done, crash] = [event(), event({ crash: true })];
    await producer.publish(topic, done);

    const fixture = fileURLToPath(new URL('./crash-consumer.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, [fixture], {
      env: { ...process.env, CRASH_CONSUMER: JSON.stringify({ brokers, topic, groupId }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    await waitFor(() => output.includes(done.id), 20_000, 'the first message handled');
    // Offsets go out in one commit per interval (500 ms); a crash within it would bring `done` again too.
    await settle(1_500);
    await producer.publish(topic, crash);
    const [, signal] = await once(child, 'exit');
    assert.equal(signal, 'SIGKILL');
    assert.equal(output, `handled ${done.id}\n`);

    // The dead member holds its partitions until its session times out (fastGroup: 6 s).
    const redelivered: string[] = [];
    await startConsumer(t, { groupId, producer, handlers: { [topic]: thingHappened(async (e) => void redelivered.push(e.id)) } });
    await waitFor(() => redelivered.length === 1, 20_000, 'the redelivery');
    await settle(500);
    assert.deepEqual(redelivered, [crash.id]);
  });

  it('close() stops retrying at once and commits nothing, so the group gets the message again', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const groupId = unique('g');
    const stuck = event();
    await producer.publish(topic, stuck);

    let attempts = 0;
    const failing = await startConsumer(t, {
      groupId,
      producer,
      retry: { initialDelayMs: 50, maxDelayMs: 60_000 },
      handlers: {
        [topic]: thingHappened(async () => {
          attempts++;
          throw unavailable('mongodb');
        }),
      },
    });
    await waitFor(() => attempts >= 3, 10_000, 'a few attempts');
    const started = Date.now();
    await failing.close();
    assert.ok(Date.now() - started < 3_000, 'close() does not wait for the backoff');
    const attemptsAtClose = attempts;

    const handled: string[] = [];
    await startConsumer(t, { groupId, producer, handlers: { [topic]: thingHappened(async (e) => void handled.push(e.id)) } });
    await waitFor(() => handled.length === 1, 10_000, 'the redelivery');
    assert.deepEqual(handled, [stuck.id]);
    assert.equal(attempts, attemptsAtClose, 'no retry after close()');
  });

  it('close() waits for the handler in flight and commits its message', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const groupId = unique('g');
    const slow = event();
    await producer.publish(topic, slow);

    let started = false;
    let finished = false;
    const consumer = await startConsumer(t, {
      groupId,
      producer,
      handlers: {
        [topic]: thingHappened(async () => {
          started = true;
          await settle(500);
          finished = true;
        }),
      },
    });
    await waitFor(() => started, 10_000, 'the handler');
    await consumer.close();
    assert.equal(finished, true, 'close() resolved only after the handler');

    // A marker published now proves the next consumer is reading when we look.
    const marker = event();
    await producer.publish(topic, marker);
    const again: string[] = [];
    await startConsumer(t, { groupId, producer, handlers: { [topic]: thingHappened(async (e) => void again.push(e.id)) } });
    await waitFor(() => again.length === 1, 10_000, 'the marker');
    await settle(300);
    assert.deepEqual(again, [marker.id]);
  });

  it('loses nothing when a second member joins the group mid-stream', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const groupId = unique('g');
    const sent = Array.from({ length: 40 }, (_, i) => createEvent({ type: 'thing.happened', source: 'test', subject: `s${i}`, data: {} }));
    const handled = new Set<string>();
    const byMember = [0, 0];
    const handlerOf = (member: 0 | 1) =>
      thingHappened(async (e) => {
        await settle(10);
        handled.add(e.id);
        byMember[member] = (byMember[member] ?? 0) + 1;
      });
    for (const e of sent.slice(0, 20)) await producer.publish(topic, e);
    await startConsumer(t, { groupId, producer, handlers: { [topic]: handlerOf(0) } });
    await waitFor(() => handled.size >= 5, 10_000, 'the first member to start');
    await startConsumer(t, { groupId, producer, handlers: { [topic]: handlerOf(1) } });
    for (const e of sent.slice(20)) await producer.publish(topic, e);
    await waitFor(() => sent.every((e) => handled.has(e.id)), 15_000, 'every event');
    assert.ok((byMember[1] ?? 0) > 0, 'the second member took over a partition');
  });
});
