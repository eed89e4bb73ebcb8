import { AppError, conflict } from '@shop/platform/errors';
import type { OrderRecord } from '../order.ts';
import type { Inventory } from '../ports.ts';
import type { Transitions } from '../transitions.ts';
import type { Step } from './saga.ts';

/**
 * Holds the stock of every line (all or none) and notes the reservation on the order.
 * Undo: inventory has no release call; the order.failed event that record-order's undo
 * publishes names the order and this reservation, and inventory-service releases it.
 */
export const reserveStock = (deps: { inventory: Inventory; transitions: Transitions }): Step<OrderRecord, OrderRecord> => ({
  name: 'reserve-stock',
  async invoke(order) {
    const result = await deps.inventory.reserve(
      order.id,
      order.items.map(({ productId, quantity }) => ({ productId, quantity })),
    );
    if (!result.ok) throw new AppError('INSUFFICIENT_STOCK', 'Not enough stock for some items', { items: result.shortItems });
    const reserved = await deps.transitions.apply(order.id, null, { reservationId: result.reservationId, step: 'reserved' });
    if (reserved?.status !== 'pending') throw conflict(`The order was ${reserved?.status ?? 'removed'} while being placed`);
    return reserved;
  },
});
