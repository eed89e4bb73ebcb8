import { createOutboxRelay, type OutboxRelay } from '@shop/platform/mongo/outbox';
import type { Platform } from '@shop/platform/service';
import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import type { KeyedLock } from './lock.ts';

/**
 * The platform's outbox relay, except that its `$pull` of a sent entry takes the same
 * per-document lock as this service's own writes (see lock.ts), so on FerretDB it can neither
 * undo nor be undone by a concurrent state change of that document. Stopped with the HTTP server.
 */
export function startLockedOutboxRelay(platform: Platform, collection: Collection<Document>, lock: KeyedLock, pollMs: number): OutboxRelay {
  const locked = {
    collectionName: collection.collectionName,
    find: collection.find.bind(collection),
    updateOne: (filter: Filter<Document>, update: UpdateFilter<Document>) => lock(String(filter._id), () => collection.updateOne(filter, update)),
  } as unknown as Collection<Document>;
  const relay = createOutboxRelay({ collections: [locked], publisher: platform.producer, logger: platform.logger, pollMs });
  relay.start();
  platform.onClose(() => relay.stop());
  return relay;
}
