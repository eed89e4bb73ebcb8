import { conflict } from '@shop/platform/errors';
import { isDuplicateKey } from '@shop/platform/mongo/connect';
import type { KeyedLock } from '@shop/platform/mongo/lock';
import { type OutboxEntry, pushToOutbox, type WithOutbox } from '@shop/platform/mongo/outbox';
import { type Collection, type Db, ObjectId } from 'mongodb';
import { emailKey, type UserRecord } from '../domain/user.ts';
import type { UserStore } from '../domain/users.ts';

interface UserDocument extends WithOutbox {
  _id: ObjectId;
  name?: string;
  email?: string;
  emailKey: string;
  phone?: string;
  role: UserRecord['role'];
  passwordHash?: string;
  createdAt: Date;
  updatedAt: Date;
  /** Deleted users stay as tombstones (no personal data) until their events are relayed. */
  deletedAt?: Date;
}

export const userIndexes = {
  users: [{ key: { emailKey: 1 }, name: 'emailKey_unique', unique: true }],
};

const alive = { deletedAt: { $exists: false } };
const emailTaken = () => conflict('This email is already registered', { field: 'email' });

function toRecord(doc: UserDocument): UserRecord {
  return {
    id: doc._id.toHexString(),
    name: doc.name ?? '',
    email: doc.email ?? '',
    ...(doc.phone === undefined ? {} : { phone: doc.phone }),
    role: doc.role,
    passwordHash: doc.passwordHash ?? '',
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toDocument(user: UserRecord, events: OutboxEntry[]): UserDocument {
  const { id, ...rest } = user;
  return { _id: new ObjectId(id), ...rest, emailKey: emailKey(user.email), outbox: events };
}

export function usersCollection(db: Db): Collection<UserDocument> {
  return db.collection<UserDocument>('users');
}

/**
 * Users in MongoDB; every write is one single-document operation that also carries its events,
 * taken under the process's per-document lock (FerretDB does not isolate concurrent updates).
 */
export function createUserStore(db: Db, lock: KeyedLock): UserStore {
  const users = usersCollection(db);
  return {
    newId: () => new ObjectId().toHexString(),

    async insert(user, events) {
      try {
        await users.insertOne(toDocument(user, events));
      } catch (error) {
        throw isDuplicateKey(error) ? emailTaken() : error;
      }
    },

    async insertIfAbsent(user, events) {
      const { _id, emailKey: key, ...rest } = toDocument(user, events);
      const result = await users.updateOne({ emailKey: key }, { $setOnInsert: { _id, ...rest } }, { upsert: true });
      return result.upsertedCount === 1;
    },

    async findById(id) {
      // By `_id` alone, the deleted left out in code: FerretDB 1.24 runs only a filter of exactly
      // `{_id}` inside its storage; one more condition decodes every user (bench/results/report.md).
      const doc = await users.findOne({ _id: new ObjectId(id) });
      return doc && doc.deletedAt === undefined ? toRecord(doc) : null;
    },

    async findByEmail(key) {
      const doc = await users.findOne({ emailKey: key, ...alive });
      return doc ? toRecord(doc) : null;
    },

    async list(limit, afterId) {
      const filter = afterId ? { ...alive, _id: { $gt: new ObjectId(afterId) } } : alive;
      const docs = await users.find(filter).sort({ _id: 1 }).limit(limit).toArray();
      return docs.map(toRecord);
    },

    async update(id, changes) {
      const { id: _ignored, ...fields } = changes;
      const set: Partial<UserDocument> = { ...fields };
      if (fields.email !== undefined) {
        set.emailKey = emailKey(fields.email);
        // FerretDB may not report a unique-index breach on update, so look first as well.
        const holder = await users.findOne({ emailKey: set.emailKey }, { projection: { _id: 1 } });
        if (holder && !holder._id.equals(id)) throw emailTaken();
      }
      try {
        const doc = await lock(id, () => users.findOneAndUpdate({ _id: new ObjectId(id), ...alive }, { $set: set }, { returnDocument: 'after' }));
        return doc ? toRecord(doc) : null;
      } catch (error) {
        throw isDuplicateKey(error) ? emailTaken() : error;
      }
    },

    async remove(id, events) {
      const _id = new ObjectId(id);
      const result = await lock(id, () =>
        users.updateOne(
          { _id, ...alive },
          {
            $set: { deletedAt: new Date(), emailKey: `deleted:${id}`, updatedAt: new Date() },
            $unset: { name: '', email: '', phone: '', passwordHash: '' },
            ...pushToOutbox(...events),
          },
        ),
      );
      return result.modifiedCount === 1;
    },
  };
}
