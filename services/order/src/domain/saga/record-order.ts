import { AppError } from '@shop/platform/errors';
import { type OrderRecord, orderEventEntry } from '../order.ts';
import type { OrderStore } from '../ports.ts';
import type { Transitions } from '../transitions.ts';
import type { Step } from './saga.ts';

export type NewOrder = Pick<OrderRecord, 'userId' | 'items' | 'totalMinor' | 'currency' | 'address' | 'paymentMethod' | 'idempotencyKey'>;

/** Why placing stopped, as the order's failure reason. */
export function abortReason(error: unknown): string {
  if (error instanceof AppError) return error.code === 'INSUFFICIENT_STOCK' ? 'insufficient stock' : error.message;
  return 'placing the order was interrupted';
}

/**
 * Records the order as `pending` (with order.created) before anything is reserved or charged.
 * A key this user already used returns the first order (`created: false`). Undo: the order
 * becomes `failed`, and its order.failed event makes inventory release and payment refund.
 */
export const recordOrder = (deps: {
  store: OrderStore;
  transitions: Transitions;
  eventsQueued(id: string): void;
  now: () => Date;
}): Step<NewOrder, { order: OrderRecord; created: boolean }> => ({
  name: 'record-order',
  async invoke(draft) {
    const at = deps.now();
    const order: OrderRecord = { ...draft, id: deps.store.newId(), status: 'pending', step: 'recorded', facts: {}, version: 0, createdAt: at, updatedAt: at };
    const result = await deps.store.insert(order, [orderEventEntry(order)]);
    if (result.created) deps.eventsQueued(order.id);
    return result;
  },
  async compensate({ order, created }, error) {
    if (created) await deps.transitions.apply(order.id, { kind: 'aborted', reason: abortReason(error) });
  },
});
