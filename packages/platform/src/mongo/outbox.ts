import type { Context } from '@opentelemetry/api';
import { type Collection, type Document, type IndexDescription, ObjectId } from 'mongodb';
import { Counter, register } from 'prom-client';
import type { EventEnvelope } from '../kafka/envelope.ts';
import { type UndeliverableReason, undeliverableReason } from '../kafka/undeliverable.ts';
import type { Logger } from '../log.ts';
import { contextFromHeaders, detached, traceHeaders } from '../telemetry/context.ts';
import { trackOutboxBacklog } from './outbox-metrics.ts';

/**
 * An event waiting to be published, stored inside the very document whose change it announces.
 * Writing the state and its event in one single-document update means a crash can never keep
 * one without the other, without a multi-document transaction.
 */
export interface OutboxEntry {
  id: string;
  topic: string;
  key: string;
  event: EventEnvelope;
  /**
   * The W3C trace context of the request (or message) that wrote the event: the relay publishes
   * it as a child of that span, so the trace goes on across the relay. Absent outside any trace.
   */
  traceparent?: string;
}

/** An entry that can never be published, moved out of the way with why and when. */
export interface SetAsideEntry extends Partial<OutboxEntry> {
  reason: UndeliverableReason;
  error: string;
  setAsideAt: Date;
}

export interface WithOutbox {
  outbox?: OutboxEntry[];
  /** Entries the relay gave up on (docs/outbox.md: how to look at them and send them again). */
  outboxSetAside?: SetAsideEntry[];
}

export function outboxEntry(topic: string, event: EventEnvelope, key: string = event.subject): OutboxEntry {
  const { traceparent } = traceHeaders();
  return { id: event.id, topic, key, event, ...(traceparent ? { traceparent } : {}) };
}

/** The update fragment that appends events to a document's outbox. */
export function pushToOutbox(...entries: OutboxEntry[]) {
  return { $push: { outbox: { $each: entries } } } as const;
}

/** What the relay needs of the producer: several events in one request, all or (as far as it knows) none. */
export interface EventPublisher {
  publishAll(publications: { topic: string; event: EventEnvelope; key?: string; parent?: Context }[]): Promise<void>;
}

