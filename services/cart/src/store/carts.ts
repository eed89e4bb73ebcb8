import { isDuplicateKey } from '@shop/platform/mongo/connect';
import { type Collection, type Db, ObjectId } from 'mongodb';
import type { Cart } from '../domain/cart.ts';
import { linesUntouched, markOf, type ResetCounts } from '../domain/cart-mark.ts';
import type { CartStore } from '../domain/carts.ts';

/**
 * One document per user. Items are a map productId hex → units, so adding is a single atomic
 * `$inc` of `items.<productId>` (ObjectId hex keys contain no '.' or '$').
 */
interface CartDocument {
  _id: ObjectId;
  userId: string;
  items: Record<string, number>;
  /** Orders already taken out of this cart, so a redelivered order.confirmed changes nothing. */
  appliedOrders?: string[];
  /** Times the cart was emptied, and each line removed or replaced since (domain/cart-mark.ts); absent: 0. */
  emptied?: number;
  resets?: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
  /** The user was deleted: the cart is a tombstone that refuses every later write. */
  deletedAt?: Date;
}

export const cartIndexes = {
  carts: [{ key: { userId: 1 }, name: 'userId_unique', unique: true }],
};

/** Applied order ids kept per cart; older ones are dropped (a redelivery that late is not expected). */
const APPLIED_ORDERS_KEPT = 50;
const live = { deletedAt: { $exists: false } };
const line = (productId: string) => `items.${productId}`;
/** The count of a line's resets (removed or replaced) since the cart was last emptied. */
const resetsOf = (productId: string) => `resets.${productId}`;

const resetCounts = (doc: CartDocument): ResetCounts => ({ emptied: doc.emptied ?? 0, lines: doc.resets ?? {} });

function toCart(doc: CartDocument): Cart {
  const items = Object.entries(doc.items ?? {})
    // Lines at or below zero are an order's leftovers waiting to be unset; they are not in the cart.
    .filter(([, quantity]) => quantity > 0)
    .map(([productId, quantity]) => ({ productId, quantity }));
  const mark = markOf(
    resetCounts(doc),
    items.map((item) => item.productId),
  );
  return { id: doc._id.toHexString(), userId: doc.userId, items, mark, updatedAt: doc.updatedAt };
}

/** The cart's counters are still at most those of `at` for these lines: their units are the ones the order saw. */
function notResetSince(at: ResetCounts, productIds: readonly string[]) {
  return {
    emptied: { $not: { $gt: at.emptied } },
    ...Object.fromEntries(productIds.map((id) => [resetsOf(id), { $not: { $gt: at.lines[id] ?? 0 } }])),
  };
}

export function cartsCollection(db: Db): Collection<CartDocument> {
  return db.collection<CartDocument>('carts');
}

/**
 * Carts in MongoDB; every write is one single-document atomic operation, guarded by its filter,
 * so concurrent writers (requests, consumers, other replicas) never lose an update.
 */
