import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '@shop/platform/mongo/connect';
import { type Collection, type Db, type IndexDescription, ObjectId } from 'mongodb';
import type { NotificationRecord } from '../domain/notification.ts';
import type { NotificationStore } from '../domain/notifications.ts';

interface NotificationDocument extends Omit<NotificationRecord, 'id'> {
  _id: ObjectId;
  /** Set while one process holds it for an attempt; only that holder may record the outcome. */
  claimId?: string;
}

export const notificationIndexes: Record<string, IndexDescription[]> = {
  notifications: [
    { key: { eventId: 1 }, name: 'eventId_unique', unique: true },
    { key: { userId: 1, _id: -1 }, name: 'userId_newest' },
    { key: { nextAttemptAt: 1 }, name: 'nextAttemptAt' },
  ],
};

function toRecord(doc: NotificationDocument): NotificationRecord {
  const { _id, claimId: _claim, ...rest } = doc;
  return { id: _id.toHexString(), ...rest };
}

export function notificationsCollection(db: Db): Collection<NotificationDocument> {
  return db.collection<NotificationDocument>('notifications');
}

/**
 * Notifications in MongoDB; every state change is one conditional single-document update, so of
 * two senders (consumer and retry sweeper, in one process or two) only one wins a claim.
 */
export function createNotificationStore(db: Db): NotificationStore {
  const notifications = notificationsCollection(db);
  const existing = async (eventId: string) => {
    const doc = await notifications.findOne({ eventId }, { projection: { _id: 1 } });
    if (!doc) throw new Error(`notification for event ${eventId} vanished`);
    return doc._id.toHexString();
  };

  return {
    newId: () => new ObjectId().toHexString(),

    async insertClaimed(record, leaseUntil) {
      const { id, eventId, ...rest } = record;
      const claimId = randomUUID();
      const claimed = { ...rest, attempts: rest.attempts + 1, nextAttemptAt: leaseUntil };
      try {
        const result = await notifications.updateOne({ eventId }, { $setOnInsert: { _id: new ObjectId(id), ...claimed, claimId } }, { upsert: true });
        if (result.upsertedId) return { id, claim: { notification: { id, eventId, ...claimed }, claimId } };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      return { id: await existing(eventId), claim: null };
    },

    async release(claim, now) {
      await notifications.updateOne(
        { _id: new ObjectId(claim.notification.id), claimId: claim.claimId },
        { $set: { nextAttemptAt: now }, $unset: { claimId: '' }, $inc: { attempts: -1 } },
      );
    },

    async claim(id, now, leaseUntil) {
      const claimId = randomUUID();
      const doc = await notifications.findOneAndUpdate(
        { _id: new ObjectId(id), status: { $ne: 'SENT' }, nextAttemptAt: { $lte: now } },
        { $set: { nextAttemptAt: leaseUntil, claimId }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      );
      return doc ? { notification: toRecord(doc), claimId } : null;
    },

    async markSent(claim, to, at) {
      await notifications.updateOne(
        { _id: new ObjectId(claim.notification.id), claimId: claim.claimId },
        { $set: { status: 'SENT', to, sentAt: at }, $unset: { nextAttemptAt: '', claimId: '', error: '' } },
      );
    },

    async markFailed(claim, error, retryAt, to) {
      await notifications.updateOne(
        { _id: new ObjectId(claim.notification.id), claimId: claim.claimId },
        {
          $set: { status: 'FAILED', error, ...(to ? { to } : {}), ...(retryAt ? { nextAttemptAt: retryAt } : {}) },
          $unset: { claimId: '', ...(retryAt ? {} : { nextAttemptAt: '' }) },
        },
      );
    },

    async due(now, limit) {
      const docs = await notifications
        .find({ status: { $ne: 'SENT' }, nextAttemptAt: { $lte: now } }, { projection: { _id: 1 } })
        .sort({ nextAttemptAt: 1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => doc._id.toHexString());
    },

    async list(filter, limit, before) {
      const query = { ...(filter.userId ? { userId: filter.userId } : {}), ...(before ? { _id: { $lt: new ObjectId(before) } } : {}) };
      const docs = await notifications.find(query).sort({ _id: -1 }).limit(limit).toArray();
      return docs.map(toRecord);
    },
  };
}
