import { type Db, ObjectId } from 'mongodb';
import type { OrderRecord } from '../domain/order.ts';
import { ordersCollection, toRecord } from './orders.ts';

/** Reads for the admin console only (no rule needs them, so they are not a port of the order rules). */
export function createOrderAdminQueries(db: Db) {
  const orders = ordersCollection(db);
  return {
    /** Every customer's placed orders (drafts left out), of one status or all, newest first, before `beforeId`. */
    async list(status: OrderRecord['status'] | undefined, limit: number, beforeId?: string): Promise<OrderRecord[]> {
      const docs = await orders
        .find({ step: { $ne: 'draft' }, ...(status ? { status } : {}), ...(beforeId ? { _id: { $lt: new ObjectId(beforeId) } } : {}) })
        .sort({ _id: -1 })
        .limit(limit)
        .toArray();
      return docs.map(toRecord);
    },
  };
}

export type OrderAdminQueries = ReturnType<typeof createOrderAdminQueries>;
