import { Admin, findErrorBy } from '@platformatic/kafka';
import type { Logger } from '../log.ts';
import { sleep } from './retry.ts';

export interface EnsureTopicsOptions {
  brokers: string[];
  clientId: string;
  topics: string[];
  partitions?: number;
  replicationFactor?: number;
  /** Also create `<topic>.dlq` for each topic (default true). */
  withDlq?: boolean;
  /** How long to keep trying while the broker is not reachable yet (default 60 s). */
  timeoutMs?: number;
  logger?: Logger;
}

/** The dead-letter topic of `topic`. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Creates the topics (and their DLQs) if missing, waiting for the broker to come up; never relies on auto-creation. */
export async function ensureTopics(options: EnsureTopicsOptions): Promise<void> {
  const names = options.topics.flatMap((t) => (options.withDlq === false ? [t] : [t, dlqTopic(t)]));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  // Our own loop retries; the client's built-in retries would only stretch each attempt.
  const admin = new Admin({ clientId: options.clientId, bootstrapBrokers: options.brokers, retries: 0, timeout: 5_000 });
  const never = new AbortController().signal;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        for (const topic of names) await createIfMissing(admin, topic, options);
        await waitForLeaders(admin, names);
        return;
      } catch (error) {
        if (Date.now() >= deadline) {
          throw new Error(`Kafka topics could not be created within the deadline: ${names.join(', ')}`, { cause: error });
        }
        options.logger?.warn({ err: error, attempt }, 'Kafka not ready yet; retrying topic creation');
        await sleep(Math.min(2_000, 100 * 2 ** attempt), never);
      }
    }
  } finally {
    await admin.close().catch(() => {});
  }
}

async function createIfMissing(admin: Admin, topic: string, options: EnsureTopicsOptions): Promise<void> {
  try {
    await admin.createTopics({
      topics: [topic],
      partitions: options.partitions ?? 3,
      replicas: options.replicationFactor ?? 1,
    });
  } catch (error) {
    // Another service (or an earlier start) created it first: that is the state we want.
    if (!findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) throw error;
  }
}

// A freshly created topic has no leader for a moment; producing then fails, so wait here once.
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const metadata = await admin.metadata({ topics, forceUpdate: true });
  for (const topic of topics) {
    const partitions = metadata.topics.get(topic)?.partitions ?? [];
    if (partitions.length === 0 || partitions.some((p) => p.leader < 0)) {
      throw new Error(`Topic ${topic} has no leader yet`);
    }
  }
}
