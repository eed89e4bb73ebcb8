import { conflict } from '@shop/platform/errors';
import type { Mongo } from '@shop/platform/mongo/connect';
import { isDuplicateKey } from '@shop/platform/mongo/connect';
import { type OutboxEntry, pushToOutbox, type WithOutbox } from '@shop/platform/mongo/outbox';
import { type ClientSession, type Collection, type Db, ObjectId } from 'mongodb';
import { emailKey, type UserRecord } from '../domain/user.ts';
import type { UserStore } from '../domain/users.ts';

interface UserDocument extends WithOutbox {
  _id: ObjectId;
  name?: string;
  email?: string;
  /** The key of the email this user holds a claim on; gone once the user is deleted. */
  emailKey?: string;
  phone?: string;
  role: UserRecord['role'];
  passwordHash?: string;
  createdAt: Date;
  updatedAt: Date;
  /** Deleted users stay as tombstones (no personal data) until their events are relayed. */
  deletedAt?: Date;
}

/**
 * Who holds an email: `_id` is the email's key, so uniqueness is the `_id` index's, and a key is
 * never changed in place, only claimed (insert) and given up (delete). See docs/unique-keys.md.
 */
interface EmailClaimDocument {
  _id: string;
  userId: ObjectId;
}

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

export function emailClaimsCollection(db: Db): Collection<EmailClaimDocument> {
  return db.collection<EmailClaimDocument>('email_claims');
}

/**
 * Users in MongoDB. A user and the claim on their email change together, in one transaction:
 * register inserts both, an email change moves the claim, a delete gives it up with the
 * tombstone. Every other write is one conditional single-document update carrying its events.
 */
export function createUserStore({ client, db }: Pick<Mongo, 'client' | 'db'>): UserStore {
  const users = usersCollection(db);
  const claims = emailClaimsCollection(db);
  const inTransaction = <T>(work: (session: ClientSession) => Promise<T>): Promise<T> =>
    client.withSession((session) => session.withTransaction(() => work(session)));

  /** Inserts the user with the claim on their email; false when the email is claimed already. */
  const insertClaimed = (user: UserRecord, events: OutboxEntry[]): Promise<boolean> =>
    inTransaction(async (session) => {
      const doc = toDocument(user, events);
      try {
        await claims.insertOne({ _id: doc.emailKey as string, userId: doc._id }, { session });
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
      await users.insertOne(doc, { session });
      return true;
    });

  return {
    newId: () => new ObjectId().toHexString(),

    async insert(user, events) {
      if (!(await insertClaimed(user, events))) throw emailTaken();
    },

    insertIfAbsent: insertClaimed,

    async findById(id) {
      const doc = await users.findOne({ _id: new ObjectId(id), ...alive });
      return doc ? toRecord(doc) : null;
    },

    async findByEmail(key) {
      const claim = await claims.findOne({ _id: key });
      if (!claim) return null;
      const doc = await users.findOne({ _id: claim.userId, ...alive });
      return doc ? toRecord(doc) : null;
    },

    async list(limit, afterId) {
      const filter = afterId ? { ...alive, _id: { $gt: new ObjectId(afterId) } } : alive;
      const docs = await users.find(filter).sort({ _id: 1 }).limit(limit).toArray();
      return docs.map(toRecord);
    },

    async update(id, changes) {
      const { id: _ignored, ...fields } = changes;
      const _id = new ObjectId(id);
      if (fields.email === undefined) {
        const doc = await users.findOneAndUpdate({ _id, ...alive }, { $set: fields }, { returnDocument: 'after' });
        return doc ? toRecord(doc) : null;
      }
      const newKey = emailKey(fields.email);
      return inTransaction(async (session) => {
        const current = await users.findOne({ _id, ...alive }, { session });
        if (!current) return null;
        if (current.emailKey !== newKey) {
          try {
            await claims.insertOne({ _id: newKey, userId: _id }, { session });
          } catch (error) {
            throw isDuplicateKey(error) ? emailTaken() : error;
          }
          await claims.deleteOne({ _id: current.emailKey, userId: _id }, { session });
        }
        const doc = await users.findOneAndUpdate({ _id, ...alive }, { $set: { ...fields, emailKey: newKey } }, { session, returnDocument: 'after' });
        return doc ? toRecord(doc) : null;
      });
    },

    remove(id, events) {
      const _id = new ObjectId(id);
      return inTransaction(async (session) => {
        const current = await users.findOneAndUpdate(
          { _id, ...alive },
          {
            $set: { deletedAt: new Date(), updatedAt: new Date() },
            $unset: { name: '', email: '', emailKey: '', phone: '', passwordHash: '' },
            ...pushToOutbox(...events),
          },
          { session },
        );
        if (!current) return false;
        await claims.deleteOne({ _id: current.emailKey, userId: _id }, { session });
        return true;
      });
    },
  };
}
