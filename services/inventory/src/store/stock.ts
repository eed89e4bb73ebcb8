import { isDuplicateKey } from '@shop/platform/mongo/connect';
import type { KeyedLock } from '@shop/platform/mongo/lock';
import { type Collection, type Db, type Filter, ObjectId, type UpdateFilter } from 'mongodb';
import type { StockStore } from '../domain/ports.ts';
import type { Hold, StockRecord } from '../domain/stock.ts';

interface StockDocument {
  _id: ObjectId;
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  /** May be missing: FerretDB drops an empty array from `$setOnInsert`. */
  holds?: Hold[];
  discontinued?: boolean;
  returns?: string[];
  createdAt: Date;
  updatedAt: Date;
}

export const stockIndexes = {
  stock: [{ key: { productId: 1 }, name: 'productId_unique', unique: true }],
};

/** The stored element for a hold, rebuilt field by field: `$pull` matches whole values, field order included. */
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

/**
 * A stock document's `_id` is its product's id, so reading a product's stock is a lookup by
 * `_id`: the only one FerretDB 1.24 runs inside its storage (any other filter decodes the whole
 * collection; bench/results/report.md). Records written before this have an `_id` of their own:
 * reads fall back to `{productId}` for them, and writes still select by `productId`.
 */
const byProduct = async (stock: Collection<StockDocument>, productId: string): Promise<StockDocument | null> =>
  (await stock.findOne({ _id: new ObjectId(productId) })) ?? (await stock.findOne({ productId }));

export function stockCollection(db: Db): Collection<StockDocument> {
  return db.collection<StockDocument>('stock');
}

/**
 * Stock in MongoDB. Every write is one guarded single-document update, taken under the
 * product's lock (see lock.ts). Guards that mean "no hold of this reservation" use `$nor`,
 * because FerretDB evaluates `{'holds.reservationId': {$ne: id}}` per element (it matches when
 * any other hold exists), while `$nor` means the same on MongoDB and on FerretDB.
 */
export function createStockStore(db: Db, lock: KeyedLock): StockStore {
  const stock = stockCollection(db);
  const now = () => new Date();

  const guarded = (productId: string, filter: Filter<StockDocument>, update: { $set?: object; $inc?: object; $push?: object; $pull?: object }) =>
    lock(productId, async () => {
      const result = await stock.updateOne({ productId, ...filter }, { ...update, $set: { ...update.$set, updatedAt: now() } } as UpdateFilter<StockDocument>);
      return result.modifiedCount === 1;
    });

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
      // One lookup by `_id` each: an `$in` is not run inside FerretDB's storage either.
      const docs = await Promise.all(productIds.map((productId) => byProduct(stock, productId)));
      return docs.filter((doc) => doc !== null).map(toRecord);
    },

    async insert(record) {
      const { id: _id, holds, discontinued: _d, returns: _r, ...rest } = record;
      try {
        await lock(record.productId, () => stock.insertOne({ _id: new ObjectId(record.productId), ...rest, holds: holds.map(element) }));
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },

    ensure: (productId, onHand) =>
      lock(productId, async () => {
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
      }),

    adjust: (productId, delta, expectedOnHand) =>
      lock(productId, async () => {
        const filter: Filter<StockDocument> = { productId };
        if (delta < 0) filter.available = { $gte: -delta };
        if (expectedOnHand !== undefined) filter.onHand = expectedOnHand;
        const doc = await stock.findOneAndUpdate(
          filter,
          { $inc: { onHand: delta, available: delta }, $set: { updatedAt: now() } },
          { returnDocument: 'after' },
        );
        return doc ? toRecord(doc) : null;
      }),

    take: (productId, hold) =>
      guarded(
        productId,
        { available: { $gte: hold.quantity }, discontinued: { $ne: true }, $nor: [{ 'holds.reservationId': hold.reservationId }] },
        { $inc: { reserved: hold.quantity, available: -hold.quantity }, $push: { holds: element(hold) } },
      ),

    giveBack: (productId, hold) =>
      guarded(productId, { 'holds.tag': hold.tag }, { $pull: { holds: element(hold) }, $inc: { reserved: -hold.quantity, available: hold.quantity } }),

    consume: (productId, hold) =>
      guarded(productId, { 'holds.tag': hold.tag }, { $pull: { holds: element(hold) }, $inc: { onHand: -hold.quantity, reserved: -hold.quantity } }),

    restock: (productId, mark, quantity) =>
      guarded(productId, { $nor: [{ returns: mark }] }, { $inc: { onHand: quantity, available: quantity }, $push: { returns: mark } }),

    forgetReturn: (productId, mark) => guarded(productId, { returns: mark }, { $pull: { returns: mark } }),

    async returnMarks(limit) {
      const docs = await stock
        .find({ 'returns.0': { $exists: true } })
        .limit(limit)
        .toArray();
      return docs.flatMap((doc) => (doc.returns ?? []).map((mark) => ({ productId: doc.productId, mark })));
    },

    remove: (productId) =>
      lock(productId, async () => {
        if ((await stock.deleteOne({ productId, 'holds.0': { $exists: false } })).deletedCount === 1) return 'removed';
        return (await stock.countDocuments({ productId })) > 0 ? 'held' : 'missing';
      }),

    discontinue: (productId) => guarded(productId, {}, { $set: { discontinued: true } }),

    async purgeDiscontinued() {
      let purged = 0;
      for (const doc of await stock.find({ discontinued: true, 'holds.0': { $exists: false } }).toArray()) {
        const result = await lock(doc.productId, () => stock.deleteOne({ _id: doc._id, discontinued: true, 'holds.0': { $exists: false } }));
        purged += result.deletedCount;
      }
      return purged;
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
