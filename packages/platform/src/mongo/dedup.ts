import type { Db } from 'mongodb';
import { isDuplicateKey } from './connect.ts';

/**
 * Remembers which events a consumer already handled, so a redelivered event is skipped.
 * Handlers still make their own writes idempotent where a crash between handling and
 * remembering would matter; this store saves the repeated work in the common case.
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
  };
}
