import { Admin, findErrorBy } from '@platformatic/kafka';
import type { Logger } from '../log.ts';
import { sleep } from './retry.ts';
import { type KafkaSecurity, kafkaClientOptions } from './settings.ts';

export interface TopicClientOptions {
  brokers: string[];
  clientId: string;
  security?: KafkaSecurity;
}

export interface EnsureTopicsOptions extends TopicClientOptions {
  topics: string[];
  partitions?: number;
  replicationFactor?: number;
  /** `min.insync.replicas` of the created topics (default: the broker's). */
  minInsyncReplicas?: number;
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
  const names = withDlqs(options.topics, options.withDlq);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  // Our own loop retries; the client's built-in retries would only stretch each attempt.
  const admin = adminClient(options);
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
      configs: options.minInsyncReplicas ? [{ name: 'min.insync.replicas', value: String(options.minInsyncReplicas) }] : [],
    });
  } catch (error) {
    // Another service (or an earlier start) created it first: that is the state we want.
    if (!findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) throw error;
  }
}

/** The topics and, unless `withDlq` is false, their DLQs. */
export function withDlqs(topics: string[], withDlq = true): string[] {
  return topics.flatMap((t) => (withDlq ? [t, dlqTopic(t)] : [t]));
}

function adminClient(options: TopicClientOptions): Admin {
  return new Admin({ ...kafkaClientOptions(options), retries: 0, timeout: 5_000 });
}

/**
 * Which of `topics` the cluster does not have (or has without a leader yet). Rejects when the
 * broker cannot be asked, so "missing" is never confused with "Kafka is down".
 */
export async function missingTopics(options: TopicClientOptions & { topics: string[] }): Promise<string[]> {
  const admin = adminClient(options);
  try {
    const existing = new Set(await admin.listTopics());
    const present = options.topics.filter((topic) => existing.has(topic));
    const leaderless = new Set<string>();
    if (present.length > 0) {
      const metadata = await admin.metadata({ topics: present, forceUpdate: true });
      for (const topic of present) {
        const partitions = metadata.topics.get(topic)?.partitions ?? [];
        if (partitions.length === 0 || partitions.some((p) => p.leader < 0)) leaderless.add(topic);
      }
    }
    return options.topics.filter((topic) => !existing.has(topic) || leaderless.has(topic));
  } finally {
    await admin.close().catch(() => {});
  }
}

/**
 * For services that must not create topics (production: a job creates them with the cluster's
 * settings): checks every `everyMs` until all of `topics` exist, then resolves. Never rejects;
 * resolves false when `signal` aborts first.
 */
export async function waitForTopics(
  options: TopicClientOptions & { topics: string[]; everyMs?: number; signal: AbortSignal; logger: Logger },
): Promise<boolean> {
  for (let attempt = 1; !options.signal.aborted; attempt++) {
    try {
      const missing = await missingTopics(options);
      if (missing.length === 0) return true;
      // Loud at first, then once a minute or so: the operator has to create them.
      if (attempt === 1 || attempt % 12 === 0)
        options.logger.error({ missing }, 'Kafka topics missing; not ready until they exist (KAFKA_CREATE_TOPICS=false)');
    } catch (error) {
      options.logger.warn({ err: error, attempt }, 'Kafka not reachable; cannot check the topics yet');
    }
    if (!(await sleep(options.everyMs ?? 5_000, options.signal))) break;
  }
  return false;
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
