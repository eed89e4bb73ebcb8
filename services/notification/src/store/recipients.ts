import { isDuplicateKey } from '@shop/platform/mongo/connect';
import { LRUCache } from 'lru-cache';
import type { Db } from 'mongodb';
import type { Recipient } from '../domain/notification.ts';
import type { RecipientBook } from '../domain/notifications.ts';

/** userId → email and name, from user-created; a deleted user keeps only a tombstone. */
interface RecipientDocument {
  _id: string;
  email?: string;
  name?: string;
  rememberedAt?: Date;
  forgottenAt?: Date;
}

/**
 * The book in MongoDB. What `find` read is kept for `cacheMs` (0: not kept): a checkout mails its
 * customer twice within a second or two (payment, then order), and the second mail needs no read.
 * A `forget` in this process drops the address at once. In another replica a kept address outlives
 * the user's deletion by at most `cacheMs`, which only widens a race that exists anyway: the
 * order and payment events are not ordered against user-deleted.
 */
export function createRecipientBook(db: Db, options: { cacheMs: number } = { cacheMs: 0 }): RecipientBook {
  const recipients = db.collection<RecipientDocument>('recipients');
  const kept = options.cacheMs > 0 ? new LRUCache<string, Recipient | 'forgotten'>({ max: 10_000, ttl: options.cacheMs }) : null;
  const read = async (userId: string): Promise<Recipient | 'forgotten' | null> => {
    const doc = await recipients.findOne({ _id: userId });
    if (!doc) return null;
    if (doc.forgottenAt || !doc.email) return 'forgotten';
    return { email: doc.email, name: doc.name ?? '' };
  };
  return {
    async remember(userId, recipient) {
      try {
        // Insert only: a tombstone (the user was deleted) or an earlier entry stays as it is.
        await recipients.updateOne({ _id: userId }, { $setOnInsert: { ...recipient, rememberedAt: new Date() } }, { upsert: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },
    async forget(userId) {
      kept?.delete(userId);
      await recipients.updateOne({ _id: userId }, { $set: { forgottenAt: new Date() }, $unset: { email: '', name: '' } }, { upsert: true });
    },
    async find(userId) {
      const known = kept?.get(userId);
      if (known) return known;
      const found = await read(userId);
      if (found) kept?.set(userId, found);
      return found;
    },
  };
}