export function createCartStore(db: Db): CartStore {
  const carts = cartsCollection(db);

  /** Inserts a document for the user unless one exists; a lost race is not an error. */
  async function insertIfAbsent(userId: string, fields: Partial<CartDocument>): Promise<boolean> {
    const now = new Date();
    try {
      const result = await carts.updateOne(
        { userId },
        { $setOnInsert: { _id: new ObjectId(), items: {}, createdAt: now, updatedAt: now, ...fields } },
        { upsert: true },
      );
      return result.upsertedCount === 1;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  const after = { returnDocument: 'after' } as const;

  /** A line the cart does not hold yet: absent, or an order's leftover at or below zero. */
  const newLine = (key: string) => ({ $nor: [{ [key]: { $gt: 0 } }] });
  /** Fewer than `maxLines` lines held, counted in the document being written (so atomically). */
  const roomForLine = (maxLines: number) => ({
    $expr: { $lt: [{ $size: { $filter: { input: { $objectToArray: '$items' }, cond: { $gt: ['$$this.v', 0] } } } }, maxLines] },
  });
  /** Why a guarded write matched nothing: no cart (null), or which limit. */
  async function refusal(userId: string, productId: string): Promise<'units' | 'lines' | null> {
    const doc = await carts.findOne({ userId, ...live });
    if (!doc) return null;
    return (doc.items[productId] ?? 0) > 0 ? 'units' : 'lines';
  }

  return {
    async find(userId) {
      const doc = await carts.findOne({ userId, ...live });
      return doc ? toCart(doc) : null;
    },

    async open(userId) {
      if (await insertIfAbsent(userId, {})) return 'created';
      const doc = await carts.findOne({ userId }, { projection: { deletedAt: 1 } });
      return doc?.deletedAt ? 'closed' : 'exists';
    },

    async add(userId, productId, quantity, { max, maxLines }) {
      const key = line(productId);
      const doc = await carts.findOneAndUpdate(
        { userId, ...live, $or: [{ [key]: { $gt: 0, $lte: max - quantity } }, { ...newLine(key), ...roomForLine(maxLines) }] },
        { $inc: { [key]: quantity }, $set: { updatedAt: new Date() } },
        after,
      );
      if (doc) return toCart(doc);
      return refusal(userId, productId);
    },

    async setQuantity(userId, productId, quantity, { maxLines }) {
      const key = line(productId);
      const doc = await carts.findOneAndUpdate(
        { userId, ...live, $or: [{ [key]: { $gt: 0 } }, { ...newLine(key), ...roomForLine(maxLines) }] },
        // Replacing the line counts as a reset: a late order.confirmed leaves the new quantity alone.
        { $set: { [key]: quantity, updatedAt: new Date() }, $inc: { [resetsOf(productId)]: 1 } },
        after,
      );
      if (doc) return toCart(doc);
      const refused = await refusal(userId, productId);
      return refused === 'units' ? null : refused;
    },

    async removeItem(userId, productId) {
      const doc = await carts.findOneAndUpdate(
        { userId, ...live },
        { $unset: { [line(productId)]: '' }, $set: { updatedAt: new Date() }, $inc: { [resetsOf(productId)]: 1 } },
        after,
      );
      return doc ? toCart(doc) : null;
    },

    async empty(userId) {
      // Emptying resets every line at once; the per-line counts start again from nothing.
      const result = await carts.updateOne({ userId, ...live }, { $set: { items: {}, resets: {}, updatedAt: new Date() }, $inc: { emptied: 1 } });
      return result.matchedCount === 1;
    },

    close,

    applyOrder,
  };

  async function close(userId: string): Promise<void> {
    const now = new Date();
    const closed = await carts.updateOne({ userId, ...live }, { $set: { items: {}, deletedAt: now, updatedAt: now }, $unset: { appliedOrders: '' } });
    // No cart yet (user-deleted overtook user-created): leave a tombstone so none is created later.
    if (closed.matchedCount === 0) await insertIfAbsent(userId, { deletedAt: now });
  }

  /**
   * Takes an order's units out of the cart, once. With `at` (the counts the order read) only from
   * lines not reset since; a write that finds the cart changed meanwhile reads it and tries again.
   */
  async function applyOrder(userId: string, orderId: string, quantities: Map<string, number>, at: ResetCounts | null): Promise<void> {
    let lines = [...quantities.keys()];
    for (let attempt = 1; ; attempt++) {
      const decrement = Object.fromEntries(lines.map((productId) => [line(productId), -(quantities.get(productId) ?? 0)]));
      const written = await carts.findOneAndUpdate(
        { userId, ...live, appliedOrders: { $ne: orderId }, ...(at ? notResetSince(at, lines) : {}) },
        { $inc: decrement, $push: { appliedOrders: { $each: [orderId], $slice: -APPLIED_ORDERS_KEPT } }, $set: { updatedAt: new Date() } },
        after,
      );
      // Not written: applied already (a redelivery, maybe after a crash before the lines below
      // were dropped), the cart is gone, or (with `at`) some line was reset since the order.
      const doc = written ?? (await carts.findOne({ userId, ...live }));
      if (!doc) return;
      if (written || doc.appliedOrders?.includes(orderId) || !at) return dropUsedUp(doc);
      const untouched = linesUntouched(resetCounts(doc), at, lines);
      if (untouched.length === 0) return; // nothing of the order is left in the cart
      if (untouched.length === lines.length && attempt >= 3) throw new Error(`cart of user ${userId} kept changing while order ${orderId} was applied`);
      lines = untouched;
    }
  }

  /** Drops the lines an order used up, each guarded so a unit added meanwhile survives. */
  async function dropUsedUp(doc: CartDocument): Promise<void> {
    for (const [productId, quantity] of Object.entries(doc.items ?? {})) {
      if (quantity <= 0) await carts.updateOne({ _id: doc._id, [line(productId)]: { $lte: 0 } }, { $unset: { [line(productId)]: '' } });
    }
  }
}
