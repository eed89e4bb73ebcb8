import { isDuplicateKey } from '@shop/platform/mongo/connect';
import type { Db } from 'mongodb';
import type { RecipientBook } from '../domain/notifications.ts';

/** userId → email and name, from user-created; a deleted user keeps only a tombstone. */
interface RecipientDocument {
  _id: string;
  email?: string;
  name?: string;
  rememberedAt?: Date;
  forgottenAt?: Date;
}

export function createRecipientBook(db: Db): RecipientBook {
  const recipients = db.collection<RecipientDocument>('recipients');
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
      await recipients.updateOne({ _id: userId }, { $set: { forgottenAt: new Date() }, $unset: { email: '', name: '' } }, { upsert: true });
    },
    async find(userId) {
      const doc = await recipients.findOne({ _id: userId });
      if (!doc) return null;
      if (doc.forgottenAt || !doc.email) return 'forgotten';
      return { email: doc.email, name: doc.name ?? '' };
    },
  };
}
