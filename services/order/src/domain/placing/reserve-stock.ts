import { AppError, conflict } from '@shop/platform/errors';
import type { OrderRecord } from '../order.ts';
import type { Inventory, OrderStore } from '../ports.ts';
import type { Transitions } from '../transitions.ts';

/**
 * Holds the stock of every line (all or none, idempotent by order id) and announces the order
 * (`order.created`): from here on it ends confirmed, failed or cancelled, never silently.
 * When nothing can be held the draft is thrown away, so the answer (409 or 503) leaves nothing
 * behind: short stock, or inventory-service not reached by this request's call when the draft is
 * its own (`fresh`; a draft carried on from an earlier attempt may hold stock from it). When the
 * outcome is unknown (a timeout) the draft stays: the same Idempotency-Key carries on with it and
 * gets the same reservation, never a second hold; a draft nobody comes back for is dropped at the
 * deadline, after its hold (if any) has expired.
 */
export async function reserveStock(
  deps: { inventory: Inventory; store: OrderStore; transitions: Transitions },
  order: OrderRecord,
  fresh: boolean,
): Promise<OrderRecord> {
  const result = await deps.inventory.reserve(
    order.id,
    order.items.map(({ productId, quantity }) => ({ productId, quantity })),
  );
  if (result.outcome === 'short') {
    await deps.store.discardDraft(order.id);
    throw new AppError('INSUFFICIENT_STOCK', 'Not enough stock for some items', { items: result.shortItems });
  }
  if (result.outcome === 'not-reached') {
    if (fresh) await deps.store.discardDraft(order.id);
    throw result.error;
  }
  const reserved = await deps.transitions.apply(order.id, { kind: 'reserved', reservationId: result.reservationId }, order);
  if (!reserved) throw conflict('The order was removed while being placed');
  // As it stands: a parallel request with the same key may have charged or even ended it meanwhile.
  return reserved;
}
