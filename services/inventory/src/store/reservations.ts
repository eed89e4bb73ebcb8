import { isDuplicateKey } from '@shop/platform/mongo/connect';
import { pushToOutbox, type WithOutbox } from '@shop/platform/mongo/outbox';
import { inTransaction } from '@shop/platform/mongo/transaction';
import { type Collection, type Db, type IndexDescription, ObjectId } from 'mongodb';
import type { ReservationStore } from '../domain/ports.ts';
import { canMove, type Reservation } from '../domain/reservation.ts';
import { outboxEntries } from '../events/outgoing.ts';

interface ReservationDocument extends WithOutbox, Omit<Reservation, 'id'> {
  _id: ObjectId;
}

/** One reservation per order (the unique index is what makes "same orderId → same reservation" hold under races). */
export const reservationIndexes: Record<string, IndexDescription[]> = {
  reservations: [
    { key: { orderId: 1 }, name: 'orderId_unique', unique: true },
    { key: { status: 1, expiresAt: 1 }, name: 'status_expiresAt' },
    { key: { status: 1, updatedAt: 1 }, name: 'status_updatedAt' },
  ],
};

/** A stored reservation as the rules see it (no outbox). */
export function toRecord(doc: ReservationDocument): Reservation {
  return {
    id: doc._id.toHexString(),
    orderId: doc.orderId,
    status: doc.status,
    items: doc.items.map(({ productId, quantity }) => ({ productId, quantity })),
    expiresAt: doc.expiresAt,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    ...(doc.shortfall === undefined ? {} : { shortfall: doc.shortfall }),
    ...(doc.final === undefined ? {} : { final: doc.final }),
    ...(doc.reason === undefined ? {} : { reason: doc.reason }),
  };
}

export function reservationsCollection(db: Db): Collection<ReservationDocument> {
  return db.collection<ReservationDocument>('reservations');
}

/** Reservations in MongoDB; status changes are conditional on the previous status and carry their events, and join the caller's transaction when there is one. */
export function createReservationStore(db: Db): ReservationStore {
  const reservations = reservationsCollection(db);
  return {
    newId: () => new ObjectId().toHexString(),

    async insert(reservation) {
      const { id, ...rest } = reservation;
      try {
        await reservations.insertOne({ _id: new ObjectId(id), ...rest, outbox: [] });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },

    async findById(id) {
      const doc = await reservations.findOne({ _id: new ObjectId(id) }, inTransaction());
      return doc ? toRecord(doc) : null;
    },

    async findByOrder(orderId) {
      const doc = await reservations.findOne({ orderId }, inTransaction());
      return doc ? toRecord(doc) : null;
    },

    async findMany(ids) {
      return (await reservations.find({ _id: { $in: ids.map((id) => new ObjectId(id)) } }).toArray()).map(toRecord);
    },

    async move(id, from, to, changes = {}, events = []) {
      if (!canMove(from, to)) throw new Error(`Reservation ${id}: no move from ${from} to ${to}`);
      const { id: _ignored, ...fields } = changes;
      const doc = await reservations.findOneAndUpdate(
        { _id: new ObjectId(id), status: from, final: { $ne: true } },
        { $set: { ...fields, status: to, updatedAt: new Date() }, ...(events.length > 0 ? pushToOutbox(...outboxEntries(events)) : {}) },
        { returnDocument: 'after', ...inTransaction() },
      );
      return doc ? toRecord(doc) : null;
    },

    async expired(now, limit) {
      return (
        await reservations
          .find({ status: 'PENDING', expiresAt: { $lt: now } })
          .limit(limit)
          .toArray()
      ).map(toRecord);
    },

    async stuck(before, limit) {
      const docs = await reservations
        .find({ status: { $in: ['RESERVING', 'RECOMMITTING', 'RETURNING'] }, updatedAt: { $lt: before } })
        .limit(limit)
        .toArray();
      return docs.map(toRecord);
    },
  };
}
