import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Admin, Consumer, stringDeserializers } from '@platformatic/kafka';

/** Groups of the benchmark itself, left out of the lag figures. */
const OWN_GROUP_PREFIX = 'bench-';

export interface LagSample {
  /** Milliseconds after the burst ended. */
  atMs: number;
  total: number;
  /** Messages not yet committed, per consumer group, summed over its topics and partitions. */
  byGroup: Record<string, number>;
  /** The same, per group and topic (only where there is lag). */
  byTopic: Record<string, Record<string, number>>;
}

/**
 * Consumer lag as Kafka sees it: for every consumer group, the end offset of each partition it
 * has committed on minus its committed offset. Uses the Admin client only (no group is joined).
 */
export function createLagProbe(brokers: string[]) {
  const admin = new Admin({ clientId: 'bench-lag', bootstrapBrokers: brokers, timeout: 10_000 });

  async function sample(atMs = 0): Promise<LagSample> {
    const groups = [...(await admin.listGroups()).keys()].filter((id) => !id.startsWith(OWN_GROUP_PREFIX)).sort();
    const committed = groups.length ? await admin.listConsumerGroupOffsets({ groups }) : [];
    const topics = [...new Set(committed.flatMap((g) => g.topics.map((t) => t.name)))];
    const ends = new Map<string, bigint>();
    if (topics.length) {
      const metadata = await admin.metadata({ topics });
      const request = topics.map((name) => ({
        name,
        partitions: Array.from({ length: metadata.topics.get(name)?.partitionsCount ?? 1 }, (_, partitionIndex) => ({ partitionIndex, timestamp: -1n })),
      }));
      for (const topic of await admin.listOffsets({ topics: request })) {
        for (const p of topic.partitions) ends.set(`${topic.name}/${p.partitionIndex}`, p.offset);
      }
    }
    const byGroup: Record<string, number> = {};
    const byTopic: Record<string, Record<string, number>> = {};
    for (const group of committed) {
      let lag = 0;
      for (const topic of group.topics) {
        for (const p of topic.partitions) {
          const end = ends.get(`${topic.name}/${p.partitionIndex}`) ?? 0n;
          // -1: nothing committed yet on this partition; everything in it is still to be read.
          const behind = Number(end - (p.committedOffset < 0n ? 0n : p.committedOffset));
          if (behind > 0) {
            lag += behind;
            byTopic[group.groupId] ??= {};
            byTopic[group.groupId]![topic.name] = (byTopic[group.groupId]![topic.name] ?? 0) + behind;
          }
        }
      }
      byGroup[group.groupId] = lag;
    }
    return { atMs, total: Object.values(byGroup).reduce((a, b) => a + b, 0), byGroup, byTopic };
  }

  return { sample, close: () => admin.close() };
}

export interface OrderOutcome {
  status: string;
  /** performance.now() when this benchmark's own consumer received the event. */
  seenAt: number;
  /** The event's own `time` (when order-service decided), in epoch ms. */
  eventTime: number;
  /** Why the order failed or was cancelled (the event's data.reason). */
  reason?: string;
}

/**
 * An independent consumer of order-events (a throw-away group of its own, from the earliest
 * offset): records when each order's terminal event (confirmed / failed / cancelled) is seen.
 * `waitFor(id, ms)` resolves with an order's outcome as soon as it is seen (undefined after `ms`).
 */
export async function watchOrderOutcomes(brokers: string[], topic = 'order-events') {
  const outcomes = new Map<string, OrderOutcome>();
  const waiting = new Map<string, ((outcome: OrderOutcome | undefined) => void)[]>();
  const consumer = new Consumer({
    groupId: `${OWN_GROUP_PREFIX}watch-${randomBytes(4).toString('hex')}`,
    clientId: 'bench-watch',
    bootstrapBrokers: brokers,
    deserializers: stringDeserializers,
    maxWaitTime: 100,
  });
  const terminal: Record<string, string> = { 'order.confirmed': 'confirmed', 'order.failed': 'failed', 'order.cancelled': 'cancelled' };
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, sessionTimeout: 10_000, heartbeatInterval: 500 });
  stream.on('data', (message) => {
    const seenAt = performance.now();
    try {
      const event = JSON.parse(String(message.value)) as { type: string; subject: string; time: string; data?: { reason?: string } };
      const status = terminal[event.type];
      if (!status || outcomes.has(event.subject)) return;
      const outcome: OrderOutcome = { status, seenAt, eventTime: Date.parse(event.time), ...(event.data?.reason ? { reason: event.data.reason } : {}) };
      outcomes.set(event.subject, outcome);
      const waiters = waiting.get(event.subject);
      waiting.delete(event.subject);
      for (const wake of waiters ?? []) wake(outcome);
    } catch {}
  });
  stream.on('error', () => {});
  return {
    outcomes,
    waitFor(id: string, timeoutMs: number): Promise<OrderOutcome | undefined> {
      const seen = outcomes.get(id);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const wake = (outcome: OrderOutcome | undefined) => {
          clearTimeout(timer);
          resolve(outcome);
        };
        const timer = setTimeout(() => {
          const list = waiting.get(id)?.filter((w) => w !== wake) ?? [];
          if (list.length) waiting.set(id, list);
          else waiting.delete(id);
          resolve(undefined);
        }, timeoutMs);
        waiting.set(id, [...(waiting.get(id) ?? []), wake]);
      });
    },
    async close() {
      await stream.close().catch(() => {});
      await consumer.close(true).catch(() => {});
    },
  };
}
