import { randomUUID } from 'node:crypto';
import { Admin } from '@platformatic/kafka';
import { ensureTopics } from '@shop/platform/kafka/topics';
import { testBrokers } from './env.ts';

/**
 * A new consumer group whose committed offsets are the topics' current ends, so a service under
 * test reads only what is published from now on instead of the shared test Kafka's whole
 * history (every user-created would otherwise mean a welcome mail, and every order event a lookup).
 * Made on `brokers`, by default the test Kafka (`KAFKA_BROKER`); pass the service's own when it
 * runs on another one.
 */
export async function freshGroupAtEnd(prefix: string, topics: string[], brokers: string[] = testBrokers()): Promise<string> {
  const groupId = `${prefix}-${randomUUID()}`;
  await startGroupAtEnd(groupId, topics, brokers);
  return groupId;
}

/** The end offset of every partition of `topics` (where the next message will go). */
async function topicEnds(admin: Admin, topics: string[]) {
  const metadata = await admin.metadata({ topics });
  const request = topics.map((name) => ({
    name,
    partitions: Array.from({ length: metadata.topics.get(name)?.partitionsCount ?? 0 }, (_, partitionIndex) => ({ partitionIndex, timestamp: -1n })),
  }));
  return admin.listOffsets({ topics: request });
}

/** Commits the topics' current ends as `groupId`'s offsets (for a group not used yet). */
export async function startGroupAtEnd(groupId: string, topics: string[], brokers: string[] = testBrokers()): Promise<void> {
  await ensureTopics({ brokers, clientId: 'test-offsets', topics });
  const admin = new Admin({ clientId: 'test-offsets', bootstrapBrokers: brokers });
  try {
    const ends = await topicEnds(admin, topics);
    await admin.alterConsumerGroupOffsets({
      groupId,
      topics: ends.map((topic) => ({ name: topic.name, partitionOffsets: topic.partitions.map((p) => ({ partition: p.partitionIndex, offset: p.offset })) })),
    });
  } finally {
    await admin.close();
  }
}

/**
 * Waits until `groupId` has committed everything published so far to `topics`: the service under
 * test has handled (or dead-lettered, or skipped) every message, whatever it did with it.
 * Consumers commit finished offsets within half a second.
 */
export async function untilGroupCaughtUp(groupId: string, topics: string[], timeoutMs = 15_000, brokers: string[] = testBrokers()): Promise<void> {
  const admin = new Admin({ clientId: 'test-offsets', bootstrapBrokers: brokers });
  try {
    const ends = await topicEnds(admin, topics);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
      const committed = (topic: string, partition: number) =>
        group?.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partitionIndex === partition)?.committedOffset ?? -1n;
      const behind = ends.flatMap((topic) => topic.partitions.filter((p) => committed(topic.name, p.partitionIndex) < p.offset).map(() => topic.name));
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for group ${groupId} to catch up on ${[...new Set(behind)].join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.close();
  }
}
