import { isDuplicateKey } from '@shop/platform/mongo/connect';
import { pushToOutbox, type WithOutbox } from '@shop/platform/mongo/outbox';
import { type Collection, type Db, type Filter, type IndexDescription, ObjectId } from 'mongodb';
import type { OrderRecord } from '../domain/order.ts';
import type { OrderStore } from '../domain/ports.ts';
import { outboxEntries } from '../events/outgoing.ts';

interface OrderDocument extends WithOutbox, Omit<OrderRecord, 'id' | 'idempotencyKey'> {
  _id: ObjectId;
  /** The client's Idempotency-Key, or `auto:<id>` without one, so one plain unique index covers it (no partial index needed). */
  idempotencyKey: string;
}

export const orderIndexes: Record<string, IndexDescription[]> = {
  orders: [
    { key: { userId: 1, idempotencyKey: 1 }, name: 'userId_idempotencyKey_unique', unique: true },
    { key: { userId: 1, _id: -1 }, name: 'userId_id' },
    { key: { status: 1, updatedAt: 1 }, name: 'status_updatedAt' },
  ],
};

const AUTO = 'auto:';

/** A stored order as the rules see it (no outbox; the automatic idempotency key left out). */
export function toRecord(doc: OrderDocument): OrderRecord {
  const { _id, outbox: _outbox, idempotencyKey, ...rest } = doc;
  return { id: _id.toHexString(), ...rest, ...(idempotencyKey.startsWith(AUTO) ? {} : { idempotencyKey }) };
}

/** Drops undefined fields, which the driver would otherwise store as null. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function ordersCollection(db: Db): Collection<OrderDocument> {
  return db.collection<OrderDocument>('orders');
}

/**
 * Orders in MongoDB; each change is one conditional single-document write carrying its events,
 * guarded by the order's version, so of two concurrent changes one wins and the other re-reads.
 */
export function createOrderStore(db: Db): OrderStore {
  const orders = ordersCollection(db);
  const findByKey = async (userId: string, idempotencyKey: string) => {
    const doc = await orders.findOne({ userId, idempotencyKey });
    return doc ? toRecord(doc) : null;
  };
  return {
    newId: () => new ObjectId().toHexString(),

    async insert(order) {
      const { id, idempotencyKey, ...rest } = order;
      const key = idempotencyKey ?? `${AUTO}${id}`;
      try {
        await orders.insertOne({
          _id: new ObjectId(id),
          ...(defined(rest) as Omit<OrderDocument, '_id' | 'idempotencyKey'>),
          idempotencyKey: key,
          outbox: [],
        });
        return { order, created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const first = await findByKey(order.userId, key);
        if (!first) throw error;
        return { order: first, created: false };
      }
    },

    async findById(id) {
      const doc = await orders.findOne({ _id: new ObjectId(id) });
      return doc ? toRecord(doc) : null;
    },

    findByKey,

    async discardDraft(id) {
      await orders.deleteOne({ _id: new ObjectId(id), step: 'draft', status: 'pending' });
    },

    async listByUser(userId, limit, beforeId) {
      const filter: Filter<OrderDocument> = { userId, step: { $ne: 'draft' } };
      if (beforeId) filter._id = { $lt: new ObjectId(beforeId) };
      const docs = await orders.find(filter).sort({ _id: -1 }).limit(limit).toArray();
      return docs.map(toRecord);
    },

    async update(id, version, changes, events) {
      const doc = await orders.findOneAndUpdate(
        { _id: new ObjectId(id), version, status: 'pending' },
        { $set: defined(changes), $inc: { version: 1 }, ...(events.length > 0 ? pushToOutbox(...outboxEntries(events)) : {}) },
        { returnDocument: 'after' },
      );
      return doc ? toRecord(doc) : null;
    },

    async findStale(before, deadline, limit) {
      const docs = await orders
        .find({
          status: 'pending',
          updatedAt: { $lt: before },
          $or: [{ step: { $ne: 'draft' }, 'facts.paymentSucceeded': { $exists: false } }, { createdAt: { $lt: deadline } }],
        })
        .sort({ updatedAt: 1 })
        .limit(limit)
        .toArray();
      return docs.map(toRecord);
    },
  };
}
