import type { OrderRecord } from '../order.ts';
import type { OrderStore } from '../ports.ts';

export type NewOrder = Pick<OrderRecord, 'userId' | 'items' | 'totalMinor' | 'currency' | 'address' | 'paymentMethod' | 'idempotencyKey' | 'cartMark'>;

/**
 * Writes the order as a `draft`: it has an id to reserve stock under, but nobody hears of it (no
 * event, not listed) until its stock is held. A key this user already used returns that order
 * instead (`created: false`), draft or not, so a retry carries on with the same id.
 */
export async function draftOrder(deps: { store: OrderStore; now: () => Date }, draft: NewOrder): Promise<{ order: OrderRecord; created: boolean }> {
  const at = deps.now();
  const order: OrderRecord = { ...draft, id: deps.store.newId(), status: 'pending', step: 'draft', facts: {}, version: 0, createdAt: at, updatedAt: at };
  return deps.store.insert(order);
}
