import { AppError, conflict } from '@shop/platform/errors';
import { isDuplicateKey } from '@shop/platform/mongo/connect';
import { pushToOutbox, type WithOutbox } from '@shop/platform/mongo/outbox';
import { type Atomically, inTransaction } from '@shop/platform/mongo/transaction';
import { type Collection, type Db, ObjectId } from 'mongodb';
import { emailKey, type UserDomainEvent, type UserRecord } from '../domain/user.ts';
import type { UserStore } from '../domain/users.ts';
import { outboxEntries } from '../events/outgoing.ts';

interface UserDocument extends WithOutbox {
  _id: ObjectId;
  name?: string;
  email?: string;
  /** The key of the email this user holds a claim on; gone once the user is deleted. */
  emailKey?: string;
  phone?: string;
  role: UserRecord['role'];
  passwordHash?: string;
  tokenVersion?: number;
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
    tokenVersion: doc.tokenVersion ?? 0,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toDocument(user: UserRecord, events: UserDomainEvent[]): UserDocument {
  const { id, ...rest } = user;
  return { _id: new ObjectId(id), ...rest, emailKey: emailKey(user.email), outbox: outboxEntries(events) };
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
export function createUserStore(db: Db, atomically: Atomically): UserStore {
  const users = usersCollection(db);
  const claims = emailClaimsCollection(db);

  /**
   * Claims an email for a user inside the caller's transaction, or throws CONFLICT (which aborts
   * it) when someone holds it. An upsert, so the usual "taken" is an answer rather than an error
   * that aborts the transaction on the server; a duplicate key from a concurrent claim is taken too.
   */
  async function claim(key: string, userId: ObjectId): Promise<void> {
    try {
      const result = await claims.updateOne({ _id: key }, { $setOnInsert: { userId } }, { upsert: true, ...inTransaction() });
      if (result.upsertedCount !== 1) throw emailTaken();
    } catch (error) {
      throw isDuplicateKey(error) ? emailTaken() : error;
    }
  }

  const insert = (user: UserRecord, events: UserDomainEvent[]): Promise<void> =>
    atomically(async () => {
      const doc = toDocument(user, events);
      await claim(doc.emailKey as string, doc._id);
      await users.insertOne(doc, inTransaction());
    });

  return {
    newId: () => new ObjectId().toHexString(),

    insert,

    async insertIfAbsent(user, events) {
      try {
        await insert(user, events);
        return true;
      } catch (error) {
        if (error instanceof AppError && error.code === 'CONFLICT') return false;
        throw error;
      }
    },

    async findById(id) {
      const doc = await users.findOne({ _id: new ObjectId(id), ...alive });
      return doc ? toRecord(doc) : null;
    },

    async findByEmail(key) {
      const holder = await claims.findOne({ _id: key });
      if (!holder) return null;
      const doc = await users.findOne({ _id: holder.userId, ...alive });
      return doc ? toRecord(doc) : null;
    },

    async list(limit, afterId) {
      const filter = afterId ? { ...alive, _id: { $gt: new ObjectId(afterId) } } : alive;
      const docs = await users.find(filter).sort({ _id: 1 }).limit(limit).toArray();
      return docs.map(toRecord);
    },

    countAdmins: () => users.countDocuments({ role: 'admin', ...alive }),

    async update(id, changes, options = {}) {
      const { id: _ignored, tokenVersion: _set, ...fields } = changes;
      const _id = new ObjectId(id);
      const revoke = options.revokeTokens ? { $inc: { tokenVersion: 1 } } : {};
      if (fields.email === undefined) {
        const doc = await users.findOneAndUpdate({ _id, ...alive }, { $set: fields, ...revoke }, { returnDocument: 'after' });
        return doc ? toRecord(doc) : null;
      }
      const newKey = emailKey(fields.email);
      return atomically(async () => {
        const current = await users.findOne({ _id, ...alive }, inTransaction());
        if (!current) return null;
        if (current.emailKey !== newKey) {
          await claim(newKey, _id);
          await claims.deleteOne({ _id: current.emailKey, userId: _id }, inTransaction());
        }
        const doc = await users.findOneAndUpdate(
          { _id, ...alive },
          { $set: { ...fields, emailKey: newKey }, ...revoke },
          { returnDocument: 'after', ...inTransaction() },
        );
        return doc ? toRecord(doc) : null;
      });
    },

    remove(id, events) {
      const _id = new ObjectId(id);
      return atomically(async () => {
        const current = await users.findOneAndUpdate(
          { _id, ...alive },
          {
            $set: { deletedAt: new Date(), updatedAt: new Date() },
            $unset: { name: '', email: '', emailKey: '', phone: '', passwordHash: '' },
            ...pushToOutbox(...outboxEntries(events)),
          },
          inTransaction(),
        );
        if (!current) return false;
        await claims.deleteOne({ _id: current.emailKey, userId: _id }, inTransaction());
        return true;
      });
    },
  };
}
