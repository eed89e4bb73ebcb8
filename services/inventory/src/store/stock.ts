import { isDuplicateKey } from '@shop/platform/mongo/connect';
import { inTransaction } from '@shop/platform/mongo/transaction';
import { type Collection, type Db, type Filter, type IndexDescription, ObjectId, type UpdateFilter } from 'mongodb';
import type { StockStore } from '../domain/ports.ts';
import type { Hold, StockRecord } from '../domain/stock.ts';

interface StockDocument {
  _id: ObjectId;
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  /** Missing on a record created by `ensure` until its first hold. */
  holds?: Hold[];
  discontinued?: boolean;
  returns?: string[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The sweep's scans read only what they look for: partial indexes hold just the records with a
 * hold, with a return mark, or discontinued (few, of a whole catalogue), each serving the query
 * whose filter implies its partialFilterExpression (`holds`, `returnMarks`, `purgeDiscontinued`).
 */
export const stockIndexes: Record<string, IndexDescription[]> = {
  stock: [
    { key: { productId: 1 }, name: 'productId_unique', unique: true },
    { key: { 'holds.0': 1 }, name: 'holds_pending', partialFilterExpression: { 'holds.0': { $exists: true } } },
    { key: { 'returns.0': 1 }, name: 'returns_pending', partialFilterExpression: { 'returns.0': { $exists: true } } },
    { key: { discontinued: 1 }, name: 'discontinued', partialFilterExpression: { discontinued: true } },
  ],
};

/** The stored element for a hold, exactly these fields (a stored document is never trusted to have no more). */
const element = (hold: Hold): Hold => ({ tag: hold.tag, reservationId: hold.reservationId, quantity: hold.quantity });

function toRecord(doc: StockDocument): StockRecord {
  return {
    id: doc._id.toHexString(),
    productId: doc.productId,
    onHand: doc.onHand,
    reserved: doc.reserved,
    available: doc.available,
    holds: (doc.holds ?? []).map(element),
    discontinued: doc.discontinued === true,
    returns: doc.returns ?? [],
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** A product's stock, by the unique `productId` index (records of older versions have an `_id` of their own). */
const byProduct = (stock: Collection<StockDocument>, productId: string): Promise<StockDocument | null> => stock.findOne({ productId }, inTransaction());

export function stockCollection(db: Db): Collection<StockDocument> {
  return db.collection<StockDocument>('stock');
}

/**
 * Stock in MongoDB. Every write is one guarded single-document update: the filter states what
 * must still hold (enough available, no hold of this reservation yet, ...) and the database
 * applies the change atomically, so concurrent holds from any number of processes never
 * oversell. A hold is removed by its unique tag (`$pull` with a condition). Reads and guarded
 * writes join the caller's transaction when there is one (`atomically`, settle.ts).
 */
export function createStockStore(db: Db): StockStore {
  const stock = stockCollection(db);
  const now = () => new Date();

  const guarded = async (productId: string, filter: Filter<StockDocument>, update: { $set?: object; $inc?: object; $push?: object; $pull?: object }) => {
    const result = await stock.updateOne(
      { productId, ...filter },
      { ...update, $set: { ...update.$set, updatedAt: now() } } as UpdateFilter<StockDocument>,
      inTransaction(),
    );
    return result.modifiedCount === 1;
  };

  return {
    async get(productId) {
      const doc = await byProduct(stock, productId);
      return doc ? toRecord(doc) : null;
    },

    async getById(id) {
      const doc = await stock.findOne({ _id: new ObjectId(id) });
      return doc ? toRecord(doc) : null;
    },

    async getMany(productIds) {
      return (await stock.find({ productId: { $in: productIds } }).toArray()).map(toRecord);
    },

    async insert(record) {
      const { id: _id, holds, discontinued: _d, returns: _r, ...rest } = record;
      try {
        await stock.insertOne({ _id: new ObjectId(record.productId), ...rest, holds: holds.map(element) });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },

    async ensure(productId, onHand) {
      const at = now();
      try {
        const result = await stock.updateOne(
          { productId },
          { $setOnInsert: { _id: new ObjectId(productId), onHand, reserved: 0, available: onHand, createdAt: at, updatedAt: at } },
          { upsert: true },
        );
        return result.upsertedCount === 1;
      } catch (error) {
        if (isDuplicateKey(error)) return false; // created concurrently: the record exists, as wanted
        throw error;
      }
    },

    async adjust(productId, delta, expectedOnHand) {
      const filter: Filter<StockDocument> = { productId };
      if (delta < 0) filter.available = { $gte: -delta };
      if (expectedOnHand !== undefined) filter.onHand = expectedOnHand;
      const doc = await stock.findOneAndUpdate(filter, { $inc: { onHand: delta, available: delta }, $set: { updatedAt: now() } }, { returnDocument: 'after' });
      return doc ? toRecord(doc) : null;
    },

    take: (productId, hold) =>
      guarded(
        productId,
        { available: { $gte: hold.quantity }, discontinued: { $ne: true }, 'holds.reservationId': { $ne: hold.reservationId } },
        { $inc: { reserved: hold.quantity, available: -hold.quantity }, $push: { holds: element(hold) } },
      ),

    giveBack: (productId, hold) =>
      guarded(productId, { 'holds.tag': hold.tag }, { $pull: { holds: { tag: hold.tag } }, $inc: { reserved: -hold.quantity, available: hold.quantity } }),

    consume: (productId, hold) =>
      guarded(productId, { 'holds.tag': hold.tag }, { $pull: { holds: { tag: hold.tag } }, $inc: { onHand: -hold.quantity, reserved: -hold.quantity } }),

    restock: (productId, mark, quantity) =>
      guarded(productId, { returns: { $ne: mark } }, { $inc: { onHand: quantity, available: quantity }, $push: { returns: mark } }),

    forgetReturn: (productId, mark) => guarded(productId, { returns: mark }, { $pull: { returns: mark } }),

    async returnMarks(limit) {
      const docs = await stock
        .find({ 'returns.0': { $exists: true } })
        .limit(limit)
        .toArray();
      return docs.flatMap((doc) => (doc.returns ?? []).map((mark) => ({ productId: doc.productId, mark })));
    },

    async remove(productId) {
      if ((await stock.deleteOne({ productId, 'holds.0': { $exists: false } })).deletedCount === 1) return 'removed';
      return (await stock.countDocuments({ productId })) > 0 ? 'held' : 'missing';
    },

    discontinue: (productId) => guarded(productId, {}, { $set: { discontinued: true } }),

    async purgeDiscontinued() {
      return (await stock.deleteMany({ discontinued: true, 'holds.0': { $exists: false } })).deletedCount;
    },

    async holds(limit) {
      const docs = await stock
        .find({ 'holds.0': { $exists: true } })
        .limit(limit)
        .toArray();
      return docs.flatMap((doc) => toRecord(doc).holds.map((hold) => ({ productId: doc.productId, hold })));
    },
  };
}
