import type { Collection, Document } from 'mongodb';
import { Gauge, register } from 'prom-client';

const PENDING = 'outbox_pending';
const OLDEST = 'outbox_oldest_pending_age_seconds';

export interface OutboxBacklog {
  pending: number;
  /** Seconds since the oldest pending event was made (its envelope's `time`); 0 when none waits. */
  oldestAgeSeconds: number;
}

/** How long a scrape waits for the database before it shows the last figures. */
const QUERY_TIMEOUT_MS = 2_000;

/** The events waiting in one collection's outboxes; one aggregation on the relay's partial index. */
export async function outboxBacklog(collection: Collection<Document>, now = Date.now()): Promise<OutboxBacklog> {
  const [row] = await collection
    .aggregate<{ pending: number; oldest: string | null }>(
      [
        { $match: { 'outbox.0': { $exists: true } } },
        { $unwind: '$outbox' },
        { $group: { _id: null, pending: { $sum: 1 }, oldest: { $min: '$outbox.event.time' } } },
      ],
      { maxTimeMS: QUERY_TIMEOUT_MS },
    )
    .toArray();
  const oldest = row?.oldest ? Date.parse(row.oldest) : Number.NaN;
  return { pending: row?.pending ?? 0, oldestAgeSeconds: Number.isNaN(oldest) ? 0 : Math.max(0, (now - oldest) / 1000) };
}

const tracked = new Set<Collection<Document>>();
let latest: { at: number; figures: Promise<Map<string, OutboxBacklog>> } | undefined;

/** Both gauges are filled from one read per scrape (prom-client collects them one after the other). */
function figures(): Promise<Map<string, OutboxBacklog>> {
  if (!latest || Date.now() - latest.at > 1_000) {
    latest = {
      at: Date.now(),
      figures: Promise.all(
        [...tracked].map(async (collection) => [collection.collectionName, await outboxBacklog(collection).catch(() => undefined)] as const),
      ).then((rows) => new Map(rows.filter((row): row is readonly [string, OutboxBacklog] => row[1] !== undefined))),
    };
  }
  return latest.figures;
}

function gauge(name: string, help: string, read: (backlog: OutboxBacklog) => number): Gauge<'collection'> {
  return (
    (register.getSingleMetric(name) as Gauge<'collection'> | undefined) ??
    new Gauge({
      name,
      help,
      labelNames: ['collection'],
      async collect() {
        for (const [collection, backlog] of await figures()) this.set({ collection }, read(backlog));
      },
    })
  );
}

/**
 * `outbox_pending{collection}` and `outbox_oldest_pending_age_seconds{collection}` for the
 * relayed collections, read from the database when `/metrics` is scraped (no timer). A backlog
 * that grows, or an age past a few seconds, means events are not reaching Kafka.
 */
export function trackOutboxBacklog(collections: Collection<Document>[]): () => void {
  const pending = gauge(PENDING, 'Events written to an outbox and not yet acknowledged by Kafka', (b) => b.pending);
  const oldest = gauge(OLDEST, 'Age of the oldest event waiting in an outbox (0 when none waits)', (b) => b.oldestAgeSeconds);
  for (const collection of collections) tracked.add(collection);
  return () => {
    for (const collection of collections) {
      tracked.delete(collection);
      pending.remove({ collection: collection.collectionName });
      oldest.remove({ collection: collection.collectionName });
    }
  };
}
