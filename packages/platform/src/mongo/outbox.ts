import type { Collection, Document } from 'mongodb';
import type { EventEnvelope } from '../kafka/envelope.ts';
import type { Logger } from '../log.ts';
import { outgoingTraceparent } from '../trace.ts';
import type { KeyedLock } from './lock.ts';

/**
 * An event waiting to be published, stored inside the very document whose change it announces.
 * Writing the state and its event in one single-document update means a crash can never keep
 * one without the other, and it needs no multi-document transaction (FerretDB has none).
 */
export interface OutboxEntry {
  id: string;
  topic: string;
  key: string;
  event: EventEnvelope;
  /** The trace of the request that caused the event, so the trace goes on across the relay. */
  traceparent: string;
}

export interface WithOutbox {
  outbox?: OutboxEntry[];
}

export function outboxEntry(topic: string, event: EventEnvelope, key: string = event.subject): OutboxEntry {
  return { id: event.id, topic, key, event, traceparent: outgoingTraceparent() };
}

/** The update fragment that appends events to a document's outbox. */
export function pushToOutbox(...entries: OutboxEntry[]) {
  return { $push: { outbox: { $each: entries } } } as const;
}

export interface EventPublisher {
  publish(topic: string, event: EventEnvelope, options?: { key?: string; headers?: Record<string, string> }): Promise<void>;
}

export interface OutboxRelay {
  start(): void;
  /** Ask for a flush now (after a write) instead of waiting for the next poll. */
  kick(): void;
  /** Publishes everything pending once; resolves with how many events went out. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Publishes every pending outbox entry, in order per document, and removes it only after Kafka
 * acknowledged it. A crash in between means the entry is published again: at-least-once, which
 * the consumers' dedup by event id turns into effectively-once.
 */
export function createOutboxRelay(options: {
  collections: Collection<Document>[];
  publisher: EventPublisher;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
  /** The service's per-document lock, so removing a sent entry never races a state change (FerretDB). */
  lock?: KeyedLock;
}): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const lock: KeyedLock = options.lock ?? ((_key, work) => work());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;

  async function flushCollection(collection: Collection<Document>): Promise<number> {
    let sent = 0;
    const pending = await collection
      .find({ 'outbox.0': { $exists: true } }, { projection: { outbox: 1 } })
      .limit(batchSize)
      .toArray();
    for (const doc of pending) {
      for (const entry of (doc.outbox ?? []) as OutboxEntry[]) {
        await options.publisher.publish(entry.topic, entry.event, { key: entry.key, headers: { traceparent: entry.traceparent } });
        // Pull the entry as read (whole-value match): FerretDB's $pull does not take a condition.
        await lock(String(doc._id), () => collection.updateOne({ _id: doc._id }, { $pull: { outbox: entry } } as Document));
        sent++;
      }
    }
    return sent;
  }

  async function flushAll(): Promise<number> {
    let sent = 0;
    do {
      again = false;
      for (const collection of options.collections) sent += await flushCollection(collection);
    } while (again && !stopped);
    return sent;
  }

  function flush(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = flushAll().finally(() => {
      running = undefined;
    });
    return running;
  }

  function tick() {
    flush()
      .catch((error) => options.logger.warn({ err: (error as Error).message }, 'outbox relay could not publish yet; will retry'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.pollMs);
      });
  }

  return {
    start() {
      stopped = false;
      tick();
    },
    kick() {
      if (!stopped) flush().catch(() => {});
    },
    flush,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
