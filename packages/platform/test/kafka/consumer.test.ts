// First: OpenTelemetry must be started before the modules it instruments load.
import '@shop/testing/tracing';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTestSpan } from '@shop/testing/tracing';
import { register } from 'prom-client';
import { Type } from 'typebox';
import { conflict, unavailable } from '../../src/errors.ts';
import { createEvent, type EventEnvelope, parseEvent } from '../../src/kafka/envelope.ts';
import { type MessageContext, on } from '../../src/kafka/handlers.ts';
import { currentTraceIds } from '../../src/telemetry/context.ts';
import { memoryLogger, produceRaw, readTopic, setup, startConsumer, thingHappened, unique, waitFor } from './helpers.ts';

const event = (subject: string, data: Record<string, unknown> = {}, type = 'thing.happened') => createEvent({ type, source: 'test', subject, data });

/** Reads the dead letters of `topic` as parsed envelopes. */
async function deadLetters(topic: string, count: number) {
  const raw = await readTopic(`${topic}.dlq`, count);
  return raw.map((m) => {
    const parsed = parseEvent(m.value ?? '');
    assert.ok(parsed.ok, 'a dead letter is itself a valid envelope');
    return { key: m.key, event: parsed.event };
  });
}

describe('event consumer', () => {
  it('dead-letters unparseable and invalid messages, skips types it does not handle, and goes on', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    // Same key: one partition, so the valid event comes after the poison ones.
    const bad = ['{definitely not json', JSON.stringify({ ...event('k'), id: 'not-a-uuid' }), JSON.stringify(event('k', { n: 'one' }))];
    const unhandled = JSON.stringify(event('k', { anything: true }, 'other.type'));
    await produceRaw(
      topic,
      [bad[0], bad[1], unhandled, bad[2]].map((value) => ({ key: 'k', value: value as string })),
    );
    const good = event('k', { n: 2 });
    await producer.publish(topic, good);

    const handled: EventEnvelope[] = [];
    await startConsumer(t, {
      groupId: unique('g'),
      producer,
      handlers: {
        [topic]: { 'thing.happened': on(Type.Object({ n: Type.Number() }), async (e) => void handled.push(e)) },
      },
    });
    await waitFor(() => handled.length === 1, 10_000, 'the valid event');
    assert.deepEqual(handled, [good]);

    const letters = await deadLetters(topic, 3);
    assert.equal(letters.length, 3);
    const reasons = letters.map((l) => String(l.event.data.reason));
    assert.match(reasons[0] ?? '', /^invalid JSON/);
    assert.match(reasons[1] ?? '', /invalid envelope: \/id/);
    assert.match(reasons[2] ?? '', /thing.happened: invalid data: \/data\/n/);
    for (const [i, letter] of letters.entries()) {
      assert.equal(letter.key, 'k');
      assert.equal(letter.event.type, 'dead-letter');
      assert.equal(letter.event.subject, 'k');
      assert.equal(letter.event.data.topic, topic);
      assert.equal(letter.event.data.value, bad[i], 'the original bytes are kept');
    }
    const metrics = await register.getSingleMetricAsString('kafka_messages_consumed_total');
    assert.match(metrics, new RegExp(`topic="${topic}",outcome="dead_lettered"} 3`));
    assert.match(metrics, new RegExp(`topic="${topic}",outcome="handled"} 1`));
    assert.match(metrics, new RegExp(`topic="${topic}",outcome="skipped"} 1`));
    const skipped = await register.getSingleMetricAsString('events_skipped_total');
    assert.match(skipped, new RegExp(`topic="${topic}",type="other.type"} 1`));
  });

  it('retries a retryable failure until it succeeds, warning each time', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const { logger, lines } = memoryLogger();
    let calls = 0;
    await producer.publish(topic, event('a'));
    await startConsumer(t, {
      groupId: unique('g'),
      producer,
      logger,
      handlers: {
        [topic]: thingHappened(async () => {
          if (++calls <= 3) throw unavailable('inventory-service');
        }),
      },
    });
    await waitFor(() => calls === 4, 10_000, 'the fourth attempt');
    const warnings = lines.filter((l) => l.level === 40 && /retrying/.test(l.msg));
    assert.deepEqual(
      warnings.map((l) => l.attempt),
      [1, 2, 3],
    );
    assert.equal((await readTopic(`${topic}.dlq`, 1, 500)).length, 0);
  });

  it('dead-letters a non-retryable failure at once and goes on', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const first = event('a');
    const second = event('a');
    await producer.publish(topic, first);
    await producer.publish(topic, second);
    const calls: string[] = [];
    await startConsumer(t, {
      groupId: unique('g'),
      producer,
      handlers: {
        [topic]: thingHappened(async (e) => {
          calls.push(e.id);
          if (e.id === first.id) throw conflict('order already paid');
        }),
      },
    });
    await waitFor(() => calls.length === 2, 10_000, 'both events');
    assert.deepEqual(calls, [first.id, second.id], 'no retry of the rejected event');
    const [letter] = await deadLetters(topic, 1);
    assert.match(String(letter?.event.data.reason), /CONFLICT: order already paid/);
    assert.equal(parseEvent(String(letter?.event.data.value)).ok, true);
  });

  it('retries an unknown error a few times, then dead-letters it', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const poison = event('a');
    const next = event('a');
    await producer.publish(topic, poison);
    await producer.publish(topic, next);
    const calls: string[] = [];
    await startConsumer(t, {
      groupId: unique('g'),
      producer,
      retry: { initialDelayMs: 10, maxDelayMs: 50, maxAttemptsForUnknownErrors: 3 },
      handlers: {
        [topic]: thingHappened(async (e) => {
          calls.push(e.id);
          if (e.id === poison.id) throw new TypeError('cannot read properties of undefined');
        }),
      },
    });
    await waitFor(() => calls.includes(next.id), 10_000, 'the next event');
    assert.deepEqual(calls, [poison.id, poison.id, poison.id, next.id]);
    const [letter] = await deadLetters(topic, 1);
    assert.match(String(letter?.event.data.reason), /failed 3 times: TypeError/);
  });

  it('reads from the earliest offset and runs the handler in the trace of the message', async (t) => {
    const { topics, producer } = await setup(t);
    const [topic] = topics as [string];
    const sent = [event('a'), event('a'), event('a')];
    const trace = await inTestSpan(async () => {
      for (const e of sent) await producer.publish(topic, e);
    });
    const seen: { id: string; trace: ReturnType<typeof currentTraceIds>; ctx: MessageContext }[] = [];
    const consumer = await startConsumer(t, {
      groupId: unique('g'),
      producer,
      handlers: { [topic]: thingHappened(async (e, ctx) => void seen.push({ id: e.id, trace: currentTraceIds(), ctx })) },
    });
    await waitFor(() => seen.length === 3, 10_000, 'three events');
    assert.equal(consumer.isConnected(), true);
    assert.deepEqual(
      seen.map((s) => s.id),
      sent.map((e) => e.id),
    );
    for (const s of seen) {
      assert.equal(s.trace?.traceId, trace.traceId);
      assert.notEqual(s.trace?.spanId, trace.spanId);
      assert.equal(s.ctx.topic, topic);
      assert.equal(s.ctx.key, 'a');
      assert.equal(typeof s.ctx.offset, 'number');
      assert.equal(s.ctx.headers['content-type'], 'application/cloudevents+json');
    }
  });
});
