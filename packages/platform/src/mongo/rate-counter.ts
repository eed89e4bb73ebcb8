import type { Db } from 'mongodb';
import { isDuplicateKey } from './connect.ts';

/** Counts attempts per key in fixed windows; `current` includes this attempt. */
export type RateCounter = (key: string, windowMs: number) => Promise<{ current: number; resetInMs: number }>;

/**
 * Rate-limit counters in the service's database, so every replica counts the same attempts
 * (an in-memory counter per process lets an attacker multiply the limit by the replica count).
 * Fixed windows: one document per key and window, `$inc`ed atomically, deleted by a TTL index once
 * its window is over.
 */
export function createRateCounter(db: Db, collectionName = 'rate_limits'): RateCounter {
  const collection = db.collection<{ _id: string; count: number; expiresAt: Date }>(collectionName);
  let indexed: Promise<unknown> | undefined;

  return async (key, windowMs) => {
    // Once per process; a failure (the database away at the first attempt) is tried again next time.
    indexed ??= collection.createIndex({ expiresAt: 1 }, { name: 'expiresAt_ttl', expireAfterSeconds: 0 }).catch((error) => {
      indexed = undefined;
      throw error;
    });
    await indexed;
    const now = Date.now();
    const windowEnd = (Math.floor(now / windowMs) + 1) * windowMs;
    const _id = `${key}@${windowEnd}`;
    const update = () =>
      collection.findOneAndUpdate({ _id }, { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(windowEnd) } }, { upsert: true, returnDocument: 'after' });
    // Two first attempts at once: one upsert inserts, the other may see the duplicate key; it counts again.
    const doc = await update().catch((error) => (isDuplicateKey(error) ? update() : Promise.reject(error)));
    return { current: doc?.count ?? 1, resetInMs: windowEnd - now };
  };
}