export interface OutboxRelay {
  start(): void;
  /**
   * Ask for a flush now, after a write that queued events: of that one document when its id is
   * given (a lookup by `_id`), else of every collection (a scan).
   */
  kick(id?: string): void;
  /** Publishes everything pending once; resolves with how many events went out. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The index the scan's query `{'outbox.0': {$exists: true}}` uses: partial, so it holds only the
 * documents with pending events (a handful, whatever the collection's size) and the scan reads
 * just those instead of every document. The relay creates it on each collection it relays.
 */
export const outboxScanIndex = {
  key: { 'outbox.0': 1 },
  name: 'outbox_pending',
  partialFilterExpression: { 'outbox.0': { $exists: true } },
} as const satisfies IndexDescription;

const SET_ASIDE = 'outbox_set_aside_total';
function setAsideCounter(): Counter<'collection' | 'reason'> {
  return (
    (register.getSingleMetric(SET_ASIDE) as Counter<'collection' | 'reason'> | undefined) ??
    new Counter({ name: SET_ASIDE, help: 'Outbox entries that can never be published, set aside', labelNames: ['collection', 'reason'] })
  );
}

/** An entry the relay cannot even try to publish (a bug or a hand edit wrote it). */
function malformed(entry: unknown): boolean {
  const candidate = entry as Partial<OutboxEntry> | null;
  return typeof candidate !== 'object' || candidate === null || typeof candidate.id !== 'string' || typeof candidate.topic !== 'string' || !candidate.topic;
}

/** Ids are lower-case hex ObjectIds everywhere in the shop; anything else is stored as given. */
const documentKey = (id: string): unknown => (/^[0-9a-f]{24}$/.test(id) ? new ObjectId(id) : id);

/**
 * Publishes every pending outbox entry, in order per document, and removes it only after Kafka
 * acknowledged it. A crash in between means the entry is published again: at-least-once, which
 * the consumers' idempotent handlers turn into effectively-once.
 *
 * Two ways to find pending entries. A write that queued events kicks the relay with its
 * document's id, and only the kicked documents are read, by `_id` (those kicked meanwhile in one
 * query), so a write's events go out at once without a scan. A kicked id stays pending until its entries are out,
 * and is retried every `retryMs` while Kafka is away. A scan of whole collections is the safety
 * net for what no kick announced (a process killed between its write and the kick, a write whose
 * answer was lost): once at start and then every `pollMs`. Before its first scan the relay creates
 * `outboxScanIndex` on its collections (tried again at each scan until that worked; a scan
 * without it still works, by reading the whole collection).
 *
 * The relay's timer only runs as often as there is something to do: every `retryMs` while a
 * kicked document or a failed scan waits, else once, when the next scan is due. At rest it wakes
 * once per `pollMs` (docs/at-rest.md).
 */
export function createOutboxRelay(options: {
  collections: Collection<Document>[];
  publisher: EventPublisher;
  logger: Logger;
  /** How often whole collections are scanned. */
  pollMs: number;
  /** How often kicked documents whose events could not go out yet are tried again. */
  retryMs?: number;
  batchSize?: number;
  /**
   * Asks the cluster whether a topic exists. A publish refused for an unknown topic sets the
   * entry aside only when this confirms it; without it such an entry is retried like an outage.
   */
  topicExists?: (topic: string) => Promise<boolean>;
}): OutboxRelay {
  const setAsideTotal = setAsideCounter();
  const batchSize = options.batchSize ?? 100;
  const retryMs = Math.min(options.retryMs ?? 1000, options.pollMs);
  /** Kicked document ids, each with a count of its kicks, so a kick during its flush is not lost. */
  const kicked = new Map<string, number>();
  let scanDue = true;
  let lastScan = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let started = false;
  let stopped = false;
  let scanIndexed = false;

  async function ensureScanIndex(): Promise<void> {
    try {
      for (const collection of options.collections) await collection.createIndexes([outboxScanIndex]);
      scanIndexed = true;
    } catch (error) {
      options.logger.warn({ err: (error as Error).message }, 'outbox relay could not create its scan index; scanning without it');
    }
  }

  /** Why this failed publish can never succeed, or undefined to retry it (and what follows it) later. */
  async function neverDeliverable(entry: OutboxEntry, error: unknown): Promise<UndeliverableReason | undefined> {
    const reason = undeliverableReason(error);
    if (reason !== 'unknown_topic') return reason;
    const exists = await options.topicExists?.(entry.topic).catch(() => true);
    return exists === false ? reason : undefined;
  }

  /**
   * Moves one entry from `outbox` to `outboxSetAside` in one update, so the events behind it go
   * out and it stays in the document for someone to look at.
   */
  async function setAside(collection: Collection<Document>, doc: Document, entry: OutboxEntry, reason: UndeliverableReason, error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    // Kept whole, so it can be sent again once fixed (docs/outbox.md).
    const kept = typeof entry === 'object' && entry !== null ? entry : { value: entry };
    const aside = { ...kept, reason, error: message, setAsideAt: new Date() };
    const match = malformed(entry) ? { outbox: entry } : { outbox: { id: entry.id } };
    await collection.updateOne({ _id: doc._id }, { $pull: match, $push: { outboxSetAside: aside } } as Document);
    setAsideTotal.inc({ collection: collection.collectionName, reason });
    options.logger.error(
      { collection: collection.collectionName, documentId: String(doc._id), entryId: entry?.id, topic: entry?.topic, reason, err: message },
      'outbox entry can never be published; set aside (outboxSetAside), the events behind it go on',
    );
  }

  /** The message of an entry, published as a child of the span that wrote it, so one checkout stays one trace. */
  const publication = (entry: OutboxEntry) => ({
    topic: entry.topic,
    event: entry.event,
    key: entry.key,
    parent: contextFromHeaders({ traceparent: entry.traceparent }),
  });

  /** Where one document's relaying stands: its entries, how far it got, and why it stopped. */
  interface Progress {
    doc: Document;
    entries: OutboxEntry[];
    next: number;
    sent: string[];
    stoppedBy?: { error: unknown };
  }

  /** An entry Kafka did not take: one that never can is set aside; else its document stops there (its events keep their order). */
  async function notTaken(collection: Collection<Document>, progress: Progress, entry: OutboxEntry, error: unknown): Promise<void> {
    const reason = await neverDeliverable(entry, error);
    if (reason) await setAside(collection, progress.doc, entry, reason, error);
    else progress.stoppedBy = { error };
  }

  /** Publishes one entry alone. */
  async function publishOne(collection: Collection<Document>, progress: Progress, entry: OutboxEntry): Promise<void> {
    try {
      await options.publisher.publishAll([publication(entry)]);
      progress.sent.push(entry.id);
    } catch (error) {
      await notTaken(collection, progress, entry, error);
    }
  }

  /**
   * Publishes the entries of several documents in waves: each wave is the next entry of every
   * document still going, in one produce request, so a round costs one request per wave rather
   * than one per event, and each document's entries still go out in their order. A wave that
   * failed because Kafka is away stops every document in it; one Kafka refused for what an entry
   * is (too large, an unknown topic, not an event) is published again entry by entry, to set that
   * entry aside and let the others go (those of it that did go out are published twice, which the
   * consumers absorb).
   */
  async function publishInWaves(collection: Collection<Document>, docs: Document[]): Promise<Progress[]> {
    const all: Progress[] = docs.map((doc) => ({ doc, entries: (doc.outbox ?? []) as OutboxEntry[], next: 0, sent: [] }));
    /** The entry a document goes on with, if any. */
    const head = (progress: Progress) => progress.entries[progress.next];
    for (;;) {
      const wave: Progress[] = [];
      for (const progress of all) {
        if (progress.stoppedBy) continue;
        for (let entry = head(progress); entry !== undefined && malformed(entry); entry = head(progress)) {
          await setAside(collection, progress.doc, entry, 'invalid', new Error('not an outbox entry (id and topic are required)'));
          progress.next++;
        }
        if (head(progress) !== undefined) wave.push(progress);
      }
      if (wave.length === 0) return all;
      try {
        await options.publisher.publishAll(wave.map((progress) => publication(head(progress) as OutboxEntry)));
        for (const progress of wave) progress.sent.push((head(progress) as OutboxEntry).id);
      } catch (error) {
        // Kafka away stops them all at once; only a refusal of some entry is worth finding out, one by one.
        const oneByOne = wave.length > 1 && undeliverableReason(error) !== undefined;
        await Promise.all(
          wave.map((progress) => {
            const entry = head(progress) as OutboxEntry;
            return oneByOne ? publishOne(collection, progress, entry) : notTaken(collection, progress, entry, error);
          }),
        );
      }
      for (const progress of wave) if (!progress.stoppedBy) progress.next++;
    }
  }

  /**
   * Publishes the entries of several documents of one collection (`publishInWaves`), then removes
   * what went out from all of them in one round trip: under load a flush covers many documents,
   * and a read, a publish wait and a write per event were most of the relay's cost. Each entry is
   * pulled by its id, so a state change writing the document meanwhile is untouched. Returns how
   * many went out, the documents that must be tried again, and the first error that stopped one.
   */
  async function publishDocuments(collection: Collection<Document>, docs: Document[]): Promise<{ sent: number; unfinished: Set<string>; error?: unknown }> {
    const published = await publishInWaves(collection, docs);
    const acknowledged = published
      .filter(({ sent }) => sent.length > 0)
      .map(({ doc, sent }) => ({ updateOne: { filter: { _id: doc._id }, update: { $pull: { outbox: { id: { $in: sent } } } } as Document } }));
    if (acknowledged.length > 0) await collection.bulkWrite(acknowledged, { ordered: false });
    const stopped = published.filter(({ stoppedBy }) => stoppedBy !== undefined);
    return {
      sent: published.reduce((sum, { sent }) => sum + sent.length, 0),
      unfinished: new Set(stopped.map(({ doc }) => String(doc._id))),
      ...(stopped[0]?.stoppedBy ? { error: stopped[0].stoppedBy.error } : {}),
    };
  }

  async function flushKicked(): Promise<number> {
    let sent = 0;
    let error: unknown;
    const waiting = [...kicked];
    for (let from = 0; from < waiting.length; from += batchSize) {
      const batch = waiting.slice(from, from + batchSize);
      const unfinished = new Set<string>();
      for (const collection of options.collections) {
        const docs = await collection.find({ _id: { $in: batch.map(([id]) => documentKey(id)) } } as Document, { projection: { outbox: 1 } }).toArray();
        const result = await publishDocuments(collection, docs);
        sent += result.sent;
        for (const id of result.unfinished) unfinished.add(id);
        error ??= result.error;
      }
      // Done only once everything of it went out (a failure keeps it for the retry), and only if
      // no write kicked it again meanwhile (its new entries may have come after the read).
      for (const [id, kicks] of batch) if (!unfinished.has(id) && kicked.get(id) === kicks) kicked.delete(id);
    }
    if (error !== undefined) throw error;
    return sent;
  }

  /** Publishes the pending entries of up to `batchSize` documents; true when the batch was full. */
  async function scanCollection(collection: Collection<Document>): Promise<{ sent: number; full: boolean }> {
    const pending = await collection
      .find({ 'outbox.0': { $exists: true } }, { projection: { outbox: 1 } })
      .limit(batchSize)
      .toArray();
    const result = await publishDocuments(collection, pending);
    if (result.error !== undefined) throw result.error;
    return { sent: result.sent, full: pending.length === batchSize };
  }

  async function scanAll(): Promise<number> {
    if (!scanIndexed) await ensureScanIndex();
    scanDue = false;
    let sent = 0;
    try {
      for (const collection of options.collections) {
        const result = await scanCollection(collection);
        sent += result.sent;
        if (result.full) scanDue = true; // more may be waiting: scan again on the next round
      }
    } catch (error) {
      scanDue = true; // try the scan again at the next retry, not a whole poll later
      throw error;
    }
    lastScan = Date.now();
    return sent;
  }

  async function flushAll(): Promise<number> {
    let sent = 0;
    do {
      again = false;
      sent += await flushKicked();
      if (scanDue || Date.now() - lastScan >= options.pollMs) sent += await scanAll();
    } while (again && !stopped);
    return sent;
  }

  /** Runs flushAll, or joins the run under way (asking it to go round once more). */
  function flushOrJoin(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    // Not inside the trace of the request that kicked it: each publish joins its own entry's trace.
    running = detached(flushAll).finally(() => {
      running = undefined;
    });
    return running;
  }

  /** Sets the timer for the next round: soon while something waits for a retry, else when the scan is due. */
  function schedule() {
    if (!started || stopped) return;
    clearTimeout(timer);
    const delay = kicked.size > 0 || scanDue ? retryMs : Math.max(0, lastScan + options.pollMs - Date.now());
    timer = setTimeout(tick, delay);
  }

  function tick() {
    flushOrJoin()
      .catch((error) => options.logger.warn({ err: (error as Error).message }, 'outbox relay could not publish yet; will retry'))
      .finally(schedule);
  }

  let untrackBacklog: (() => void) | undefined;
  return {
    start() {
      untrackBacklog ??= trackOutboxBacklog(options.collections);
      started = true;
      stopped = false;
      scanDue = true;
      tick();
    },
    kick(id?: string) {
      if (stopped) return;
      if (id === undefined) scanDue = true;
      else kicked.set(id, (kicked.get(id) ?? 0) + 1);
      if (!started) return; // start() relays it (the topics may not exist yet)
      // A kick whose flush failed leaves its id pending: the rescheduled timer retries it in `retryMs`.
      flushOrJoin()
        .catch(() => {})
        .finally(schedule);
    },
    flush() {
      scanDue = true;
      const flushed = flushOrJoin();
      flushed.catch(() => {}).finally(schedule);
      return flushed;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      untrackBacklog?.();
      untrackBacklog = undefined;
      await running?.catch(() => {});
    },
  };
}
