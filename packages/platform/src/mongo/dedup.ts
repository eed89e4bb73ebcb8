import type { Db } from 'mongodb';
import { isDuplicateKey } from './connect.ts';

/** The TTL index on `at` that lets the database delete dedup records older than the retention. */
export const DEDUP_TTL_INDEX = 'at_ttl';

/** MongoDB's answer to createIndexes when an index of that name exists with other options. */
const INDEX_OPTIONS_CONFLICT = 85;

/**
 * Remembers which events a consumer already handled, so a redelivered event is skipped.
 * Handlers still make their own writes idempotent where a crash between handling and
 * remembering would matter; this store saves the repeated work in the common case.
 * A record lives `retentionSeconds` (see `expireAfter`): the database's TTL monitor deletes it
 * then, so the collection holds only the recent ids instead of growing forever.
 */
export function createDedupStore(db: Db, collectionName = 'processed_events') {
  const collection = db.collection<{ _id: string; at: Date }>(collectionName);
  return {
    async seen(id: string): Promise<boolean> {
      return (await collection.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
    },
    async remember(id: string): Promise<void> {
      try {
        await collection.insertOne({ _id: id, at: new Date() });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },
    /**
     * Ensures the TTL index that expires records `retentionSeconds` after their `at`; safe on
     * every start and from several processes at once. An index left with another retention (the
     * setting changed) gets the new one with `collMod`, without rebuilding the index.
     */
    async expireAfter(retentionSeconds: number): Promise<void> {
      try {
        await collection.createIndex({ at: 1 }, { name: DEDUP_TTL_INDEX, expireAfterSeconds: retentionSeconds });
      } catch (error) {
        if ((error as { code?: unknown }).code !== INDEX_OPTIONS_CONFLICT) throw error;
        await db.command({ collMod: collectionName, index: { name: DEDUP_TTL_INDEX, expireAfterSeconds: retentionSeconds } });
      }
    },
  };
}
