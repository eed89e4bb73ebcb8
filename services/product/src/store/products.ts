import { batchPerTick } from '@shop/platform/batch';
import { pushToOutbox, type WithOutbox } from '@shop/platform/mongo/outbox';
import { type Collection, type Db, type Filter, ObjectId } from 'mongodb';
import { type ProductRecord, searchText } from '../domain/product.ts';
import type { ProductStore } from '../domain/products.ts';
import { outboxEntries } from '../events/outgoing.ts';

interface ProductDocument extends WithOutbox {
  _id: ObjectId;
  name: string;
  description?: string;
  category: string;
  priceMinor: number;
  currency: string;
  /** Lower-cased name and description, what `q` matches. */
  searchText: string;
  createdAt: Date;
  updatedAt: Date;
  /** Deleted products stay as tombstones so their product.deleted event is relayed. */
  deletedAt?: Date;
}

/** Pages walk `_id`; a category filter walks `{category, _id}`. */
export const productIndexes = {
  products: [{ key: { category: 1, _id: 1 }, name: 'category_id' }],
};

const alive = { deletedAt: { $exists: false } };

/** What reads leave out: the search copy of name and description, and events not yet relayed. */
const shown = { projection: { searchText: 0, outbox: 0 } } as const;

function toRecord(doc: ProductDocument): ProductRecord {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    category: doc.category,
    priceMinor: doc.priceMinor,
    currency: doc.currency,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function productsCollection(db: Db): Collection<ProductDocument> {
  return db.collection<ProductDocument>('products');
}

/** Products in MongoDB; every write is one conditional single-document operation. */
export function createProductStore(db: Db): ProductStore {
  const products = productsCollection(db);
  // A live product by id; the reads made together are one query (docs/catalog-reads.md).
  const findAlive = batchPerTick(async (ids: readonly string[]) => {
    const docs = await products.find({ _id: { $in: [...new Set(ids)].map((id) => new ObjectId(id)) }, ...alive }, shown).toArray();
    const byId = new Map(docs.map((doc) => [doc._id.toHexString(), doc]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return {
    newId: () => new ObjectId().toHexString(),

    async insert(product, events) {
      const { id, ...rest } = product;
      await products.insertOne({ _id: new ObjectId(id), ...rest, searchText: searchText(product), outbox: outboxEntries(events) });
    },

    async findById(id) {
      const doc = await findAlive(id);
      return doc ? toRecord(doc) : null;
    },

    async list(query) {
      const filter: Filter<ProductDocument> = { ...alive };
      if (query.category !== undefined) filter.category = query.category;
      // A literal substring: the text is escaped, so `q` can never be a pattern or an operator.
      if (query.q !== undefined) filter.searchText = { $regex: escapeRegex(query.q.toLowerCase()) };
      if (query.ids !== undefined || query.after !== undefined) {
        filter._id = {
          ...(query.ids === undefined ? {} : { $in: query.ids.map((id) => new ObjectId(id)) }),
          ...(query.after === undefined ? {} : { $gt: new ObjectId(query.after) }),
        };
      }
      const docs = await products.find(filter, shown).sort({ _id: 1 }).limit(query.limit).toArray();
      return docs.map(toRecord);
    },

    async update(id, changes) {
      const set: Partial<ProductDocument> = { ...changes };
      if (changes.name === undefined && changes.description === undefined) {
        const doc = await products.findOneAndUpdate({ _id: new ObjectId(id), ...alive }, { $set: set }, { returnDocument: 'after' });
        return doc ? toRecord(doc) : null;
      }
      // `searchText` is derived from name and description together: write it only if the ones it
      // was derived from are still there, else read again (another edit came in between).
      for (;;) {
        const current = await findAlive(id);
        if (!current) return null;
        set.searchText = searchText({ name: changes.name ?? current.name, description: changes.description ?? current.description });
        const unchanged = { name: current.name, description: current.description ?? { $exists: false } };
        const doc = await products.findOneAndUpdate(
          { _id: current._id, ...alive, ...unchanged } as Filter<ProductDocument>,
          { $set: set },
          { returnDocument: 'after' },
        );
        if (doc) return toRecord(doc);
      }
    },

    async remove(id, events) {
      const now = new Date();
      const result = await products.updateOne(
        { _id: new ObjectId(id), ...alive },
        { $set: { deletedAt: now, updatedAt: now }, ...pushToOutbox(...outboxEntries(events)) },
      );
      return result.modifiedCount === 1;
    },
  };
}
