import { isDuplicateKey } from '@shop/platform/mongo/connect';
import { pushToOutbox, type WithOutbox } from '@shop/platform/mongo/outbox';
import { type Collection, type Db, type Filter, type IndexDescription, ObjectId } from 'mongodb';
import type { PaymentRecord } from '../domain/payment.ts';
import type { PaymentStore } from '../domain/payments.ts';
import { outboxEntries } from '../events/outgoing.ts';

interface PaymentDocument extends WithOutbox, Omit<PaymentRecord, 'id'> {
  _id: ObjectId;
}

export const paymentIndexes: Record<string, IndexDescription[]> = {
  payments: [
    // At most one payment per order, whatever the retries: the database arbitrates concurrent inserts.
    { key: { orderId: 1 }, name: 'orderId_unique', unique: true },
    { key: { status: 1, createdAt: 1 }, name: 'status_createdAt' },
    { key: { userId: 1, _id: -1 }, name: 'userId_id' },
  ],
};

function toRecord(doc: PaymentDocument): PaymentRecord {
  const { _id, outbox: _outbox, ...rest } = doc;
  return { id: _id.toHexString(), ...rest };
}

/** Drops undefined fields, which the driver would otherwise store as null. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function paymentsCollection(db: Db): Collection<PaymentDocument> {
  return db.collection<PaymentDocument>('payments');
}

/**
 * Payments in MongoDB; every change is one single-document write that also carries its event,
 * conditional on the status it leaves, so of two concurrent transitions exactly one happens.
 */
/** `topic`: where payment outcomes are announced (PAYMENT_TOPIC). */
export function createPaymentStore(db: Db, topic: string): PaymentStore {
  const payments = paymentsCollection(db);
  return {
    newId: () => new ObjectId().toHexString(),

    async insert(payment) {
      const { id, ...rest } = payment;
      try {
        await payments.insertOne({ _id: new ObjectId(id), ...(defined(rest) as Omit<PaymentRecord, 'id'>), outbox: [] });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },

    async findById(id) {
      const doc = await payments.findOne({ _id: new ObjectId(id) });
      return doc ? toRecord(doc) : null;
    },

    async findByOrder(orderId) {
      const doc = await payments.findOne({ orderId });
      return doc ? toRecord(doc) : null;
    },

    async list(filter, limit, beforeId) {
      const query: Filter<PaymentDocument> = { status: { $ne: 'voided' }, ...defined(filter) };
      if (beforeId) query._id = { $lt: new ObjectId(beforeId) };
      const docs = await payments.find(query).sort({ _id: -1 }).limit(limit).toArray();
      return docs.map(toRecord);
    },

    async transition(id, from, changes, events) {
      const { id: _ignored, ...fields } = changes;
      const doc = await payments.findOneAndUpdate(
        { _id: new ObjectId(id), status: from },
        { $set: defined(fields), ...pushToOutbox(...outboxEntries(topic, events)) },
        { returnDocument: 'after' },
      );
      return doc ? toRecord(doc) : null;
    },

    async findUnfinished(before, limit) {
      const docs = await payments
        .find({ status: 'processing', createdAt: { $lt: before } })
        .sort({ createdAt: 1 })
        .limit(limit)
        .toArray();
      return docs.map(toRecord);
    },
  };
}
